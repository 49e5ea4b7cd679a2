package io.rrsis4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.rrsis4j.data.text.EntityEraser;
import io.rrsis4j.data.text.TokenizedSentence;
import io.rrsis4j.data.text.WordPieceTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

public class BtdNetTest {
    private static final WordPieceTokenizer TOKENIZER = WordPieceTokenizer.bundled();

    public static BtdNet create(BtdNetConfig config, NDManager manager) {
        BtdNet net = new BtdNet(config);
        net.initialize(manager, DataType.FLOAT32);
        return net;
    }

    /** ids, attention, erased ids, labels for sentences, as (B, N) arrays. */
    static NDList text(NDManager m, List<String> sentences, Random random) {
        EntityEraser eraser = new EntityEraser(TOKENIZER);
        int n = TOKENIZER.maxTokens();
        long[] ids = new long[sentences.size() * n];
        long[] att = new long[ids.length];
        long[] erased = new long[ids.length];
        long[] labels = new long[ids.length];
        for (int b = 0; b < sentences.size(); b++) {
            TokenizedSentence s = TOKENIZER.encode(sentences.get(b));
            EntityEraser.ErasedSentence e = eraser.eraseEntityWords(s, random);
            System.arraycopy(s.ids(), 0, ids, b * n, n);
            System.arraycopy(s.attentionMask(), 0, att, b * n, n);
            System.arraycopy(e.ids(), 0, erased, b * n, n);
            System.arraycopy(e.labels(), 0, labels, b * n, n);
        }
        Shape shape = new Shape(sentences.size(), n);
        return new NDList(m.create(ids, shape), m.create(att, shape), m.create(erased, shape), m.create(labels, shape));
    }

