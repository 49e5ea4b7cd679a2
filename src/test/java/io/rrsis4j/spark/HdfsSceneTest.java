package io.rrsis4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.bench.SyntheticGeoScene;
import io.rrsis4j.data.Images;
import io.rrsis4j.infer.ColourSegmenter;
import io.rrsis4j.infer.MaskPrediction;
import io.rrsis4j.infer.SceneOptions;
import io.rrsis4j.infer.SceneSegmentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jobs on a real HDFS (Hadoop's MiniDFSCluster, a NameNode and a DataNode in this JVM, through the shaded
 * Hadoop client Spark uses): {@code spark scene} reads its scene by an hdfs:// URI and writes the mask and GeoJSON
 * there, equal byte for byte to {@code segment --tile}'s on the local copy; {@code spark segment} reads a manifest
 * and its images from HDFS and writes its table there, with the masks of the segmenter.
 */
class HdfsSceneTest {
    @TempDir
    static Path dir;
    private static MiniDFSCluster hdfs;
    private static FileSystem fs;
    private static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        // the DataNode logs its interrupted heartbeat thread as an error when the cluster stops
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.hadoop.hdfs.server.datanode.DataNode", "off");
        hdfs = new MiniDFSCluster.Builder(new Configuration(), dir.resolve("hdfs").toFile()).numDataNodes(1).build();
        hdfs.waitActive();
        fs = hdfs.getFileSystem();
        spark = TestSources.session("local[2]");
    }

    @AfterAll
    static void stop() throws Exception {
        if (spark != null) {
            spark.close();
        }
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
    }

    private static org.apache.hadoop.fs.Path hadoop(Path local) {
        return new org.apache.hadoop.fs.Path(local.toUri());
    }

    @Test
    void sceneOnHdfsGivesTheLocalOutputs() throws Exception {
        Path scene = dir.resolve("scene.tif");
        SyntheticGeoScene.write(scene, 900, 640, false);
        SceneOptions options = SceneOptions.defaults(dir.resolve("local.tif"), dir.resolve("local.geojson"))
                .withTiling(160, 32).withProgress(false).withBatchSize(3);
        SceneSegmentation.Result local = SceneSegmentation.run(new ColourSegmenter(), scene, "the red tank", options);
        String root = fs.getUri() + "/survey";
        fs.copyFromLocalFile(hadoop(scene), new org.apache.hadoop.fs.Path(root + "/scene.tif"));
        SceneSegmentation.Result remote = SparkSceneJob.run(spark, new TestSources.Colour("hdfs"), 1,
                root + "/scene.tif", "the red tank", options,
                new SparkSceneJob.Outputs(root + "/out/mask.tif", root + "/out/regions.geojson"), 3, System.err);
        assertEquals(1, local.regions().size());
        assertEquals(local.regions().size(), remote.regions().size());
        fs.copyToLocalFile(new org.apache.hadoop.fs.Path(root + "/out/mask.tif"), hadoop(dir.resolve("hdfs.tif")));
        fs.copyToLocalFile(new org.apache.hadoop.fs.Path(root + "/out/regions.geojson"),
                hadoop(dir.resolve("hdfs.geojson")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("local.tif")), Files.readAllBytes(dir.resolve("hdfs.tif")));
        assertEquals(Files.readString(dir.resolve("local.geojson")), Files.readString(dir.resolve("hdfs.geojson")));
        // only the two outputs: no staging file left beside them
        assertEquals(2, fs.listStatus(new org.apache.hadoop.fs.Path(root + "/out")).length);
    }

    @Test
    void manifestImagesAndTableOnHdfs() throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive/img"));
        StringBuilder csv = new StringBuilder("id,image,text\n");
        for (int i = 0; i < 6; i++) {
            SyntheticGeoScene.write(archive.resolve(i + ".tif"), 96 + 8 * i);
            csv.append("g").append(i).append(",img/").append(i).append(".tif,the red tank\n");
        }
        Files.writeString(dir.resolve("archive/pairs.csv"), csv);
        String root = fs.getUri() + "/archive";
        fs.copyFromLocalFile(hadoop(dir.resolve("archive")), new org.apache.hadoop.fs.Path(root));
        SparkSegmentJob.Summary summary = SparkSegmentJob.run(spark, new TestSources.Colour("hdfs-manifest"),
                SparkSegmentJob.Options.of(root + "/pairs.csv", root + "/masks.parquet").withPartitions(2),
                System.err);
        assertEquals(6, summary.rows());
        assertEquals(0, summary.errors());
        List<Row> rows = spark.read().parquet(root + "/masks.parquet").collectAsList();
        assertEquals(6, rows.size());
        for (Row r : rows) {
            String id = r.getAs("id");
            Path image = archive.resolve(id.substring(1) + ".tif");
            MaskPrediction expected = MaskPrediction.predict(new ColourSegmenter(), List.of(Images.read(image)),
                    List.of("the red tank"), 0.5f).get(0);
            assertEquals(expected.mask(), SparkSegmentJobTest.mask(r), id);
            assertTrue(expected.area() > 0, id);
            assertNotNull(r.getAs("geojson"), "GeoTIFF rows carry their polygons");
            assertNull(r.getAs("error"));
        }
    }
}
