package io.rrsis4j.serve;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.MultiPartFormInputStream;

/**
 * The multipart/form-data body of one upload, read in memory while counting its bytes: reading stops at the byte
 * limit (413), whether or not the client sent a Content-Length, so a chunked upload of any size is never spooled to
 * disk. A stalled or too slow client is answered 408, a broken or malformed body 400.
 */
final class UploadForm {
    private static final int MAX_PARTS = 16;

    private final Map<String, String> fields = new HashMap<>();
    private final Map<String, byte[]> files = new HashMap<>();

    private UploadForm() {}

    /** The text field's value, or null when absent. */
    String field(String name) {
        return fields.get(name);
    }

    /** The file field's bytes, or null when absent. */
    byte[] file(String name) {
        return files.get(name);
    }

    /** Reads the body of a request whose Content-Type is {@code contentType} (multipart/form-data, in lower case). */
    static UploadForm read(HttpServletRequest request, String contentType, long maxBytes, ConnectionLimits limits)
            throws IOException {
        CountingInput body = new CountingInput(request.getInputStream(), maxBytes, limits);
        // everything up to the limit stays in memory: the threshold for spooling a part to disk is the limit itself
        int inMemory = (int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8);
        MultipartConfigElement config = new MultipartConfigElement(System.getProperty("java.io.tmpdir"), maxBytes, maxBytes, inMemory);
        MultiPartFormInputStream parser = null;
        UploadForm form = new UploadForm();
        try {
            parser = new MultiPartFormInputStream(body, contentType, config, null, MAX_PARTS);
            for (Part part : parser.getParts()) {
                byte[] content;
                try (InputStream in = part.getInputStream()) {
                    content = in.readAllBytes();
                }
                String name = part.getName();
                if (form.files.containsKey(name) || form.fields.containsKey(name)) {
                    throw new ApiException(400, "form field '" + name + "' is given more than once");
                }
                if (part.getSubmittedFileName() != null) {
                    form.files.put(name, content);
                } else {
                    form.fields.put(name, utf8(name, content));
                }
            }
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (body.failure != null) {
                throw body.failure;
            }
            throw new ApiException(400, "multipart body is malformed: " + UploadedImages.oneLine(e));
        } finally {
            if (parser != null) {
                parser.deleteParts();
            }
        }
        return form;
    }

    /** A text field's value; bytes that are not UTF-8 are refused rather than replaced with U+FFFD. */
    private static String utf8(String name, byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "form field '" + name + "' is not UTF-8 text");
        }
    }

    /** The request body, counted, with Jetty's read failures turned into the answer the client gets. */
    private static final class CountingInput extends FilterInputStream {
        private final long maxBytes;
        private final ConnectionLimits limits;
        private long count;
        ApiException failure;

        CountingInput(InputStream in, long maxBytes, ConnectionLimits limits) {
            super(in);
            this.maxBytes = maxBytes;
            this.limits = limits;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                failure = classify(e);
                throw new IOException(failure.getMessage(), e);
            }
            if (n > 0) {
                count += n;
                if (count > maxBytes) {
                    failure = new ApiException(413, "upload is larger than the limit of " + maxBytes + " bytes");
                    throw new IOException(failure.getMessage());
                }
            }
            return n;
        }

        private ApiException classify(Exception e) {
            if (e.getCause() instanceof TimeoutException) {
                return new ApiException(408, "upload stalled: nothing received for "
                        + limits.readTimeout().toMillis() + " ms after " + count + " bytes");
            }
            if (e instanceof BadMessageException bad && bad.getCode() == 408) {
                return new ApiException(408, "upload too slow: less than " + limits.minUploadBytesPerSecond()
                        + " bytes/s after " + count + " bytes");
            }
            return new ApiException(400, "upload broken off after " + count + " bytes: " + UploadedImages.oneLine(e));
        }
    }
}
