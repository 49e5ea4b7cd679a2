package io.rrsis4j.io.raster;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** A local raster file read through a FileChannel (positioned reads, no shared file pointer). */
final class FileBytes implements RasterBytes {

    private final Path file;

    FileBytes(Path file) {
        this.file = file;
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public Path localFile() {
        return file;
    }

    @Override
    public long size() throws IOException {
        return Files.size(file);
    }

    @Override
    public Reader open() throws IOException {
        FileChannel channel = FileChannel.open(file);
        return new Reader() {
            @Override
            public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
                ByteBuffer b = ByteBuffer.wrap(buffer, offset, length);
                while (b.hasRemaining()) {
                    if (channel.read(b, position + b.position() - offset) < 0) {
                        throw new EOFException(file + " ends at byte " + (position + b.position() - offset));
                    }
                }
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
