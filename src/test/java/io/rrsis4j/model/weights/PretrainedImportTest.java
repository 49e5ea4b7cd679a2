package io.rrsis4j.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.text.TokenizedSentence;
import io.rrsis4j.data.text.WordPieceTokenizer;
import io.rrsis4j.io.torch.TensorData;
import io.rrsis4j.io.torch.TorchCheckpointWriter;
import io.rrsis4j.model.BertEncoder;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.BtdNetTest;
import io.rrsis4j.model.ParameterPaths;
import io.rrsis4j.model.SwinBackbone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.*;

/** Imports the committed fixtures ({@link WeightFixtures}) into the real encoders and BTDNet. */
class PretrainedImportTest {
    @TempDir Path dir;

    private static SwinBackbone swin(NDManager m, int window) {
        SwinBackbone swin = new SwinBackbone(WeightFixtures.swinConfig(window));
        swin.initialize(m, DataType.FLOAT32);
        return swin;
    }

    private static BertEncoder bert(NDManager m) {
        BertEncoder bert = new BertEncoder(WeightFixtures.bertConfig());
        bert.initialize(m, DataType.FLOAT32);
        return bert;
    }

    private static void assertValues(TensorData want, Parameter p, String name) {
        assertArrayEquals(want.shape(), p.getArray().getShape().getShape(), name);
        assertArrayEquals(want.floats(), p.getArray().toFloatArray(), name);
    }

