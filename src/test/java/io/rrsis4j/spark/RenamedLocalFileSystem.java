package io.rrsis4j.spark;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under the scheme {@code rrtest://}: a file system Spark reads through Hadoop but that is not
 * {@code file:}, as HDFS or S3A would be, so the job takes its copy-to-a-temporary-file path.
 */
public final class RenamedLocalFileSystem extends RawLocalFileSystem {
    @Override
    public URI getUri() {
        return URI.create("rrtest:///");
    }

    @Override
    public String getScheme() {
        return "rrtest";
    }
}
