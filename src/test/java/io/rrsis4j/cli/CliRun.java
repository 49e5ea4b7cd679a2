package io.rrsis4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

/** Runs the command line in this JVM, capturing what it prints. */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = Main.run(args);
            return new CliRun(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /**
     * The lines of stderr that are ours: progress bars redraw with carriage returns and libtorch prints a
     * deprecation warning ("[W...") on loading, neither of which is the error.
     */
    List<String> errorLines() {
        return err.lines().map(l -> l.substring(l.lastIndexOf('\r') + 1).strip())
                .filter(l -> !l.isEmpty() && !l.startsWith("[W") && !l.matches("^[a-z ]+\\s+\\d+% .*")).toList();
    }

    @Override
    public String toString() {
        return "exit " + code + ", stderr: " + err;
    }
}
