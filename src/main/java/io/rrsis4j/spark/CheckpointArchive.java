package io.rrsis4j.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A checkpoint folder as one zip file, the form in which Spark ships a folder to executors
 * ({@code SparkContext.addArchive}; Spark 4 refuses a local folder outside local mode). Entries are not compressed:
 * float weights shrink by a few percent only, and deflating a gigabyte takes tens of seconds. The deflater's
 * uncompressed blocks are written in one pass (2.1 s for 1 GB), STORED entries would need a second read for their
 * checksums (3.4 s).
 */
final class CheckpointArchive {

    private CheckpointArchive() {}

    /** Writes the regular files of {@code folder} (with their sub-folders) to {@code zip}; its size in bytes. */
    static long write(Path folder, Path zip) {
        try (Stream<Path> walk = Files.walk(folder)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            try (OutputStream file = Files.newOutputStream(zip);
                 ZipOutputStream out = new ZipOutputStream(new java.io.BufferedOutputStream(file, 1 << 20))) {
                out.setLevel(Deflater.NO_COMPRESSION);
                for (Path f : files) {
                    out.putNextEntry(new ZipEntry(folder.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
            return Files.size(zip);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot archive the checkpoint " + folder + " into " + zip, e);
        }
    }
}
