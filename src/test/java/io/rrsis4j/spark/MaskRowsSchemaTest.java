package io.rrsis4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output table's schema as other tools read it (pyarrow, DuckDB, parquet-tools: the Parquet footer), pinned: a
 * change to a column's name, type or nullability breaks the readers of users' tables and must be deliberate (and go
 * into the README's Spark section).
 */
class MaskRowsSchemaTest {
    @TempDir
    Path dir;

    static final String PARQUET_SCHEMA = """
            message spark_schema {
              required binary id (STRING);
              optional binary image (STRING);
              optional binary text (STRING);
              optional binary mask (STRING);
              optional int32 width;
              optional int32 height;
              optional int64 area;
              optional group bbox (LIST) {
                repeated group list {
                  required int32 element;
                }
              }
              optional double mean_probability;
              optional double presence;
              optional binary geojson (STRING);
              optional binary error (STRING);
            }
            """;

    @Test
    void theWrittenTableHasThePinnedParquetSchema() throws Exception {
        Path manifest = SparkSegmentJobTest.manifest(dir.resolve("rows"), 3, 9);
        Path out = dir.resolve("out.parquet");
        try (SparkSession spark = TestSources.session("local[1]")) {
            SparkSegmentJob.run(spark, new TestSources.Colour("schema"),
                    SparkSegmentJob.Options.of(manifest.toString(), out.toString()), System.err);
        }
        Path part;
        try (Stream<Path> files = Files.list(out)) {
            part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(part.toUri()), new Configuration()))) {
            assertEquals(PARQUET_SCHEMA.strip(), reader.getFooter().getFileMetaData().getSchema().toString().strip());
        }
    }
}
