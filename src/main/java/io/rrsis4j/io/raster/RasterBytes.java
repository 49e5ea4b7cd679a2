package io.rrsis4j.io.raster;

import io.rrsis4j.InvalidInputException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The bytes of a raster file, read at positions: what {@link GeoRaster} needs to read the blocks a window touches
 * and nothing more. A local file ({@link FileBytes}) or, through the Spark job, a file on HDFS or object storage
 * read with ranged reads, so a scene on cluster storage is never copied whole. (io.raster stays free of Hadoop:
 * the Hadoop implementation lives in the spark package.)
 */
public interface RasterBytes {

    /** The file's path or URI, as the user named it: used in messages. */
    String name();

    /** The local file, or null when the bytes come from elsewhere. */
    default Path localFile() {
        return null;
    }

    long size() throws IOException;

    /** Opens the file for positioned reads; a window's reads share one reader. */
    Reader open() throws IOException;

    /** Positioned reads of one open file. */
    interface Reader extends Closeable {
        /** Reads exactly {@code length} bytes at {@code position}; an EOFException when the file ends before. */
        void readFully(long position, byte[] buffer, int offset, int length) throws IOException;
    }

    static RasterBytes of(Path file) {
        return new FileBytes(file);
    }

    /** A one-line input error naming this file. */
    default InvalidInputException problem(String problem) {
        return problem(problem, null);
    }

    default InvalidInputException problem(String problem, Throwable cause) {
        Path local = localFile();
        if (local != null) {
            return cause == null ? new InvalidInputException(local, problem)
                    : new InvalidInputException(local, problem, cause);
        }
        InvalidInputException e = new InvalidInputException(name() + ": " + problem);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
