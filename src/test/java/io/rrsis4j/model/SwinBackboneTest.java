package io.rrsis4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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

class SwinBackboneTest {

    /** embed 24, window 4, two blocks per stage so every stage has a shifted block. */
    static SwinConfig testConfig(float dropPath) {
        return SwinConfig.builder().setEmbedDim(24).setDepths(2, 2, 2, 2).setNumHeads(2, 2, 4, 8)
                .optWindowSize(4).optDropPathRate(dropPath).build();
    }

    /** The parameter names of the official Swin state dict (classification norm/head and buffers left out). */
    static List<String> officialNames(SwinConfig c) {
        List<String> names = new ArrayList<>(List.of(
                "patch_embed.proj.weight", "patch_embed.proj.bias", "patch_embed.norm.weight", "patch_embed.norm.bias"));
        String[] block = {"norm1.weight", "norm1.bias", "attn.relative_position_bias_table", "attn.qkv.weight",
            "attn.qkv.bias", "attn.proj.weight", "attn.proj.bias", "norm2.weight", "norm2.bias", "mlp.fc1.weight",
            "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias"};
        for (int s = 0; s < c.numStages(); s++) {
            for (int b = 0; b < c.depth(s); b++) {
                for (String n : block) {
                    names.add("layers." + s + ".blocks." + b + "." + n);
                }
            }
            if (s < c.numStages() - 1) {
                names.add("layers." + s + ".downsample.reduction.weight");
                names.add("layers." + s + ".downsample.norm.weight");
                names.add("layers." + s + ".downsample.norm.bias");
            }
        }
        for (int s = 0; s < c.numStages(); s++) {
            names.add("norm" + s + ".weight");
            names.add("norm" + s + ".bias");
        }
        return names;
    }

