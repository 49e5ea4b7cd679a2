package io.rrsis4j.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.rrsis4j.io.torch.TensorData;
import io.rrsis4j.io.torch.TorchCheckpointReader;
import io.rrsis4j.io.torch.TorchFixtures;
import io.rrsis4j.model.BertConfig;
import io.rrsis4j.model.BertEncoder;
import io.rrsis4j.model.ParameterPaths;
import io.rrsis4j.model.SwinBackbone;
import io.rrsis4j.model.SwinConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Networks torch ran: a torchvision Swin Transformer and a BERT written with Hugging Face's formulas in plain torch
 * (src/test/python/make_torch_fixtures.py) saved their weights with torch.save and their outputs for a random input;
 * our blocks import those files and must give the same outputs.
 */
class TorchReferenceImportTest {
    /** Output scale x 1e-5: float32 sums in another order differ by about 1e-6 of the scale. */
    private static final double RELATIVE_TOLERANCE = 1e-5;

    private static SwinBackbone swin(NDManager m) {
        SwinConfig c = SwinConfig.builder().setEmbedDim(8).setDepths(2, 2, 2, 1).setNumHeads(1, 2, 4, 4)
                .optWindowSize(3).build();
        SwinBackbone swin = new SwinBackbone(c);
        swin.initialize(m, DataType.FLOAT32);
        return swin;
    }

    private static NDArray array(NDManager m, TensorData t) {
        Shape s = new Shape(t.shape());
        return t.isFloat() ? m.create(t.floats(), s) : m.create(t.longs(), s);
    }

    /** max |ours - reference| must be under the tolerance times max |reference|. */
    private static void assertClose(TensorData reference, NDArray ours, String what) {
        assertArrayEquals(reference.shape(), ours.getShape().getShape(), what);
        float[] got = ours.toFloatArray();
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < got.length; i++) {
            scale = Math.max(scale, Math.abs(reference.floats()[i]));
            diff = Math.max(diff, Math.abs(reference.floats()[i] - got[i]));
        }
        System.out.printf("%s: max |diff| %.2e at output scale %.2f%n", what, diff, scale);
        assertTrue(diff < RELATIVE_TOLERANCE * scale, what + ": max |diff| " + diff + " at scale " + scale);
    }

    private static void assertSwinGivesReference(SwinBackbone swin, NDManager m, String what) {
        Map<String, TensorData> ref = TorchFixtures.expected("swin-official");
        NDList maps = swin.stageMaps(new ParameterStore(m, false), array(m, ref.get("reference.input")), false);
        for (int i = 0; i < 4; i++) {
            assertClose(ref.get("reference.stage" + i), maps.get(i), what + " stage " + i);
        }
    }

    @Test
    void swinSavedAsTheOfficialReleaseGivesTorchvisionsOutputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            SwinBackbone swin = swin(m);
            PretrainedWeights.importSwin(TorchFixtures.file("swin-official.pth"), swin, false);
            assertSwinGivesReference(swin, m, "official names");
        }
    }

    @Test
    void swinSavedByTorchvisionGivesItsOutputs() {
        Path file = TorchFixtures.file("swin-torchvision.pth");
        Map<String, TensorData> renamed = new LinkedHashMap<>();
        TorchCheckpointReader.read(file).forEach((k, t) -> {
            String name = TorchFixtures.officialSwinName(k);
            if (!name.endsWith("relative_position_index") && !name.startsWith("head.") && !name.startsWith("norm.")) {
                renamed.put(name, t);
            }
        });
        try (NDManager m = NDManager.newBaseManager()) {
            SwinBackbone swin = swin(m);
            // norm0..norm3 are ours alone and keep their initial weight 1, bias 0
            PretrainedWeights.copyAll(file, renamed, ParameterPaths.of(swin), true);
            assertSwinGivesReference(swin, m, "torchvision names");
        }
    }

    @Test
    void huggingFaceBertBinsGiveTheReferenceHiddenStates() {
        Map<String, TensorData> ref = TorchFixtures.expected("bert-hf");
        BertConfig c = BertConfig.builder().optNumLayers(2).optHiddenSize(16).optNumHeads(2).optIntermediateSize(32)
                .optVocabSize(50).optMaxPositions(24).build();
        for (String dir : List.of("bert-hf", "bert-old")) {
            try (NDManager m = NDManager.newBaseManager()) {
                BertEncoder bert = new BertEncoder(c);
                bert.initialize(m, DataType.FLOAT32);
                PretrainedWeights.importBert(TorchFixtures.file(dir), bert, false);
                NDArray hidden = bert.encode(new ParameterStore(m, false), array(m, ref.get("reference.ids")),
                        array(m, ref.get("reference.mask")), false);
                assertClose(ref.get("reference.hidden"), hidden, dir);
            }
        }
    }
}
