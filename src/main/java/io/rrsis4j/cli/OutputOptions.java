package io.rrsis4j.cli;

import io.rrsis4j.InvalidInputException;
import java.io.OutputStream;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/** {@code --quiet} and {@code --verbose}, shared by the commands users run. */
final class OutputOptions {
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    @Option(names = {"-q", "--quiet"}, description = "Only results and errors: no progress bars or progress lines.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"},
            description = "More detail: settings and timings, and libtorch's own warnings (the launcher drops them otherwise).")
    boolean verbose;

    /** Where progress lines go: stderr, or nowhere with --quiet. */
    PrintStream progress() {
        return unlessQuiet(System.err);
    }

    /** STREAM, or nowhere with --quiet. */
    PrintStream unlessQuiet(PrintStream stream) {
        check();
        return quiet ? NOWHERE : stream;
    }

    boolean bars() {
        check();
        return !quiet;
    }

    /** Writes a line to stderr with --verbose only. */
    void detail(String format, Object... args) {
        if (verbose) {
            System.err.printf(format + "%n", args);
        }
    }

    private void check() {
        if (quiet && verbose) {
            throw new InvalidInputException("--quiet and --verbose exclude each other");
        }
    }
}