    /** Every Swin parameter except the new output norms equals the fixture tensor of the same name; returns the count. */
    private static int assertSwinLoaded(Map<String, Parameter> params) {
        Map<String, TensorData> sd = WeightFixtures.swinMini();
        int compared = 0;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            String k = e.getKey();
            if (k.matches("norm[0-3]\\..*")) {
                float expected = k.endsWith("weight") ? 1f : 0f;
                for (float v : e.getValue().getArray().toFloatArray()) {
                    assertEquals(expected, v, k);
                }
                continue;
            }
            assertTrue(sd.containsKey(k), "no fixture tensor for " + k);
            assertValues(sd.get(k), e.getValue(), k);
            compared++;
        }
        return compared;
    }

    @Test
    void swinWithTheCheckpointWindowGetsExactValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            SwinBackbone swin = swin(m, WeightFixtures.SWIN_WINDOW);
            PretrainedWeights.importSwin(WeightFixtures.resource(WeightFixtures.SWIN_PTH), swin, false);
            Map<String, Parameter> params = ParameterPaths.of(swin);
            // 4 patch-embed + 13 per block x 5 blocks + 3 per downsample x 3
            assertEquals(4 + 13 * 5 + 3 * 3, assertSwinLoaded(params));
        }
    }

    @Test
    void swinWithAnotherWindowGetsResizedBiasTables() {
        for (int window : new int[] {4, 12}) {
            try (NDManager m = NDManager.newBaseManager()) {
                SwinBackbone swin = swin(m, window);
                PretrainedWeights.importSwin(WeightFixtures.resource(WeightFixtures.SWIN_PTH), swin, false);
                Map<String, Parameter> params = ParameterPaths.of(swin);
                Map<String, TensorData> sd = WeightFixtures.swinMini();
                int rows = (2 * window - 1) * (2 * window - 1);
                NDArray constant = params.get("layers.0.blocks.0.attn.relative_position_bias_table").getArray();
                assertEquals(new Shape(rows, 1), constant.getShape());
                for (float v : constant.toFloatArray()) {
                    assertEquals(WeightFixtures.CONSTANT_TABLE_VALUE, v, 1e-6);
                }
                String k = "layers.3.blocks.0.attn.relative_position_bias_table";
                NDArray table = params.get(k).getArray();
                assertEquals(new Shape(rows, 2), table.getShape());
                // the resized table equals the bicubic resize of the source, and is not the untouched init
                assertArrayEquals(PretrainedWeights.resizeBiasTable(sd.get(k), 2 * window - 1).floats(),
                        table.toFloatArray(), 1e-6f);
                // a window-independent parameter lands exactly
                assertValues(sd.get("layers.2.blocks.0.attn.qkv.weight"), params.get("layers.2.blocks.0.attn.qkv.weight"),
                        "qkv");
            }
        }
    }

    @Test
    void bertFromSafetensorsAndFromTorchBinGetExactValues() {
        Map<String, TensorData> sd = WeightFixtures.bertMini(false);
        for (String fixture : List.of(WeightFixtures.BERT_DIR, WeightFixtures.BERT_BIN_DIR)) {
            try (NDManager m = NDManager.newBaseManager()) {
                BertEncoder bert = bert(m);
                PretrainedWeights.importBert(WeightFixtures.resource(fixture), bert, false);
                Map<String, Parameter> params = ParameterPaths.of(bert);
                assertEquals(5 + 16 * WeightFixtures.BERT_LAYERS, params.size());
                for (Map.Entry<String, Parameter> e : params.entrySet()) {
                    assertValues(sd.get("bert." + e.getKey()), e.getValue(), fixture + " " + e.getKey());
                }
            }
        }
    }

    @Test
    void bertVocabularyComesWithTheWeights() {
        Path fixture = WeightFixtures.resource(WeightFixtures.BERT_DIR);
        Path vocab = PretrainedWeights.bertVocabulary(fixture);
        assertEquals(fixture.resolve("vocab.txt"), vocab);
        assertEquals(vocab, PretrainedWeights.bertVocabulary(fixture.resolve("model.safetensors")));
        WordPieceTokenizer t = WordPieceTokenizer.fromVocabFile(vocab);
        assertEquals(WeightFixtures.bertMini(false).get("bert.embeddings.word_embeddings.weight").shape()[0], t.vocabSize());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PretrainedWeights.bertVocabulary(dir));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("vocab.txt"), e.getMessage());
    }

    @Test
    void wholeBtdNetTakesBothEncodersAndRuns() {
        BtdNetConfig micro = BtdNetConfig.micro();
        BtdNetConfig cfg = new BtdNetConfig(64, micro.maxTokens(), micro.vocabSize(), WeightFixtures.SWIN_EMBED,
                List.of(2, 1, 1, 1), List.of(1, 1, 2, 2), WeightFixtures.SWIN_WINDOW, 4.0, 0.0,
                WeightFixtures.BERT_HIDDEN, WeightFixtures.BERT_LAYERS, WeightFixtures.BERT_HEADS,
                WeightFixtures.BERT_INTERMEDIATE, List.of(1, 2, 2, 2), 16, micro.contextDilations(),
                micro.reconstructionLayers(), true, true, true, 0.5, 0.5, 0.1, micro.ceClassWeights(), 0.1, true);
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNet net = BtdNetTest.create(cfg, m);
            PretrainedWeights.importSwin(WeightFixtures.resource(WeightFixtures.SWIN_PTH), net.swin(), false);
            Path bertDir = WeightFixtures.resource(WeightFixtures.BERT_DIR);
            PretrainedWeights.importBert(bertDir, net.bert(), false);
            assertSwinLoaded(ParameterPaths.of(net.swin()));
            assertValues(WeightFixtures.bertMini(false).get("bert.encoder.layer.1.output.dense.weight"),
                    ParameterPaths.of(net).get("bert.encoder.layer.1.output.dense.weight"), "through the whole net");

            WordPieceTokenizer tok = WordPieceTokenizer.fromVocabFile(PretrainedWeights.bertVocabulary(bertDir),
                    cfg.maxTokens());
            TokenizedSentence s = tok.encode("the red car near the lake");
            Shape ts = new Shape(1, cfg.maxTokens());
            NDArray image = m.randomNormal(new Shape(1, 3, cfg.imageSize(), cfg.imageSize()));
            NDList out = net.forward(new ParameterStore(m, false),
                    new NDList(image, m.create(s.ids(), ts), m.create(s.attentionMask(), ts)), false);
            NDArray logits = out.get("logits");
            assertEquals(new Shape(1, 2, cfg.imageSize(), cfg.imageSize()), logits.getShape());
            assertTrue(logits.isInfinite().logicalOr(logits.isNaN()).none().getBoolean(), "finite logits");
        }
    }

    private Path swinVariant(String name, java.util.function.Consumer<Map<String, TensorData>> change) {
        Map<String, TensorData> sd = new LinkedHashMap<>(WeightFixtures.swinMini());
        change.accept(sd);
        Path f = dir.resolve(name);
        WeightFixtures.writeSwin(f, sd);
        return f;
    }

    @Test
    void errorsNameTheFileAndTheKeys() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            SwinBackbone swin = swin(m, 7);
            Path missing = swinVariant("missing.pth", sd -> sd.remove("layers.1.blocks.0.mlp.fc2.bias"));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> PretrainedWeights.importSwin(missing, swin, false));
            assertTrue(e.getMessage().contains("missing.pth")
                    && e.getMessage().contains("missing [layers.1.blocks.0.mlp.fc2.bias]"), e.getMessage());
            PretrainedWeights.importSwin(missing, swin, true); // allowed when asked for

            Path extra = swinVariant("extra.pth", sd -> sd.put("layers.0.blocks.0.attn.gate",
                    TensorData.ofFloats(new long[] {1}, new float[] {1})));
            e = assertThrows(InvalidInputException.class, () -> PretrainedWeights.importSwin(extra, swin, true));
            assertTrue(e.getMessage().contains("unexpected [layers.0.blocks.0.attn.gate]"), e.getMessage());

            Path shape = swinVariant("shape.pth", sd -> sd.put("patch_embed.proj.bias",
                    TensorData.ofFloats(new long[] {5}, new float[5])));
            e = assertThrows(InvalidInputException.class, () -> PretrainedWeights.importSwin(shape, swin, false));
            assertTrue(e.getMessage().contains("shape.pth") && e.getMessage().contains("patch_embed.proj.bias")
                    && e.getMessage().contains("[5]") && e.getMessage().contains("[4]"), e.getMessage());

            Path cut = dir.resolve("cut.pth");
            byte[] all = Files.readAllBytes(WeightFixtures.resource(WeightFixtures.SWIN_PTH));
            Files.write(cut, Arrays.copyOf(all, all.length * 2 / 3));
            e = assertThrows(InvalidInputException.class, () -> PretrainedWeights.importSwin(cut, swin, false));
            assertTrue(e.getMessage().contains("cut.pth"), e.getMessage());

            BertEncoder bert = bert(m);
            Path bertMissing = dir.resolve("bert-missing/pytorch_model.bin");
            Map<String, TensorData> sd = new LinkedHashMap<>(WeightFixtures.bertMini(false));
            sd.remove("bert.embeddings.token_type_embeddings.weight");
            TorchCheckpointWriter.write(bertMissing, sd);
            e = assertThrows(InvalidInputException.class,
                    () -> PretrainedWeights.importBert(bertMissing.getParent(), bert, false));
            assertTrue(e.getMessage().contains("pytorch_model.bin")
                    && e.getMessage().contains("embeddings.token_type_embeddings.weight"), e.getMessage());
            e = assertThrows(InvalidInputException.class, () -> PretrainedWeights.importBert(dir, bert, false));
            assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        }
    }

    /** The committed files are what {@link WeightFixtures#main} writes today. */
    @Test
    void committedFixturesMatchTheGenerator() throws Exception {
        WeightFixtures.main(new String[] {dir.toString()});
        for (String f : List.of("swin-mini.pth", "bert-mini/model.safetensors", "bert-mini/vocab.txt",
                "bert-mini-bin/pytorch_model.bin")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve(f)),
                    Files.readAllBytes(WeightFixtures.resource("/fixtures/" + f)), f);
        }
    }
}
