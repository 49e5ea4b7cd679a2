package io.rrsis4j.io.raster;

import java.io.IOException;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An ImageIO stream over {@link RasterBytes}, for the JPEG-in-TIFF decoder when the file is not local: each read is
 * served from a 64 KiB read-ahead buffer filled by one positioned read (the decoder reads its tags a few bytes at a
 * time), so the decoder's seeks to the tiles a window needs fetch only those.
 */
final class RasterBytesImageInputStream extends ImageInputStreamImpl {

    private final RasterBytes.Reader reader;
    private final long length;
    private final byte[] one = new byte[1];
    private final byte[] buffer = new byte[64 * 1024];
    private long bufferStart;
    private int buffered;

    RasterBytesImageInputStream(RasterBytes bytes) throws IOException {
        this.length = bytes.size();
        this.reader = bytes.open();
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - streamPos);
        if (n >= buffer.length) {
            reader.readFully(streamPos, b, off, n);
        } else {
            if (streamPos < bufferStart || streamPos + n > bufferStart + buffered) {
                bufferStart = streamPos;
                buffered = (int) Math.min(buffer.length, length - streamPos);
                reader.readFully(bufferStart, buffer, 0, buffered);
            }
            System.arraycopy(buffer, (int) (streamPos - bufferStart), b, off, n);
        }
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public void close() throws IOException {
        super.close();
        reader.close();
    }
}
