package io.rrsis4j.serve;

/** A request the server answers with a 4xx/5xx status and a one-line reason, without a stack trace. */
public final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