    @Test
    void microShapesWithAndWithoutTheErasedPass() {
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNetConfig cfg = BtdNetConfig.micro();
            BtdNet net = create(cfg, m);
            int s = cfg.imageSize();
            NDArray image = m.randomNormal(new Shape(2, 3, s, s));
            NDList t = text(m, List.of("the red car near the lake", "two buildings on the left"), new Random(1));
            ParameterStore ps = new ParameterStore(m, false);
            NDList out = net.forward(ps, new NDList(image, t.get(0), t.get(1)), false);
            assertEquals(3, out.size());
            assertEquals(new Shape(2, 2, s, s), out.get("logits").getShape());
            assertEquals(new Shape(2, 1, s / 4, s / 4), out.get("target").getShape());
            assertEquals(new Shape(2, 1, s / 4, s / 4), out.get("background").getShape());
            NDList train = net.forward(ps, new NDList(image, t.get(0), t.get(1), t.get(2)), false);
            assertEquals(4, train.size());
            assertEquals(new Shape(2, cfg.maxTokens(), cfg.vocabSize()), train.get("reconstruction").getShape());
            Shape[] declared = net.getOutputShapes(new Shape[] {image.getShape(), t.get(0).getShape(),
                    t.get(1).getShape(), t.get(2).getShape()});
            for (int i = 0; i < 4; i++) {
                assertEquals(declared[i], train.get(i).getShape());
            }
            // stable parameter paths for checkpoints and weight import
            Set<String> paths = ParameterPaths.of(net).keySet();
            assertTrue(paths.contains("swin.patch_embed.proj.weight"));
            assertTrue(paths.contains("bert.embeddings.word_embeddings.weight"));
            assertTrue(paths.contains("bsc3.word_out.weight"));
            assertTrue(paths.contains("decoder.joint_scale"));
            assertTrue(paths.contains("reconstruction.layer1.query.weight"));
        }
    }

    @Test
    void oneTrainingStepReachesEveryParameter() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(11);
            BtdNetConfig cfg = BtdNetConfig.micro();
            BtdNet net = create(cfg, m);
            Map<String, Parameter> params = ParameterPaths.of(net);
            for (Parameter p : params.values()) {
                if (p.requiresGradient()) {
                    p.getArray().setRequiresGradient(true);
                }
            }
            int s = cfg.imageSize();
            NDArray image = m.randomNormal(new Shape(2, 3, s, s));
            NDList t = text(m, List.of("the storage tank next to the ship", "a white plane above the river"), new Random(2));
            NDArray mask = m.randomUniform(0, 1, new Shape(2, s, s)).gt(0.7).toType(DataType.FLOAT32, false);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList out = net.forward(new ParameterStore(m, false), new NDList(image, t.get(0), t.get(1), t.get(2)), true);
                BtdNetLoss.Terms loss = new BtdNetLoss(cfg).compute(out, mask, t.get(3));
                assertNotNull(loss.reconstruction());
                assertTrue(loss.reconstruction().getFloat() > 0);
                gc.backward(loss.total());
            }
            List<String> dead = new ArrayList<>();
            int checked = 0;
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                if (!e.getValue().requiresGradient()) {
                    continue; // BatchNorm running statistics
                }
                checked++;
                if (!(e.getValue().getArray().getGradient().abs().sum().getFloat() > 0)) {
                    dead.add(e.getKey());
                }
            }
            assertEquals(List.of(), dead, "parameters without gradient");
            assertTrue(checked > 100);
        }
    }

    @Test
    void ablationSwitchesChangeTheNetworkAsIntended() {
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNetConfig full = BtdNetConfig.micro();
            Set<String> fullPaths = ParameterPaths.of(new BtdNet(full)).keySet();
            int s = full.imageSize();
            NDArray image = m.randomNormal(new Shape(1, 3, s, s));
            NDList t = text(m, List.of("the boat in the lake"), new Random(3));
            ParameterStore ps = new ParameterStore(m, false);

            // BSC off: one-way fusion, the words leave the encoder as BERT made them
            BtdNet noBsc = create(full.withAblation(false, true, true), m);
            Set<String> noBscPaths = ParameterPaths.of(noBsc).keySet();
            assertTrue(fullPaths.containsAll(noBscPaths));
            assertFalse(noBscPaths.contains("bsc0.word_out.weight"));
            BtdNet.Encoding enc = noBsc.encode(ps, image, t.get(0), t.get(1), false);
            NDArray bertWords = noBsc.bert().encode(ps, t.get(0), t.get(1), false);
            assertEquals(0.0, BlockTesting.maxAbsDiff(enc.words(), bertWords), 0.0);
            BtdNet withBsc = create(full, m);
            NDArray bertWords2 = withBsc.bert().encode(ps, t.get(0), t.get(1), false);
            assertTrue(BlockTesting.maxAbsDiff(withBsc.encode(ps, image, t.get(0), t.get(1), false).words(), bertWords2) > 1e-3);

            // T-BTD off: one 3 x 3 head, logits only
            BtdNet noTbtd = create(full.withAblation(true, false, true), m);
            assertFalse(ParameterPaths.of(noTbtd).containsKey("decoder.joint_scale"));
            NDList out = noTbtd.forward(ps, new NDList(image, t.get(0), t.get(1), t.get(2)), false);
            assertEquals(2, out.size());
            assertNull(out.get("target"));
            assertNotNull(out.get("reconstruction"));

            // D-MOLS off: no reconstruction head, no erased pass even when erased ids are given
            BtdNet noDmols = create(full.withAblation(true, true, false), m);
            assertTrue(ParameterPaths.of(noDmols).keySet().stream().noneMatch(k -> k.startsWith("reconstruction.")));
            NDList out2 = noDmols.forward(ps, new NDList(image, t.get(0), t.get(1), t.get(2)), false);
            assertEquals(3, out2.size());
            assertNull(out2.get("reconstruction"));
        }
    }

    @Test
    void paddedWordsDoNotChangeTheMask() {
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNetConfig cfg = BtdNetConfig.micro();
            BtdNet net = create(cfg, m);
            int s = cfg.imageSize();
            NDArray image = m.randomNormal(new Shape(1, 3, s, s));
            NDList t = text(m, List.of("the car"), new Random(4));
            NDArray ids = t.get(0);
            NDArray other = ids.duplicate();
            other.set(new ai.djl.ndarray.index.NDIndex("0,10:"), 7); // garbage behind the attention mask
            ParameterStore ps = new ParameterStore(m, false);
            NDArray a = net.forward(ps, new NDList(image, ids, t.get(1)), false).get("logits");
            NDArray b = net.forward(ps, new NDList(image, other, t.get(1)), false).get("logits");
            assertTrue(BlockTesting.maxAbsDiff(a, b) < 1e-4);
        }
    }

    @Test
    void tinyAtTheFullInputSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNetConfig cfg = BtdNetConfig.tiny().withVocabSize(TOKENIZER.vocabSize());
            BtdNet net = create(cfg, m);
            NDArray image = m.randomNormal(new Shape(1, 3, 480, 480));
            NDList t = text(m, List.of("the tennis court on the left"), new Random(5));
            NDList out = net.forward(new ParameterStore(m, false), new NDList(image, t.get(0), t.get(1)), false);
            assertEquals(new Shape(1, 2, 480, 480), out.get("logits").getShape());
            assertEquals(new Shape(1, 1, 120, 120), out.get("target").getShape());
            assertFalse(Float.isNaN(out.get("logits").sum().getFloat()));
        }
    }
}
