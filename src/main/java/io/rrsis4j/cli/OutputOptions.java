package io.rrsis4j.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** {@code --quiet} and {@code --verbose} (one or the other), shared by the commands users run. */
final class OutputOptions {
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    @ArgGroup(exclusive = true)
    Level level;

    static final class Level {
        @Option(names = {"-q", "--quiet"}, description = "Only results and errors: no progress bars or progress lines.")
        boolean quiet;

        @Option(names = {"-v", "--verbose"},
                description = "More detail: settings and timings, and libtorch's own warnings (the launcher drops them otherwise).")
        boolean verbose;
    }

    private boolean quiet() {
        return level != null && level.quiet;
    }

    /** Where progress lines go: stderr, or nowhere with --quiet. */
    PrintStream progress() {
        return unlessQuiet(System.err);
    }

    /** STREAM, or nowhere with --quiet. */
    PrintStream unlessQuiet(PrintStream stream) {
        return quiet() ? NOWHERE : stream;
    }

    boolean bars() {
        return !quiet();
    }

    /** Writes a line to stderr with --verbose only. */
    void detail(String format, Object... args) {
        if (level != null && level.verbose) {
            System.err.printf(format + "%n", args);
        }
    }
}
