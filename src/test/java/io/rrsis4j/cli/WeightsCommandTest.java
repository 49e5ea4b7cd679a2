package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.rrsis4j.io.torch.SafetensorsFile;
import io.rrsis4j.io.torch.TensorData;
import io.rrsis4j.io.torch.TorchCheckpointReader;
import io.rrsis4j.io.torch.TorchFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsCommandTest {
    @TempDir Path dir;

    /** Runs the command line; returns {exit code, stdout, stderr}. */
    private static String[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String inspect(Path file) {
        String[] r = run("weights", "inspect", file.toString());
        assertEquals("0", r[0], r[2]);
        return r[1];
    }

    @Test
    void inspectSaysWhatImportsWhere() {
        String swin = inspect(TorchFixtures.file("swin-official.pth"));
        assertTrue(swin.contains("state dict \"model\": 115 tensors, 97099 values"), swin);
        assertTrue(swin.contains("Swin: fits (embed 8, depths [2, 2, 2, 1], heads [1, 2, 4, 4], window 3, patch 4): 104"
                + " tensors import; skipped on purpose: layers.*.blocks.*.attn.relative_position_index x7, norm.weight,"
                + " norm.bias, head.weight, head.bias\n"), swin);
        assertTrue(swin.contains("BERT: does not fit"), swin);
        assertTrue(swin.contains("layers.1.downsample.reduction.weight") && swin.contains("float32   [32, 64]"), swin);

        String bert = inspect(TorchFixtures.file("bert-old")); // a Hugging Face folder: its weights file
        assertTrue(bert.contains("BERT: fits (hidden 16, layers 2, intermediate 32, vocabulary 50, positions 24"), bert);
        assertTrue(bert.contains("bert.pooler.dense.weight") && bert.contains("Swin: does not fit"), bert);

        String training = inspect(TorchFixtures.file("training-checkpoint.pth"));
        assertTrue(training.contains("args (argparse.Namespace)") && training.contains("epoch (3)")
                && training.contains("optimizer.state.0 (3), optimizer.state.1 (3)"), training);
        assertTrue(training.contains("Swin: does not fit") && training.contains("BERT: does not fit"), training);

        String legacy = inspect(TorchFixtures.file("legacy.pth"));
        assertTrue(legacy.contains("legacy") && legacy.contains("bfloat16  [12]"), legacy);
    }

    @Test
    void convertWritesTheStateDictAsSafetensors() throws Exception {
        Path out = dir.resolve("swin.safetensors");
        String[] r = run("weights", "convert", TorchFixtures.file("swin-official.pth").toString(), "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("wrote 115 tensors"), r[1]);
        Map<String, TensorData> want = TorchCheckpointReader.read(TorchFixtures.file("swin-official.pth"));
        Map<String, TensorData> got = SafetensorsFile.read(out);
        assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(got.keySet()));
        want.forEach((k, t) -> TorchFixtures.assertSameTensor(t, got.get(k), k));
        assertTrue(inspect(out).contains("Swin: fits"));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void brokenFilesAreOneLineErrors() throws Exception {
        Path cut = dir.resolve("cut.pth");
        byte[] all = Files.readAllBytes(TorchFixtures.file("swin-official.pth"));
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        for (String[] args : new String[][] {{"weights", "inspect", cut.toString()},
            {"weights", "convert", cut.toString(), "--out", dir.resolve("x.safetensors").toString()}}) {
            String[] r = run(args);
            assertEquals("2", r[0]);
            assertTrue(r[2].startsWith("error: " + cut) && r[2].strip().lines().count() == 1, r[2]);
        }
        assertFalse(Files.exists(dir.resolve("x.safetensors")));
    }
}
