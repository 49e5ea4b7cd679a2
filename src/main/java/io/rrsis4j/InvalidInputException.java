package io.rrsis4j;

import java.nio.file.Path;

/**
 * A user's input (a file, a sentence, an option) cannot be used. The message names the input and
 * the problem in one line, so the CLI and the server can show it as it is, without a stack trace.
 */
public class InvalidInputException extends RuntimeException {
    private final transient Path file;

    public InvalidInputException(String message) {
        super(message);
        this.file = null;
    }

    public InvalidInputException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public InvalidInputException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file at fault, or null when the problem is not a file's. */
    public Path file() {
        return file;
    }
}
