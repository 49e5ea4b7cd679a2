package io.rrsis4j.serve;

import java.util.regex.Pattern;

/** A request the server answers with a 4xx/5xx status and a one-line reason, without a stack trace. */
public final class ApiException extends RuntimeException {
    /** A Java class name before a message ("org.eclipse.jetty.X$YException: "), and Jetty's "400: " status prefix. */
    private static final Pattern CLASS_PREFIX = Pattern.compile("(?:[a-z_][\\w]*\\.)+[A-Z][\\w$]*(?:Exception|Error)(?::\\s*|\\b)|\\b[45]\\d\\d: ");

    private final int status;

    public ApiException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Longest reason sent: a refused value is quoted in it, and a client may send a value of megabytes. */
    static final int MAX_REASON_CHARS = 300;

    /**
     * The reason as the client sees it: one line, at most {@value #MAX_REASON_CHARS} characters, without the Java
     * class names that libraries put in messages.
     */
    public static String oneLine(String reason) {
        String line = CLASS_PREFIX.matcher(reason).replaceAll("").replaceAll("\\s+", " ").strip();
        if (line.length() > MAX_REASON_CHARS) {
            int cut = MAX_REASON_CHARS - 3;
            line = line.substring(0, Character.isHighSurrogate(line.charAt(cut - 1)) ? cut - 1 : cut) + "...";
        }
        return line.isEmpty() ? "bad request" : line;
    }
}
