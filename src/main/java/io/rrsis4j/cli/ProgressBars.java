package io.rrsis4j.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr, plain ASCII so that logs and CI output stay readable. */
final class ProgressBars {
    private ProgressBars() {}

    /** A bar, or null when SHOW is false (try-with-resources takes null). */
    static ProgressBar of(String task, long total, boolean show) {
        return show ? of(task, total) : null;
    }

    /** Moves BAR to the count it is told; does nothing without a bar. */
    static java.util.function.IntConsumer stepper(ProgressBar bar) {
        return bar == null ? n -> { } : bar::stepTo;
    }

    static ProgressBar of(String task, long total) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
    }
}
