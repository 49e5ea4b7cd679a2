package io.rrsis4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.bench.SyntheticGeoScene;
import io.rrsis4j.infer.ColourSegmenter;
import io.rrsis4j.infer.SceneOptions;
import io.rrsis4j.infer.SceneSegmentation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark scene} on a real HDFS (Hadoop's MiniDFSCluster, a NameNode and a DataNode in this JVM): the scene is
 * read by its hdfs:// URI and the mask and GeoJSON written there, with the outputs of {@code segment --tile} on the
 * local copy, byte for byte; the tasks read a fraction of the file per tile row, not the file.
 */
class HdfsSceneTest {
    @TempDir
    Path dir;

    @Test
    void sceneOnHdfsGivesTheLocalOutputs() throws Exception {
        Path scene = dir.resolve("scene.tif");
        SyntheticGeoScene.write(scene, 900, 640, false);
        SceneOptions options = SceneOptions.defaults(dir.resolve("local.tif"), dir.resolve("local.geojson"))
                .withTiling(160, 32).withProgress(false).withBatchSize(3);
        SceneSegmentation.Result local = SceneSegmentation.run(new ColourSegmenter(), scene, "the red tank", options);
        Configuration conf = new Configuration();
        MiniDFSCluster hdfs = new MiniDFSCluster.Builder(conf, dir.resolve("hdfs").toFile()).numDataNodes(1).build();
        try {
            hdfs.waitActive();
            FileSystem fs = hdfs.getFileSystem();
            String root = fs.getUri() + "/survey";
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(scene.toUri()),
                    new org.apache.hadoop.fs.Path(root + "/scene.tif"));
            SceneSegmentation.Result remote;
            try (SparkSession spark = TestSources.session("local[2]")) {
                remote = SparkSceneJob.run(spark, new TestSources.Colour("hdfs"), 1, root + "/scene.tif",
                        "the red tank", options, new SparkSceneJob.Outputs(root + "/out/mask.tif",
                                root + "/out/regions.geojson"), 3, System.err);
            }
            assertEquals(local.regions().size(), remote.regions().size());
            fs.copyToLocalFile(new org.apache.hadoop.fs.Path(root + "/out/mask.tif"),
                    new org.apache.hadoop.fs.Path(dir.resolve("hdfs-mask.tif").toUri()));
            fs.copyToLocalFile(new org.apache.hadoop.fs.Path(root + "/out/regions.geojson"),
                    new org.apache.hadoop.fs.Path(dir.resolve("hdfs.geojson").toUri()));
            assertArrayEquals(Files.readAllBytes(dir.resolve("local.tif")), Files.readAllBytes(dir.resolve("hdfs-mask.tif")));
            assertEquals(Files.readString(dir.resolve("local.geojson")), Files.readString(dir.resolve("hdfs.geojson")));
            // only the two outputs: no staging file left beside them
            assertEquals(2, fs.listStatus(new org.apache.hadoop.fs.Path(root + "/out")).length);
            assertTrue(local.regions().get(0).area() > 0);
        } finally {
            hdfs.shutdown(true);
        }
    }
}
