package io.rrsis4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BertEncoderTest {

    static BertConfig tiny() {
        return BertConfig.builder().optNumLayers(2).optHiddenSize(64).optNumHeads(4).optIntermediateSize(128)
                .optVocabSize(100).optMaxPositions(32).build();
    }

    /** Hugging Face BertModel's parameter names, "bert." prefix and pooler left out. */
    static List<String> huggingFaceNames(int layers) {
        List<String> names = new ArrayList<>(List.of("embeddings.word_embeddings.weight",
                "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
                "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"));
        String[] layer = {"attention.self.query.weight", "attention.self.query.bias", "attention.self.key.weight",
            "attention.self.key.bias", "attention.self.value.weight", "attention.self.value.bias",
            "attention.output.dense.weight", "attention.output.dense.bias", "attention.output.LayerNorm.weight",
            "attention.output.LayerNorm.bias", "intermediate.dense.weight", "intermediate.dense.bias",
            "output.dense.weight", "output.dense.bias", "output.LayerNorm.weight", "output.LayerNorm.bias"};
        for (int i = 0; i < layers; i++) {
            for (String n : layer) {
                names.add("encoder.layer." + i + "." + n);
            }
        }
        return names;
    }

    @Test
    void parameterNamesAreHuggingFaceKeys() {
        Map<String, Parameter> tiny = ParameterPaths.of(new BertEncoder(tiny()));
        assertEquals(5 + 16 * 2, tiny.size());
        assertEquals(huggingFaceNames(2), new ArrayList<>(tiny.keySet()));
        Map<String, Parameter> base = ParameterPaths.of(new BertEncoder(BertConfig.base()));
        assertEquals(huggingFaceNames(12), new ArrayList<>(base.keySet()));
        assertEquals(new Shape(30522, 768), base.get("embeddings.word_embeddings.weight").getShape());
        assertEquals(new Shape(512, 768), base.get("embeddings.position_embeddings.weight").getShape());
        assertEquals(new Shape(2, 768), base.get("embeddings.token_type_embeddings.weight").getShape());
        assertEquals(new Shape(3072, 768), base.get("encoder.layer.11.intermediate.dense.weight").getShape());
        assertEquals(new Shape(768, 3072), base.get("encoder.layer.0.output.dense.weight").getShape());
    }

    @Test
    void bertBaseHasTheParametersOfBertBaseUncasedWithoutPooler() {
        BertEncoder bert = new BertEncoder(BertConfig.base());
        long count = ParameterPaths.of(bert).values().stream().mapToLong(p -> p.getShape().size()).sum();
        // bert-base-uncased BertModel: 109,482,240 with the pooler (768*768 + 768 = 590,592)
        assertEquals(109_482_240L - 590_592L, count);
        assertSame(ParameterPaths.of(bert).get("embeddings.word_embeddings.weight"), bert.wordEmbeddingWeight());
    }

    @Test
    void paddedTokensDoNotChangeTheRealTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            BertEncoder bert = new BertEncoder(tiny());
            bert.initialize(m, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(m, false);
            long[] real = {2, 17, 45, 9, 3};
            NDArray shortIds = m.create(real, new Shape(1, 5));
            NDArray shortOut = bert.encode(ps, shortIds, m.ones(new Shape(1, 5), DataType.INT64), false);
            assertEquals(new Shape(1, 5, 64), shortOut.getShape());

            // same sentence with 4 padding positions holding arbitrary ids
            NDArray paddedIds = m.create(new long[] {2, 17, 45, 9, 3, 77, 12, 5, 61}, new Shape(1, 9));
            NDArray mask = m.create(new long[] {1, 1, 1, 1, 1, 0, 0, 0, 0}, new Shape(1, 9));
            NDArray paddedOut = bert.encode(ps, paddedIds, mask, false).get(":, 0:5, :");
            float diff = paddedOut.sub(shortOut).abs().max().getFloat();
            assertTrue(diff < 1e-4f, "real tokens moved by " + diff);

            // control: attending to the padding does change them
            NDArray attendAll = bert.encode(ps, paddedIds, m.ones(new Shape(1, 9), DataType.INT64), false);
            assertTrue(attendAll.get(":, 0:5, :").sub(shortOut).abs().max().getFloat() > 1e-3f);
        }
    }

    @Test
    void matchesADirectComputationOfHuggingFaceBert() {
        BertConfig c = BertConfig.builder().optNumLayers(1).optHiddenSize(8).optNumHeads(2).optIntermediateSize(12)
                .optVocabSize(20).optMaxPositions(6).build();
        int hid = 8;
        int heads = 2;
        int d = 4;
        int inter = 12;
        long[] ids = {1, 7, 3, 19};
        long[] maskValues = {1, 1, 1, 0};
        int n = ids.length;
        try (NDManager m = NDManager.newBaseManager()) {
            BertEncoder bert = new BertEncoder(c);
            bert.initialize(m, DataType.FLOAT32);
            Map<String, Parameter> p = ParameterPaths.of(bert);
            // non-trivial norms and biases so a swapped weight/bias or a missing term shows
            for (Map.Entry<String, Parameter> e : p.entrySet()) {
                if (e.getKey().endsWith("bias") || e.getKey().contains("LayerNorm")) {
                    e.getValue().getArray().addi(m.randomNormal(e.getValue().getShape()).mul(0.3));
                } else {
                    e.getValue().getArray().muli(20);
                }
            }
            float[] out = bert.encode(new ParameterStore(m, false), m.create(ids, new Shape(1, n)),
                    m.create(maskValues, new Shape(1, n)), false).toFloatArray();

            float[] word = f(p, "embeddings.word_embeddings.weight");
            float[] pos = f(p, "embeddings.position_embeddings.weight");
            float[] type = f(p, "embeddings.token_type_embeddings.weight");
            double[][] x = new double[n][hid];
            for (int t = 0; t < n; t++) {
                for (int k = 0; k < hid; k++) {
                    x[t][k] = word[(int) ids[t] * hid + k] + pos[t * hid + k] + type[k];
                }
            }
            x = layerNorm(x, f(p, "embeddings.LayerNorm.weight"), f(p, "embeddings.LayerNorm.bias"));
            String l = "encoder.layer.0.";
            double[][] q = dense(x, p, l + "attention.self.query");
            double[][] k = dense(x, p, l + "attention.self.key");
            double[][] v = dense(x, p, l + "attention.self.value");
            double[][] ctx = new double[n][hid];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    double[] s = new double[n];
                    double z = 0;
                    for (int j = 0; j < n; j++) {
                        double dot = 0;
                        for (int e = 0; e < d; e++) {
                            dot += q[i][h * d + e] * k[j][h * d + e];
                        }
                        s[j] = Math.exp(dot / Math.sqrt(d) + (1 - maskValues[j]) * -10000.0);
                        z += s[j];
                    }
                    for (int e = 0; e < d; e++) {
                        double acc = 0;
                        for (int j = 0; j < n; j++) {
                            acc += s[j] / z * v[j][h * d + e];
                        }
                        ctx[i][h * d + e] = acc;
                    }
                }
            }
            double[][] a = layerNorm(add(dense(ctx, p, l + "attention.output.dense"), x),
                    f(p, l + "attention.output.LayerNorm.weight"), f(p, l + "attention.output.LayerNorm.bias"));
            double[][] inner = dense(a, p, l + "intermediate.dense");
            for (double[] row : inner) {
                for (int e = 0; e < inter; e++) {
                    row[e] = 0.5 * row[e] * (1 + erf(row[e] / Math.sqrt(2)));
                }
            }
            double[][] y = layerNorm(add(dense(inner, p, l + "output.dense"), a),
                    f(p, l + "output.LayerNorm.weight"), f(p, l + "output.LayerNorm.bias"));
            for (int t = 0; t < n; t++) {
                for (int e = 0; e < hid; e++) {
                    assertEquals(y[t][e], out[t * hid + e], 2e-4, "token " + t + " feature " + e);
                }
            }
        }
    }

    @Test
    void oneBackwardPassReachesEveryParameter() {
        try (NDManager m = NDManager.newBaseManager()) {
            BertEncoder bert = new BertEncoder(tiny());
            bert.initialize(m, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(m, false);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray ids = m.create(new long[] {2, 10, 11, 3, 0, 0, 2, 50, 3, 0, 0, 0}, new Shape(2, 6));
                NDArray mask = ids.gt(0).toType(DataType.INT64, false);
                NDArray out = bert.encode(ps, ids, mask, true);
                gc.backward(out.mul(m.randomNormal(out.getShape())).sum());
            }
            Set<String> without = new HashSet<>();
            for (Map.Entry<String, Parameter> e : ParameterPaths.of(bert).entrySet()) {
                if (!(e.getValue().getArray().getGradient().abs().sum().getFloat() > 0f)) {
                    without.add(e.getKey());
                }
            }
            assertTrue(without.isEmpty(), "no gradient: " + without);
        }
    }

    @Test
    void rejectsMismatchedMaskAndTooManyTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            BertEncoder bert = new BertEncoder(tiny());
            bert.initialize(m, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(m, false);
            assertThrows(IllegalArgumentException.class, () -> bert.encode(ps,
                    m.zeros(new Shape(1, 4), DataType.INT64), m.zeros(new Shape(1, 5), DataType.INT64), false));
            assertThrows(IllegalArgumentException.class, () -> bert.encode(ps,
                    m.zeros(new Shape(1, 33), DataType.INT64), m.zeros(new Shape(1, 33), DataType.INT64), false));
            NDList viaForward = bert.forward(ps, new NDList(m.zeros(new Shape(3, 4), DataType.INT64),
                    m.ones(new Shape(3, 4), DataType.INT64)), false);
            assertEquals(new Shape(3, 4, 64), viaForward.singletonOrThrow().getShape());
        }
    }

    private static float[] f(Map<String, Parameter> p, String name) {
        return p.get(name).getArray().toFloatArray();
    }

    private static double[][] dense(double[][] x, Map<String, Parameter> p, String prefix) {
        Shape s = p.get(prefix + ".weight").getShape();
        int out = (int) s.get(0);
        int in = (int) s.get(1);
        float[] w = f(p, prefix + ".weight");
        float[] b = f(p, prefix + ".bias");
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double acc = b[o];
                for (int i = 0; i < in; i++) {
                    acc += w[o * in + i] * x[t][i];
                }
                y[t][o] = acc;
            }
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][a[0].length];
        for (int t = 0; t < a.length; t++) {
            for (int e = 0; e < a[0].length; e++) {
                y[t][e] = a[t][e] + b[t][e];
            }
        }
        return y;
    }

    /** LayerNorm with BERT's eps 1e-12 and the biased variance. */
    private static double[][] layerNorm(double[][] x, float[] gamma, float[] beta) {
        double[][] y = new double[x.length][x[0].length];
        for (int t = 0; t < x.length; t++) {
            double mean = 0;
            for (double v : x[t]) {
                mean += v;
            }
            mean /= x[t].length;
            double var = 0;
            for (double v : x[t]) {
                var += (v - mean) * (v - mean);
            }
            var /= x[t].length;
            for (int e = 0; e < x[t].length; e++) {
                y[t][e] = (x[t][e] - mean) / Math.sqrt(var + 1e-12) * gamma[e] + beta[e];
            }
        }
        return y;
    }

    /** erf by its Maclaurin series; beyond |x| = 3.5 erf is within 1e-6 of +-1, ample for 2e-4 checks. */
    private static double erf(double x) {
        double ax = Math.abs(x);
        if (ax > 3.5) {
            return Math.signum(x);
        }
        // 2/sqrt(pi) * sum (-1)^k x^(2k+1) / (k! (2k+1)); below 3.5 the alternating terms stay small enough
        double sum = 0;
        double term = ax;
        for (int k = 0; k < 200; k++) {
            sum += term / (2 * k + 1);
            term *= -ax * ax / (k + 1);
        }
        return Math.signum(x) * 2 / Math.sqrt(Math.PI) * sum;
    }

    @Test
    void aStepLeavesNoArraysInTheModelManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            BertEncoder bert = new BertEncoder(tiny());
            bert.initialize(m, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(m, false);
            int[] counts = new int[3];
            for (int step = 0; step < 3; step++) {
                try (NDManager stepManager = m.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray ids = stepManager.create(new long[] {2, 10, 11, 3, 0}, new Shape(1, 5));
                    NDArray out = bert.encode(ps, ids, ids.gt(0), true);
                    gc.backward(out.mul(out).sum());
                }
                counts[step] = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
            }
            assertEquals(counts[1], counts[2]);
        }
    }
}
