package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.data.RefSegRsReader;
import io.rrsis4j.data.RrsisdReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesBothFormatsAndRejectsBadOptions() {
        assertEquals(0, Main.run("synth", "--out", dir.resolve("a").toString(), "--format", "rrsisd", "--count", "10",
                "--size", "64", "--seed", "3"));
        assertTrue(Files.isRegularFile(dir.resolve("a/rrsisd/refs(unc).p")));
        assertTrue(new RrsisdReader().read(dir.resolve("a"), "train").size() > 0);
        assertEquals(0, Main.run("synth", "--out", dir.resolve("b").toString(), "--format", "refsegrs", "--count", "4",
                "--size", "48"));
        assertTrue(new RefSegRsReader().read(dir.resolve("b"), "train").size() > 0);
        assertEquals(2, Main.run("synth", "--out", dir.resolve("c").toString(), "--format", "coco"));
        assertEquals(2, Main.run("synth", "--out", dir.resolve("c").toString(), "--size", "8"));
    }
}
