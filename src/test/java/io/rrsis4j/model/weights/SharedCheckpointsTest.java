package io.rrsis4j.model.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.torch.TensorData;
import io.rrsis4j.io.torch.TorchCheckpoint;
import io.rrsis4j.io.torch.TorchFixtures;
import io.rrsis4j.io.torch.WeightFiles;
import io.rrsis4j.model.BertConfig;
import io.rrsis4j.model.BertEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints as people share them, written by torch 1.13 (src/test/python/make_torch_fixtures.py --shared): Hugging
 * Face shards (.bin and safetensors, the folder or the index named), safetensors with metadata, state dicts under
 * "state_dict", "net" and "module", a Python 2 era pickle, and a file missing half the encoder. Each imports to the
 * same BERT as bert-hf/pytorch_model.bin, giving torch's hidden states, or says what is missing in one line.
 */
class SharedCheckpointsTest {
    private static final List<String> SAME_WEIGHTS = List.of("shared/bert-sharded-bin",
            "shared/bert-sharded-bin/pytorch_model.bin.index.json", "shared/bert-sharded-safetensors",
            "shared/bert-sharded-safetensors/model.safetensors.index.json", "shared/with-metadata.safetensors",
            "shared/under-state_dict.pth", "shared/under-net.pth", "shared/under-module.pth", "shared/python2.pth");

    private static BertConfig config() {
        return BertConfig.builder().optNumLayers(2).optHiddenSize(16).optNumHeads(2).optIntermediateSize(32)
                .optVocabSize(50).optMaxPositions(24).build();
    }

    @Test
    void everySharedFormHoldsTheTensorsTorchSaved() {
        Map<String, TensorData> want = TorchFixtures.expected("shared/bert");
        for (String name : SAME_WEIGHTS) {
            Map<String, TensorData> got = WeightFiles.read(TorchFixtures.file(name));
            assertEquals(want.keySet(), got.keySet(), name);
            want.forEach((k, v) -> TorchFixtures.assertSameTensor(v, got.get(k), name + " " + k));
        }
    }

    @Test
    void everySharedFormImportsToTorchsHiddenStates() {
        Map<String, TensorData> ref = TorchFixtures.expected("bert-hf");
        for (String name : SAME_WEIGHTS) {
            try (NDManager m = NDManager.newBaseManager()) {
                BertEncoder bert = new BertEncoder(config());
                bert.initialize(m, DataType.FLOAT32);
                PretrainedWeights.importBert(TorchFixtures.file(name), bert, false);
                NDArray hidden = bert.encode(new ParameterStore(m, false), array(m, ref.get("reference.ids")),
                        array(m, ref.get("reference.mask")), false);
                float[] want = ref.get("reference.hidden").floats();
                float[] got = hidden.toFloatArray();
                double worst = 0;
                for (int i = 0; i < want.length; i++) {
                    worst = Math.max(worst, Math.abs(want[i] - got[i]));
                }
                assertTrue(worst < 1e-5, name + ": max difference " + worst);
            }
        }
    }

    @Test
    void aPython2PickleKeepsItsLatin1Strings() {
        TorchCheckpoint c = WeightFiles.open(TorchFixtures.file("shared/python2.pth"), false);
        assertEquals("state_dict", c.stateDictPath());
        Map<?, ?> args = (Map<?, ?>) ((Map<?, ?>) c.root()).get("args");
        assertEquals("caf\u00e9 \u00b5m", args.get("note"));
    }

    @Test
    void shardsAreOneStateDictInInspect() {
        String report = WeightsReport.describe(TorchFixtures.file("shared/bert-sharded-bin"));
        assertTrue(report.contains("2 shards") && report.contains("pytorch_model.bin.index.json"), report);
    }

    @Test
    void halfTheParametersMissingIsCountedAndNamedForTheImportAndListedByInspect() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                BertEncoder bert = new BertEncoder(config());
                bert.initialize(m, DataType.FLOAT32);
                PretrainedWeights.importBert(TorchFixtures.file("shared/half-missing.pth"), bert, false);
            }
        });
        String message = e.getMessage();
        assertTrue(message.contains("16 of the model's") && message.contains("parameters missing [encoder.layer.0.")
                && !message.contains("\n"), message);
        String report = WeightsReport.describe(TorchFixtures.file("shared/half-missing.pth"));
        assertTrue(report.contains("encoder.layer.0.attention"), report);
    }

    @Test
    void aMissingOrIncompleteShardIsOneLine(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectory(dir.resolve("bert"));
        Path source = TorchFixtures.file("shared/bert-sharded-bin");
        Files.copy(source.resolve("pytorch_model.bin.index.json"), folder.resolve("pytorch_model.bin.index.json"));
        Files.copy(source.resolve("pytorch_model-00001-of-00002.bin"), folder.resolve("pytorch_model-00001-of-00002.bin"));
        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> WeightFiles.read(folder));
        assertTrue(missing.getMessage().contains("1 of its 2 shard files are missing: pytorch_model-00002-of-00002.bin"),
                missing.getMessage());
        // the second shard replaced by the first: the names the index places in it are not there
        Files.copy(source.resolve("pytorch_model-00001-of-00002.bin"), folder.resolve("pytorch_model-00002-of-00002.bin"));
        InvalidInputException lacking = assertThrows(InvalidInputException.class, () -> WeightFiles.read(folder));
        assertTrue(lacking.getMessage().contains("shard pytorch_model-00002-of-00002.bin lacks"), lacking.getMessage());
        Files.writeString(folder.resolve("pytorch_model.bin.index.json"), "{\"metadata\": {}}");
        assertTrue(assertThrows(InvalidInputException.class, () -> WeightFiles.read(folder)).getMessage()
                .contains("without a \"weight_map\""));
    }

    private static NDArray array(NDManager m, TensorData t) {
        return t.isFloat() ? m.create(t.floats(), new Shape(t.shape())) : m.create(t.longs(), new Shape(t.shape()));
    }
}
