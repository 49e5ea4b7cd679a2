package io.rrsis4j.spark;

import io.rrsis4j.io.raster.RasterBytes;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A raster file on any Hadoop file system (HDFS, S3A, ...) read with positioned reads
 * ({@link FSDataInputStream#readFully(long, byte[], int, int)}): HDFS reads just those bytes from a datanode, S3A
 * makes a ranged GET, so a task reading a window of a scene fetches the blocks the window touches, not the file.
 */
final class HadoopRasterBytes implements RasterBytes {

    private final FileSystem fs;
    private final Path path;
    private final String name;
    private long size = -1;

    HadoopRasterBytes(FileSystem fs, Path path, String name) {
        this.fs = fs;
        this.path = path;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() throws IOException {
        if (size < 0) {
            size = fs.getFileStatus(path).getLen();
        }
        return size;
    }

    @Override
    public Reader open() throws IOException {
        FSDataInputStream in = fs.open(path);
        return new Reader() {
            @Override
            public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
                in.readFully(position, buffer, offset, length);
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }
}
