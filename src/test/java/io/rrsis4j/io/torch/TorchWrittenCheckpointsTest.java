package io.rrsis4j.io.torch;

import static io.rrsis4j.io.torch.TorchFixtures.assertSameTensor;
import static org.junit.jupiter.api.Assertions.*;

import io.rrsis4j.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the files torch 1.13 wrote ({@link TorchFixtures}) to exactly the tensors torch saved. */
class TorchWrittenCheckpointsTest {
    @TempDir Path dir;

    /** The file's state dict equals the expected tensors, name for name and in file order. */
    private static Map<String, TensorData> assertReadsAsSaved(String file, String stem) {
        Map<String, TensorData> got = TorchCheckpointReader.read(TorchFixtures.file(file));
        Map<String, TensorData> want = new LinkedHashMap<>(TorchFixtures.expected(stem));
        want.keySet().removeIf(k -> k.startsWith("reference."));
        assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(got.keySet()), file);
        want.forEach((k, t) -> assertSameTensor(t, got.get(k), file + " " + k));
        return got;
    }

    @Test
    void everyStorageDtype() {
        assertReadsAsSaved("dtypes.pth", "dtypes");
        Map<String, StoredTensor> sd = TorchCheckpointReader.readCheckpoint(TorchFixtures.file("dtypes.pth"), false)
                .stateDict();
        // dtypes.pth names each tensor by its dtype
        sd.forEach((name, t) -> assertEquals(name, t.dtype()));
        assertEquals(List.of("float32", "float16", "bfloat16", "float64", "int64", "int32", "int16", "int8", "uint8",
                "bool"), new ArrayList<>(sd.keySet()));
        TensorData bf16 = TorchCheckpointReader.read(TorchFixtures.file("dtypes.pth")).get("bfloat16");
        assertEquals(Float.POSITIVE_INFINITY, bf16.floats()[4]);
        assertTrue(Float.isNaN(bf16.floats()[6]));
        assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(bf16.floats()[1]));
    }

    @Test
    void viewsOffsetsStridesSharedStoragesScalarsAndParameters() {
        Map<String, TensorData> got = assertReadsAsSaved("views.pth", "views");
        // transposed is base.t(): element [i][j] of one is [j][i] of the other
        TensorData base = got.get("base");
        TensorData t = got.get("transposed");
        assertArrayEquals(new long[] {6, 4}, t.shape());
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(base.floats()[i * 6 + j], t.floats()[j * 4 + i]);
            }
        }
        assertArrayEquals(new long[0], got.get("scalar").shape());
        assertArrayEquals(new float[] {3.5f}, got.get("scalar").floats());
        assertArrayEquals(new long[] {-7}, got.get("scalar_int").longs());
        assertArrayEquals(new long[] {0, 3}, got.get("empty").shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3}, got.get("expanded").floats());
        Map<String, StoredTensor> stored = TorchCheckpointReader.readCheckpoint(TorchFixtures.file("views.pth"), false)
                .stateDict();
        assertEquals("float16", stored.get("half_transposed").dtype());
        assertNull(stored.get("base").values(), "described without values");
    }

    @Test
    void legacyStreamFormat() {
        assertReadsAsSaved("legacy.pth", "legacy");
        String format = TorchCheckpointReader.readCheckpoint(TorchFixtures.file("legacy.pth"), false).format();
        assertTrue(format.contains("legacy"), format);
    }

    @Test
    void torch2ZipLayoutAndBigEndianStorages() {
        assertReadsAsSaved("torch2-layout.pth", "views");
        assertReadsAsSaved("big-endian.pth", "views");
        String format = TorchCheckpointReader.readCheckpoint(TorchFixtures.file("big-endian.pth"), false).format();
        assertTrue(format.contains("2.x") && format.contains("big-endian"), format);
        format = TorchCheckpointReader.readCheckpoint(TorchFixtures.file("views.pth"), false).format();
        assertTrue(format.contains(">= 1.6") && format.contains("archive 'views'"), format);
    }

    @Test
    void trainingCheckpointWithOptimizerNamespaceAndNumpy() {
        assertReadsAsSaved("training-checkpoint.pth", "training-checkpoint");
        TorchCheckpoint c = TorchCheckpointReader.readCheckpoint(TorchFixtures.file("training-checkpoint.pth"), true);
        assertEquals("model", c.stateDictPath());
        Map<String, Map<String, StoredTensor>> maps = c.tensorMaps();
        // AdamW's state per parameter: step, exp_avg, exp_avg_sq
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq"), new ArrayList<>(maps.get("optimizer.state.0").keySet()));
        assertArrayEquals(new long[] {3, 4}, maps.get("optimizer.state.0").get("exp_avg").shape());
        Map<?, ?> root = (Map<?, ?>) c.root();
        assertEquals(3, ((Number) root.get("epoch")).intValue());
        PickledObject args = (PickledObject) root.get("args");
        assertEquals("argparse.Namespace", args.type());
        assertEquals("base", ((Map<?, ?>) args.state()).get("swin_type"));
        assertEquals("numpy.core.multiarray.scalar", ((PickledObject) root.get("max_accuracy")).type());
        // a dict subclass (yacs' CfgNode in the Swin code): its items and its attributes
        PickledObject config = (PickledObject) root.get("config");
        assertEquals("__main__.CfgNode", config.type());
        assertEquals("swin", ((Map<?, ?>) config.get("MODEL")).get("TYPE"));
        assertEquals(Boolean.TRUE, ((Map<?, ?>) config.state()).get("frozen"));
    }

    @Test
    void wholeModulePickledByTorchSaveModel() {
        Map<String, TensorData> sd = assertReadsAsSaved("whole-module.pth", "whole-module");
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked"), new ArrayList<>(sd.keySet()));
        TorchCheckpoint c = TorchCheckpointReader.readCheckpoint(TorchFixtures.file("whole-module.pth"), false);
        assertEquals("torch.nn.modules.container.Sequential", ((PickledObject) c.root()).type());
        assertReadsAsSaved("whole-module-legacy.pth", "whole-module");
    }

    @Test
    void swinAsReleasedAndAsTorchvisionSavesIt() {
        Map<String, TensorData> official = assertReadsAsSaved("swin-official.pth", "swin-official");
        TorchCheckpoint c = TorchCheckpointReader.readCheckpoint(TorchFixtures.file("swin-official.pth"), false);
        assertEquals("model", c.stateDictPath());
        Map<String, TensorData> tv = TorchCheckpointReader.read(TorchFixtures.file("swin-torchvision.pth"));
        assertEquals(official.size(), tv.size());
        tv.forEach((k, t) -> {
            String name = TorchFixtures.officialSwinName(k);
            TensorData want = official.get(name);
            assertNotNull(want, k + " -> " + name);
            if (name.endsWith("relative_position_index")) {
                assertArrayEquals(want.longs(), t.longs(), name); // torchvision keeps it flat
            } else {
                assertSameTensor(want, t, k);
            }
        });
    }

    @Test
    void huggingFaceBertBinsOldAndNew() {
        assertReadsAsSaved("bert-hf/pytorch_model.bin", "bert-hf");
        Map<String, TensorData> want = TorchFixtures.expected("bert-hf");
        Map<String, TensorData> old = TorchCheckpointReader.read(TorchFixtures.file("bert-old/pytorch_model.bin"));
        assertTrue(old.containsKey("bert.embeddings.LayerNorm.gamma"), old.keySet().toString());
        old.forEach((k, t) -> assertSameTensor(want.get(k.replace("LayerNorm.gamma", "LayerNorm.weight")
                .replace("LayerNorm.beta", "LayerNorm.bias")), t, k));
        // the decoder is tied to the word embeddings: one storage, two names, equal values
        assertArrayEquals(want.get("bert.embeddings.word_embeddings.weight").floats(),
                old.get("cls.predictions.decoder.weight").floats());
    }

    @Test
    void cutAndForeignFilesGetOneLineErrorsNamingThem() throws Exception {
        for (String fixture : List.of("swin-official.pth", "legacy.pth", "training-checkpoint.pth",
                "torch2-layout.pth")) {
            byte[] all = Files.readAllBytes(TorchFixtures.file(fixture));
            for (int keep : new int[] {all.length - 1, all.length * 2 / 3, all.length / 3, 100, 3, 0}) {
                Path cut = dir.resolve("cut-" + keep + "-" + fixture);
                Files.write(cut, Arrays.copyOf(all, keep));
                assertOneLineError(cut, "");
            }
        }
        Path png = dir.resolve("image.pth");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        assertOneLineError(png, "not a PyTorch checkpoint");
        Path json = dir.resolve("config.pth");
        Files.writeString(json, "{\"model\": 1}", StandardCharsets.UTF_8);
        assertOneLineError(json, "not a PyTorch checkpoint");
        Path zip = dir.resolve("other.zip");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            z.write("hello".getBytes(StandardCharsets.US_ASCII));
        }
        assertOneLineError(zip, "data.pkl");
        assertOneLineError(TorchFixtures.file("torchscript.pt"), "TorchScript");
    }

    private static void assertOneLineError(Path file, String says) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TorchCheckpointReader.read(file));
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString()) && m.contains(says) && !m.contains("\n"), m);
    }
}
