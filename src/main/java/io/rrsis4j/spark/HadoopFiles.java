package io.rrsis4j.spark;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.raster.GeoRaster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Files by path or URI through Hadoop's file systems (local, HDFS, S3A when the cluster has it), with the driver's
 * Hadoop settings (e.g. {@code spark.hadoop.fs.s3a.*}) carried to the executors.
 */
final class HadoopFiles implements Serializable {

    private final HashMap<String, String> settings;
    private transient Configuration configuration;

    private HadoopFiles(HashMap<String, String> settings) {
        this.settings = settings;
    }

    static HadoopFiles of(SparkSession spark) {
        return of(spark.sparkContext().hadoopConfiguration());
    }

    static HadoopFiles of(Configuration configuration) {
        HashMap<String, String> settings = new HashMap<>();
        for (Map.Entry<String, String> e : configuration) {
            settings.put(e.getKey(), e.getValue());
        }
        return new HadoopFiles(settings);
    }

    Configuration configuration() {
        if (configuration == null) {
            Configuration c = new Configuration(false);
            settings.forEach(c::set);
            configuration = c;
        }
        return configuration;
    }

    /** {@code path} as is when it is absolute or a URI, else relative to {@code base} (the manifest's folder). */
    static String resolve(String base, String path) {
        Path p = new Path(path);
        if (p.isAbsolute() || p.toUri().getScheme() != null || base == null) {
            return path;
        }
        return new Path(new Path(base), p).toString();
    }

    /**
     * The file as a path on this machine, for the readers the single-JVM commands use: a local path as it is, any
     * other URI copied to a temporary file with the same extension (the caller deletes it when {@code copied}).
     */
    record LocalFile(java.nio.file.Path path, boolean copied) {}

    LocalFile local(String path) {
        if (isLocal(path)) {
            return new LocalFile(java.nio.file.Path.of(new Path(path).toUri().getPath()), false);
        }
        try {
            Path p = new Path(path);
            String name = p.getName();
            java.nio.file.Path copy = java.nio.file.Files.createTempFile("rrsis4j-",
                    name.contains(".") ? name.substring(name.lastIndexOf('.')) : "");
            try (InputStream in = p.getFileSystem(configuration()).open(p)) {
                java.nio.file.Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                java.nio.file.Files.deleteIfExists(copy);
                throw e;
            }
            return new LocalFile(copy, true);
        } catch (java.io.FileNotFoundException e) {
            throw new InvalidInputException(path + ": image file not found");
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(path + ": cannot read: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /**
     * The raster at {@code path}: a local path or {@code file:} URI opened as a local file (FileChannel, as the
     * single-JVM commands read it), any other URI through its Hadoop file system with ranged reads
     * ({@link HadoopRasterBytes}), never copied whole.
     */
    GeoRaster raster(String path) {
        if (isLocal(path)) {
            return GeoRaster.open(java.nio.file.Path.of(new Path(path).toUri().getPath()));
        }
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(configuration());
            if (!fs.getFileStatus(p).isFile()) {
                throw new InvalidInputException(path + ": is a folder, not an image file");
            }
            return GeoRaster.open(new HadoopRasterBytes(fs, p, path));
        } catch (java.io.FileNotFoundException e) {
            throw new InvalidInputException(path + ": image file not found");
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot read: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /**
     * Copies a finished local file to {@code target} on its file system, as {@code .NAME.part} beside it renamed
     * into place, so a reader never sees a half-copied output; an existing target is replaced.
     */
    void upload(java.nio.file.Path local, String target) throws IOException {
        Path to = new Path(target);
        FileSystem fs = to.getFileSystem(configuration());
        Path part = new Path(to.getParent(), "." + to.getName() + ".part");
        fs.copyFromLocalFile(false, true, new Path(local.toUri()), part);
        if (fs.exists(to) && !fs.delete(to, false)) {
            fs.delete(part, false);
            throw new IOException(target + ": cannot replace it");
        }
        if (!fs.rename(part, to)) {
            fs.delete(part, false);
            throw new IOException(target + ": cannot rename " + part + " to it");
        }
    }

    /** Deletes {@code path} if it exists (an output of a run that failed later). */
    void deleteIfExists(String path) throws IOException {
        Path p = new Path(path);
        p.getFileSystem(configuration()).delete(p, false);
    }

    boolean exists(String path) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(configuration()).exists(p);
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot look at it: " + e.getMessage());
        }
    }

    /**
     * Creates or replaces {@code path}: a retried task writes the same name again. A local file is written by
     * Hadoop's raw local file system: the default one keeps a hidden {@code .NAME.crc} beside every file, which
     * would clutter the user's folder of masks.
     */
    OutputStream create(String path) throws IOException {
        Path p = new Path(path);
        org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(configuration());
        if (fs instanceof org.apache.hadoop.fs.LocalFileSystem checksummed) {
            fs = checksummed.getRaw();
        }
        return fs.create(p, true);
    }

    /** Whether {@code path} is on this machine's file system (then it may be opened as a {@link java.nio.file.Path}). */
    static boolean isLocal(String path) {
        String scheme = new Path(path).toUri().getScheme();
        return scheme == null || "file".equals(scheme);
    }
}
