package io.rrsis4j;

import java.nio.file.Path;

/**
 * A user's input (a file, a sentence, an option) cannot be used. The message names the input and
 * the problem in one line, so the CLI and the server can show it as it is, without a stack trace.
 */
public class InvalidInputException extends RuntimeException {
    private final transient Path file;

    /** Longest message shown; longer ones (a parser quoting the whole input) are cut. */
    private static final int MAX_MESSAGE_CHARS = 400;

    public InvalidInputException(String message) {
        super(oneLine(message));
        this.file = null;
    }

    public InvalidInputException(Path file, String problem) {
        super(oneLine(file + ": " + problem));
        this.file = file;
    }

    public InvalidInputException(Path file, String problem, Throwable cause) {
        super(oneLine(file + ": " + problem), cause);
        this.file = file;
    }

    /**
     * The message on one line: parsers' messages (Jackson's "at [Source: ...]" location) span several lines, and
     * the CLI and the server promise one.
     */
    public static String oneLine(String message) {
        String s = message == null ? "invalid input" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + " ...";
    }

    /** The file at fault, or null when the problem is not a file's. */
    public Path file() {
        return file;
    }
}
