package io.rrsis4j.spark;

import io.rrsis4j.InvalidInputException;
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
        HashMap<String, String> settings = new HashMap<>();
        for (Map.Entry<String, String> e : spark.sparkContext().hadoopConfiguration()) {
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

    byte[] read(String path) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(configuration());
            try (InputStream in = fs.open(p)) {
                return in.readAllBytes();
            }
        } catch (java.io.FileNotFoundException e) {
            throw new InvalidInputException(path + ": image file not found");
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(path + ": cannot read: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    boolean exists(String path) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(configuration()).exists(p);
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot look at it: " + e.getMessage());
        }
    }

    /** Creates or replaces {@code path}: a retried task writes the same name again. */
    OutputStream create(String path) throws IOException {
        Path p = new Path(path);
        return p.getFileSystem(configuration()).create(p, true);
    }

    /** Whether {@code path} is on this machine's file system (then it may be opened as a {@link java.nio.file.Path}). */
    static boolean isLocal(String path) {
        String scheme = new Path(path).toUri().getScheme();
        return scheme == null || "file".equals(scheme);
    }
}
