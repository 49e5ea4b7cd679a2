package io.rrsis4j.spark;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under the scheme {@code rrcount://}, counting how files are read: bytes by positioned reads (the
 * ranged reads HDFS and S3A serve without fetching the file), bytes by sequential reads, and the largest single
 * request, so a test can show a scene is read by ranges and never whole.
 */
public final class CountingFileSystem extends RawLocalFileSystem {

    static final AtomicLong POSITIONED_BYTES = new AtomicLong();
    static final AtomicLong SEQUENTIAL_BYTES = new AtomicLong();
    static final AtomicLong LARGEST_REQUEST = new AtomicLong();

    static void reset() {
        POSITIONED_BYTES.set(0);
        SEQUENTIAL_BYTES.set(0);
        LARGEST_REQUEST.set(0);
    }

    @Override
    public URI getUri() {
        return URI.create("rrcount:///");
    }

    @Override
    public String getScheme() {
        return "rrcount";
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        return new FSDataInputStream(new Counting(super.open(f, bufferSize)));
    }

    private static final class Counting extends FSInputStream {
        private final FSDataInputStream in;

        Counting(FSDataInputStream in) {
            this.in = in;
        }

        @Override
        public void seek(long pos) throws IOException {
            in.seek(pos);
        }

        @Override
        public long getPos() throws IOException {
            return in.getPos();
        }

        @Override
        public boolean seekToNewSource(long targetPos) {
            return false;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                SEQUENTIAL_BYTES.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            SEQUENTIAL_BYTES.addAndGet(Math.max(0, n));
            return n;
        }

        @Override
        public int read(long position, byte[] buffer, int offset, int length) throws IOException {
            LARGEST_REQUEST.accumulateAndGet(length, Math::max);
            int n = in.read(position, buffer, offset, length);
            POSITIONED_BYTES.addAndGet(Math.max(0, n));
            return n;
        }

        @Override
        public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
            LARGEST_REQUEST.accumulateAndGet(length, Math::max);
            in.readFully(position, buffer, offset, length);
            POSITIONED_BYTES.addAndGet(length);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
