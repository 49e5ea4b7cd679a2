package io.rrsis4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.hadoop.fs.FileUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint zip unpacks, with Hadoop's unzip as Spark's executors use it, to the same files. */
class CheckpointArchiveTest {
    @TempDir
    Path dir;

    @Test
    void hadoopsUnzipGivesBackEveryFileByteForByte() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("ckpt/sub"));
        byte[] weights = new byte[3_000_001];
        new Random(4).nextBytes(weights);
        Files.write(dir.resolve("ckpt/model.safetensors"), weights);
        Files.writeString(dir.resolve("ckpt/config.json"), "{\"imageSize\": 64}");
        Files.write(folder.resolve("empty.bin"), new byte[0]);
        Path zip = dir.resolve("ckpt.zip");
        long size = CheckpointArchive.write(dir.resolve("ckpt"), zip);
        assertEquals(Files.size(zip), size);
        FileUtil.unZip(zip.toFile(), dir.resolve("out").toFile());
        assertArrayEquals(weights, Files.readAllBytes(dir.resolve("out/model.safetensors")));
        assertEquals("{\"imageSize\": 64}", Files.readString(dir.resolve("out/config.json")));
        assertEquals(0, Files.size(dir.resolve("out/sub/empty.bin")));
    }
}
