package io.rrsis4j.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own refusals (a request line, header, URI or Content-Length that its parser rejects before any route runs:
 * 400, 414, 431, 505) as the same one-line JSON {@code {"error": "..."}} that the routes answer, instead of Jetty's
 * HTML page. A fault (5xx) says only that it happened; the server log has the rest.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parser errors, answered before the request exists. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        if (HttpStatus.hasNoBody(status)) {
            return null;
        }
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        // the parser's refusals are all the client's fault, 505 (an HTTP version it cannot speak) too: say why
        return ByteBuffer.wrap(body(reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason));
    }

    /** Errors of a parsed request outside the routes (an ambiguous or undecodable URI path, for one). */
    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        baseRequest.setHandled(true);
        if (response.isCommitted()) {
            return;
        }
        int status = response.getStatus();
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        byte[] body = body(status >= 500 ? "internal error (" + status + "); see the server log"
                : message == null || message.toString().isBlank() ? HttpStatus.getMessage(status) : message.toString());
        response.resetBuffer();
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** A one-line 500 for a fault the route did not catch (an Error), naming only its class. */
    static void writeInternalError(HttpServletResponse response, Throwable error) {
        if (response.isCommitted()) {
            return;
        }
        byte[] body = body("internal error (" + error.getClass().getSimpleName() + "); see the server log");
        try {
            response.resetBuffer();
            response.setStatus(500);
            response.setContentType("application/json");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        } catch (IOException | IllegalStateException e) {
            // the client is gone, or the answer was under way: the log has the error
        }
    }

    private static byte[] body(String reason) {
        try {
            return JSON.writeValueAsBytes(Map.of("error", ApiException.oneLine(reason)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
