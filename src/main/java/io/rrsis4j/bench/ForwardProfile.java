package io.rrsis4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.SwinBackbone;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Wall time per component of one inference forward, running BtdNet's data flow (BtdNet.encode, then the decoder)
 * piece by piece with a clock around each piece. The CPU engine runs every op synchronously, so the clock sees the
 * real work; on a GPU each piece is synchronised by reading one value back.
 */
public final class ForwardProfile {
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    private NDArray timed(String name, Supplier<NDArray> part) {
        long t0 = System.nanoTime();
        NDArray out = part.get();
        out.flatten().get(0).getFloat();
        seconds.merge(name, (System.nanoTime() - t0) / 1e9, Double::sum);
        return out;
    }

    /** Component name -> seconds, summed over {@code iterations} forwards after one warm-up; then divided. */
    public static Map<String, Double> run(BtdNet net, NDList inputs, int iterations) {
        ForwardProfile total = new ForwardProfile();
        for (int it = 0; it <= iterations; it++) {
            ForwardProfile one = new ForwardProfile();
            try (NDManager step = inputs.head().getManager().newSubManager()) {
                one.forward(net, new ParameterStore(step, false), ModelBenchmark.copy(inputs, step));
            }
            if (it > 0) {
                one.seconds.forEach((k, v) -> total.seconds.merge(k, v / iterations, Double::sum));
            }
        }
        return total.seconds;
    }

    private void forward(BtdNet net, ParameterStore ps, NDList inputs) {
        NDArray image = inputs.get(0);
        NDArray attention = inputs.get(2);
        SwinBackbone swin = net.swin();
        NDArray[] words = {timed("bert", () -> net.bert().encode(ps, inputs.get(1), attention, false))};
        int[] grid = swin.gridSize((int) image.getShape().get(2), (int) image.getShape().get(3));
        int h = grid[0];
        int w = grid[1];
        NDArray x = timed("swin patch_embed", () -> swin.embed(ps, image, false));
        NDList maps = new NDList();
        for (int i = 0; i < 4; i++) {
            final int stage = i;
            final int fh = h;
            final int fw = w;
            final NDArray in = x;
            NDArray tokens = timed("swin stage" + (i + 1), () -> swin.stage(ps, stage, in, fh, fw, false));
            NDArray vis = SwinBackbone.tokensToMap(tokens, h, w);
            NDArray[] fusedMap = new NDArray[1];
            timed("bsc" + i, () -> {
                NDList fused = net.bsc(stage).forward(ps, new NDList(vis, words[0], attention), false);
                words[0] = fused.get(1);
                fusedMap[0] = fused.get(0);
                return fused.get(0);
            });
            NDArray fusedTokens = SwinBackbone.mapToTokens(fusedMap[0]);
            maps.add(timed("swin norms + merging", () -> SwinBackbone.tokensToMap(
                    swin.outputNorm(ps, stage, fusedTokens, false), fh, fw)));
            if (i < 3) {
                x = timed("swin norms + merging", () -> swin.downsample(ps, stage, fusedTokens, fh, fw, false));
                h = (h + 1) / 2;
                w = (w + 1) / 2;
            }
        }
        NDArray m = attention.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).expandDims(-1);
        NDArray sentence = words[0].mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}));
        NDList decoderIn = new NDList(maps);
        decoderIn.add(sentence);
        timed("decoder", () -> net.decoder().forward(ps, decoderIn, false).get(0));
    }
}