    static long count(Map<String, Parameter> params) {
        return params.values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    @Test
    void swinTinyParameterNamesAreTheOfficialKeys() {
        SwinConfig c = SwinConfig.tiny();
        Map<String, Parameter> params = ParameterPaths.of(new SwinBackbone(c));
        // Swin-T official: 173 parameter tensors incl. norm + head; the backbone: 169 + norm0..norm3 = 177
        assertEquals(177, params.size());
        assertEquals(officialNames(c), new ArrayList<>(params.keySet()));
        assertEquals(new Shape(23 * 23, 3), params.get("layers.0.blocks.0.attn.relative_position_bias_table").getShape());
        assertEquals(new Shape(96, 3, 4, 4), params.get("patch_embed.proj.weight").getShape());
        assertEquals(new Shape(3 * 384, 384), params.get("layers.2.blocks.5.attn.qkv.weight").getShape());
        assertEquals(new Shape(384, 1536), params.get("layers.2.blocks.5.mlp.fc2.weight").getShape());
        assertEquals(new Shape(192, 384), params.get("layers.0.downsample.reduction.weight").getShape());
        assertEquals(new Shape(384), params.get("layers.0.downsample.norm.weight").getShape());
        assertEquals(new Shape(768), params.get("norm3.bias").getShape());
        assertFalse(params.containsKey("layers.3.downsample.reduction.weight"));
    }

    @Test
    void swinBaseParameterCountMatchesTheOfficialModel() {
        long backbone = count(ParameterPaths.of(new SwinBackbone(SwinConfig.base())));
        // swin_base_patch4_window12_384 as published = torchvision swin_b's 87,768,224 (window 7) plus the larger
        // bias tables: (23^2 - 13^2) * (2*4 + 2*8 + 18*16 + 2*32) = 135,360 -> 87,903,584 with classifier.
        long official = 87_768_224L + (23 * 23 - 13 * 13) * (2 * 4 + 2 * 8 + 18 * 16 + 2 * 32);
        // ours = official - head (1024*1000+1000) - final norm (2*1024) + norm0..norm3 (2*(128+256+512+1024))
        long asOfficial = backbone + 1024 * 1000 + 1000 + 2 * 1024 - 2 * (128 + 256 + 512 + 1024);
        assertEquals(official, asOfficial);
        assertEquals(86_880_376L, backbone);
        assertTrue(Math.abs(asOfficial - 88.0e6) / 88.0e6 < 0.01, "about 88 M as the Swin paper states");
    }

    @Test
    void swinTinyStageShapesAt480() {
        try (NDManager m = NDManager.newBaseManager()) {
            SwinBackbone swin = new SwinBackbone(SwinConfig.tiny());
            swin.initialize(m, DataType.FLOAT32, new Shape(1, 3, 480, 480));
            NDList maps = swin.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(1, 3, 480, 480))), false);
            assertEquals(new Shape(1, 96, 120, 120), maps.get(0).getShape());
            assertEquals(new Shape(1, 192, 60, 60), maps.get(1).getShape());
            assertEquals(new Shape(1, 384, 30, 30), maps.get(2).getShape());
            assertEquals(new Shape(1, 768, 15, 15), maps.get(3).getShape());
            for (NDArray map : maps) {
                assertTrue(Float.isFinite(map.abs().sum().getFloat()));
            }
            assertArrayEquals(swin.getOutputShapes(new Shape[] {new Shape(1, 3, 480, 480)}),
                    maps.getShapes());
        }
    }

    @Test
    void swinBaseStageShapesAt480() {
        try (NDManager m = NDManager.newBaseManager()) {
            SwinBackbone swin = new SwinBackbone(SwinConfig.base());
            swin.initialize(m, DataType.FLOAT32);
            NDList maps = swin.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(1, 3, 480, 480))), false);
            assertEquals(new Shape(1, 128, 120, 120), maps.get(0).getShape());
            assertEquals(new Shape(1, 256, 60, 60), maps.get(1).getShape());
            assertEquals(new Shape(1, 512, 30, 30), maps.get(2).getShape());
            assertEquals(new Shape(1, 1024, 15, 15), maps.get(3).getShape());
            assertTrue(Float.isFinite(maps.get(3).abs().sum().getFloat()));
        }
    }

    @Test
    void sidesThatAreNoMultipleOfWindowOrPatchArePadded() {
        try (NDManager m = NDManager.newBaseManager()) {
            SwinBackbone swin = new SwinBackbone(testConfig(0f));
            swin.initialize(m, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(m, false);
            // 96: grids 24, 12, 6 (padded to 8), 3 (padded to 4); 90 x 70: 23 x 18 grid, odd merges padded
            NDList a = swin.forward(ps, new NDList(m.randomNormal(new Shape(2, 3, 96, 96))), false);
            assertEquals(new Shape(2, 24, 24, 24), a.get(0).getShape());
            assertEquals(new Shape(2, 192, 3, 3), a.get(3).getShape());
            NDList b = swin.forward(ps, new NDList(m.randomNormal(new Shape(1, 3, 90, 70))), false);
            assertEquals(new Shape(1, 24, 23, 18), b.get(0).getShape());
            assertEquals(new Shape(1, 48, 12, 9), b.get(1).getShape());
            assertEquals(new Shape(1, 96, 6, 5), b.get(2).getShape());
            assertEquals(new Shape(1, 192, 3, 3), b.get(3).getShape());
            for (NDArray map : b) {
                assertTrue(Float.isFinite(map.abs().sum().getFloat()));
            }
        }
    }

    @Test
    void batchedSamplesAreIndependent() {
        try (NDManager m = NDManager.newBaseManager()) {
            SwinBackbone swin = new SwinBackbone(testConfig(0f));
            swin.initialize(m, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray images = m.randomNormal(new Shape(2, 3, 64, 48));
            NDList both = swin.forward(ps, new NDList(images), false);
            NDList second = swin.forward(ps, new NDList(images.get("1:2")), false);
            for (int i = 0; i < 4; i++) {
                float diff = both.get(i).get("1:2").sub(second.get(i)).abs().max().getFloat();
                assertTrue(diff < 1e-4f, "stage " + i + " differs by " + diff);
            }
        }
    }

    /** Window attention against a direct per-window, per-head computation with bias looked up by (dy, dx). */
    @Test
    void windowAttentionMatchesNaiveReference() {
        int ws = 3;
        int dim = 8;
        int heads = 2;
        int d = dim / heads;
        int n = ws * ws;
        try (NDManager m = NDManager.newBaseManager()) {
            SwinBackbone.WindowAttention attn = new SwinBackbone.WindowAttention(dim, heads, ws, new WindowGeometry());
            attn.initialize(m, DataType.FLOAT32);
            // non-trivial bias table so that a wrong index shows
            Map<String, Parameter> p = ParameterPaths.of(attn);
            p.get("relative_position_bias_table").getArray().muli(50);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(2, n, dim));
            float[] out = attn.apply(ps, x, null, 2, false).toFloatArray();

            float[] xs = x.toFloatArray();
            float[] wqkv = p.get("qkv.weight").getArray().toFloatArray();
            float[] bqkv = p.get("qkv.bias").getArray().toFloatArray();
            float[] wp = p.get("proj.weight").getArray().toFloatArray();
            float[] bp = p.get("proj.bias").getArray().toFloatArray();
            float[] table = p.get("relative_position_bias_table").getArray().toFloatArray();
            for (int win = 0; win < 2; win++) {
                float[][] qkv = new float[n][3 * dim];
                for (int t = 0; t < n; t++) {
                    for (int o = 0; o < 3 * dim; o++) {
                        float s = bqkv[o];
                        for (int i = 0; i < dim; i++) {
                            s += wqkv[o * dim + i] * xs[(win * n + t) * dim + i];
                        }
                        qkv[t][o] = s;
                    }
                }
                float[][] ctx = new float[n][dim];
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < n; i++) {
                        double[] sc = new double[n];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < n; j++) {
                            double s = 0;
                            for (int e = 0; e < d; e++) {
                                s += qkv[i][h * d + e] * qkv[j][dim + h * d + e];
                            }
                            int dy = i / ws - j / ws + ws - 1;
                            int dx = i % ws - j % ws + ws - 1;
                            sc[j] = s / Math.sqrt(d) + table[(dy * (2 * ws - 1) + dx) * heads + h];
                            max = Math.max(max, sc[j]);
                        }
                        double z = 0;
                        for (int j = 0; j < n; j++) {
                            sc[j] = Math.exp(sc[j] - max);
                            z += sc[j];
                        }
                        for (int e = 0; e < d; e++) {
                            double s = 0;
                            for (int j = 0; j < n; j++) {
                                s += sc[j] / z * qkv[j][2 * dim + h * d + e];
                            }
                            ctx[i][h * d + e] = (float) s;
                        }
                    }
                }
                for (int t = 0; t < n; t++) {
                    for (int o = 0; o < dim; o++) {
                        float s = bp[o];
                        for (int i = 0; i < dim; i++) {
                            s += wp[o * dim + i] * ctx[t][i];
                        }
                        assertEquals(s, out[(win * n + t) * dim + o], 1e-4f, "window " + win + " token " + t);
                    }
                }
            }
        }
    }

    /**
     * A token's output may depend on another token only if both share a (shifted) window and, for shifted blocks,
     * the same region of that window: perturb one input token and see which outputs move.
     */
    @Test
    void shiftedWindowsOnlyMixTokensOfTheSameRegion() {
        int ws = 4;
        try (NDManager m = NDManager.newBaseManager()) {
            SwinConfig c = SwinConfig.builder().setEmbedDim(8).setDepths(2).setNumHeads(2).optWindowSize(ws)
                    .optDropPathRate(0f).build();
            SwinBackbone swin = new SwinBackbone(c);
            swin.initialize(m, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(m, false);
            SwinBackbone.SwinStage stage = (SwinBackbone.SwinStage) swin.getChildren().get("02layers")
                    .getChildren().get("010");
            for (int[] size : new int[][] {{8, 8}, {6, 7}}) {
                int h = size[0];
                int w = size[1];
                for (SwinBackbone.SwinBlock block : stage.blocks().items()) {
                    NDArray x = m.randomNormal(new Shape(1, (long) h * w, 8));
                    float[] base = block.apply(ps, x, h, w, false).toFloatArray();
                    for (int q : new int[] {0, w + 1, h * w / 2, h * w - 1}) {
                        NDArray moved = x.duplicate();
                        moved.set(new NDIndex(0, q), m.randomNormal(new Shape(8)).mul(3));
                        float[] out = block.apply(ps, moved, h, w, false).toFloatArray();
                        for (int t = 0; t < h * w; t++) {
                            float diff = 0;
                            for (int e = 0; e < 8; e++) {
                                diff = Math.max(diff, Math.abs(out[t * 8 + e] - base[t * 8 + e]));
                            }
                            boolean expected = t == q
                                    || group(t, w, h, ws, block.shift()) == group(q, w, h, ws, block.shift());
                            assertEquals(expected, diff > 1e-5f, "size " + h + "x" + w + " shift " + block.shift()
                                    + ": token " + t + " vs perturbed " + q + " diff " + diff);
                        }
                    }
                }
            }
        }
    }

    /** Which tokens may attend to each other, from the Swin paper's picture of cyclic shift + masking. */
    private static int group(int token, int w, int h, int ws, int shift) {
        int hp = (h + ws - 1) / ws * ws;
        int wp = (w + ws - 1) / ws * ws;
        // position after the cyclic shift up-left by `shift` on the padded map
        int y = Math.floorMod(token / w - shift, hp);
        int x = Math.floorMod(token % w - shift, wp);
        int window = (y / ws) * (wp / ws) + x / ws;
        if (shift == 0) {
            return window;
        }
        // wrapped-around rows/cols (original position < shift) came from the far side: a separate region
        int regionY = y >= hp - shift ? 2 : (y >= hp - ws ? 1 : 0);
        int regionX = x >= wp - shift ? 2 : (x >= wp - ws ? 1 : 0);
        return window * 9 + regionY * 3 + regionX;
    }

    @Test
    void oneBackwardPassReachesEveryParameter() {
        try (NDManager m = NDManager.newBaseManager()) {
            SwinBackbone swin = new SwinBackbone(testConfig(0f));
            swin.initialize(m, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(m, false);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList maps = swin.forward(ps, new NDList(m.randomNormal(new Shape(2, 3, 60, 52))), true);
                NDArray loss = null;
                for (NDArray map : maps) {
                    NDArray term = map.mul(m.randomNormal(map.getShape())).sum();
                    loss = loss == null ? term : loss.add(term);
                }
                gc.backward(loss);
            }
            Set<String> without = new HashSet<>();
            for (Map.Entry<String, Parameter> e : ParameterPaths.of(swin).entrySet()) {
                NDArray g = e.getValue().getArray().getGradient();
                if (!(g.abs().sum().getFloat() > 0f)) {
                    without.add(e.getKey());
                }
            }
            assertTrue(without.isEmpty(), "no gradient: " + without);
        }
    }

    @Test
    void dropPathIsOffInInferenceAndRescalesInTraining() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(4000, 1, 2));
            assertTrue(SwinBackbone.dropPath(x, 0.3f, false) == x);
            NDArray y = SwinBackbone.dropPath(x, 0.3f, true);
            float kept = y.get(":, 0, 0").gt(0).toType(DataType.FLOAT32, false).mean().getFloat();
            assertEquals(0.7f, kept, 0.04f);
            assertEquals(1f / 0.7f, y.max().getFloat(), 1e-5f);
            // whole samples are dropped: both entries of a sample agree
            assertEquals(0f, y.get(":, 0, 0").sub(y.get(":, 0, 1")).abs().max().getFloat());
        }
    }

    /**
     * The official SwinTransformerBlock step by step (F.pad, torch.roll, window_partition, window_reverse, crop),
     * without drop path: the reference for the gather-based block.
     */
    static NDArray officialBlock(ParameterStore ps, SwinBackbone.SwinBlock block, NDArray x, int h, int w) {
        int ws = block.windowSize();
        int shift = block.shift();
        long b = x.getShape().get(0);
        long c = x.getShape().get(2);
        int hp = (h + ws - 1) / ws * ws;
        int wp = (w + ws - 1) / ws * ws;
        NDArray y = block.norm1().apply(ps, x, false).reshape(b, h, w, c);
        if (hp != h || wp != w) {
            y = y.pad(new Shape(0, 0, 0, wp - w, 0, hp - h), 0);
        }
        NDArray mask = null;
        if (shift > 0) {
            y = roll(roll(y, 1, -shift), 2, -shift);
            mask = m(y).create(WindowGeometry.shiftMask(ws, shift, hp, wp),
                    new Shape((hp / ws) * (wp / ws), 1, ws * ws, ws * ws));
        }
        int nWh = hp / ws;
        int nWw = wp / ws;
        NDArray windows = y.reshape(b, nWh, ws, nWw, ws, c).transpose(0, 1, 3, 2, 4, 5)
                .reshape(b * nWh * nWw, (long) ws * ws, c);
        NDArray attended = block.attention().apply(ps, windows, mask, nWh * nWw, false);
        y = attended.reshape(b, nWh, nWw, ws, ws, c).transpose(0, 1, 3, 2, 4, 5).reshape(b, hp, wp, c);
        if (shift > 0) {
            y = roll(roll(y, 1, shift), 2, shift);
        }
        if (hp != h || wp != w) {
            y = y.get(new NDIndex().addAllDim().addSliceDim(0, h).addSliceDim(0, w));
        }
        x = x.add(y.reshape(b, (long) h * w, c));
        return x.add(block.mlp().apply(ps, block.norm2().apply(ps, x, false), false));
    }

    private static NDManager m(NDArray a) {
        return a.getManager();
    }

    /** torch.roll(x, shift, axis). */
    static NDArray roll(NDArray x, int axis, int shift) {
        long n = x.getShape().get(axis);
        long k = ((shift % n) + n) % n;
        if (k == 0) {
            return x;
        }
        NDArray tail = x.get(new NDIndex().addAllDim(axis).addSliceDim(n - k, n));
        NDArray head = x.get(new NDIndex().addAllDim(axis).addSliceDim(0, n - k));
        return tail.concat(head, axis);
    }

    @Test
    void gatheredWindowsEqualTheOfficialPadRollPartition() {
        try (NDManager m = NDManager.newBaseManager()) {
            SwinConfig c = SwinConfig.builder().setEmbedDim(16).setDepths(2).setNumHeads(2).optWindowSize(4)
                    .optDropPathRate(0f).build();
            SwinBackbone swin = new SwinBackbone(c);
            swin.initialize(m, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(m, false);
            SwinBackbone.SwinStage stage = (SwinBackbone.SwinStage) swin.getChildren().get("02layers")
                    .getChildren().get("010");
            for (int[] size : new int[][] {{8, 8}, {5, 11}, {3, 3}, {12, 4}}) {
                NDArray x = m.randomNormal(new Shape(2, (long) size[0] * size[1], 16));
                for (SwinBackbone.SwinBlock block : stage.blocks().items()) {
                    NDArray ours = block.apply(ps, x, size[0], size[1], false);
                    NDArray official = officialBlock(ps, block, x, size[0], size[1]);
                    float diff = ours.sub(official).abs().max().getFloat();
                    assertTrue(diff < 1e-5f, size[0] + "x" + size[1] + " shift " + block.shift() + ": " + diff);
                }
            }
        }
    }

    /** Per-step results must stay in the step's manager: the model's manager holds no more arrays after a step. */
    @Test
    void aStepLeavesNoArraysInTheModelManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            SwinBackbone swin = new SwinBackbone(testConfig(0.1f));
            swin.initialize(m, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(m, false);
            int[] counts = new int[3];
            for (int step = 0; step < 3; step++) {
                try (NDManager stepManager = m.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray image = stepManager.randomNormal(new Shape(1, 3, 40, 36));
                    NDList maps = swin.forward(ps, new NDList(image), true);
                    gc.backward(maps.get(3).mul(maps.get(3)).sum());
                }
                counts[step] = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
            }
            // the first step adds the cached index/mask arrays (and gradients); later steps add nothing
            assertEquals(counts[1], counts[2]);
        }
    }

    /** Official init: truncated normal 0.02 for Linear weights and bias tables, zero biases, LayerNorm 1 / 0. */
    @Test
    void initialisationFollowsTheOfficialCode() {
        try (NDManager m = NDManager.newBaseManager()) {
            SwinBackbone swin = new SwinBackbone(SwinConfig.tiny());
            swin.initialize(m, DataType.FLOAT32);
            Map<String, Parameter> p = ParameterPaths.of(swin);
            for (String name : new String[] {"layers.2.blocks.3.attn.qkv.weight", "layers.1.blocks.0.mlp.fc1.weight",
                "layers.0.blocks.1.attn.relative_position_bias_table", "layers.2.downsample.reduction.weight"}) {
                NDArray a = p.get(name).getArray();
                float std = a.sub(a.mean()).square().mean().sqrt().getFloat();
                assertTrue(std > 0.015f && std < 0.0205f, name + " std " + std);
                assertTrue(a.abs().max().getFloat() <= 0.04f + 1e-6f, name + " is truncated at 2 std");
            }
            assertEquals(0f, p.get("layers.2.blocks.3.attn.qkv.bias").getArray().abs().max().getFloat());
            assertEquals(1f, p.get("norm2.weight").getArray().min().getFloat());
            assertEquals(0f, p.get("layers.0.blocks.0.norm1.bias").getArray().abs().max().getFloat());
            NDArray conv = p.get("patch_embed.proj.weight").getArray();
            assertTrue(conv.abs().max().getFloat() <= 1f / Math.sqrt(48) + 1e-6, "torch conv default bound");
        }
    }
}
