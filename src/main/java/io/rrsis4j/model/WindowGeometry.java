package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * Constant index and mask arrays of window attention, built once per window size / padded map size and kept
 * (Swin, Sec. 3.2 "efficient batch computation for shifted configuration" and "relative position bias").
 * The arrays are created in a long-lived manager supplied by the caller (the one holding the parameters), never
 * in a per-step sub-manager, kept out of the forward's scopes ({@link ForwardScope#keep}), and rebuilt if that
 * manager has been closed.
 */
final class WindowGeometry {
    /** Value the official code puts between tokens of different shifted regions (masked_fill(-100.0)). */
    static final float SHIFT_MASK_VALUE = -100f;

    private final Map<String, NDArray> cache = new HashMap<>();

    /** (ws^2 * ws^2) int64 index into the ((2ws-1)^2, heads) bias table, row-major over (query, key). */
    synchronized NDArray relativePositionIndex(NDManager longLived, int ws) {
        String key = "rpi/" + ws + "/" + id(longLived);
        NDArray cached = cache.get(key);
        if (cached == null || cached.isReleased()) {
            cached = ForwardScope.keep(
                    longLived.create(relativePositionIndex(ws), new Shape((long) ws * ws * ws * ws)));
            cached.setName("relative_position_index");
            cache.put(key, cached);
        }
        return cached;
    }

    /**
     * (nW, 1, ws^2, ws^2) additive mask (the 1 broadcasts over heads) for the shifted windows of a padded hp x wp map: 0 within a region,
     * -100 between tokens that the cyclic shift brought together from different regions.
     */
    synchronized NDArray shiftMask(NDManager longLived, int ws, int shift, int hp, int wp) {
        String key = "mask/" + ws + "/" + shift + "/" + hp + "x" + wp + "/" + id(longLived);
        NDArray cached = cache.get(key);
        if (cached == null || cached.isReleased()) {
            int nW = (hp / ws) * (wp / ws);
            int n = ws * ws;
            cached = ForwardScope.keep(longLived.create(shiftMask(ws, shift, hp, wp), new Shape(nW, 1, n, n)));
            cached.setName("attn_mask");
            cache.put(key, cached);
        }
        return cached;
    }

    /**
     * (nW * ws^2) int64: for each token in window order (windows row-major over the padded, cyclically shifted map,
     * tokens row-major inside a window), the source token in the (B, h*w + 1, C) input whose extra last row is
     * zeros. One gather thus does padding, shift and window partition of the official code.
     */
    synchronized NDArray windowOrder(NDManager longLived, int ws, int shift, int h, int w) {
        String key = "order/" + ws + "/" + shift + "/" + h + "x" + w + "/" + id(longLived);
        NDArray cached = cache.get(key);
        if (cached == null || cached.isReleased()) {
            long[] order = windowOrder(ws, shift, h, w);
            cached = ForwardScope.keep(longLived.create(order, new Shape(order.length)));
            cache.put(key, cached);
        }
        return cached;
    }

    /** (h * w) int64: where each real token sits in window order; the inverse gather of {@link #windowOrder}. */
    synchronized NDArray tokenOrder(NDManager longLived, int ws, int shift, int h, int w) {
        String key = "inverse/" + ws + "/" + shift + "/" + h + "x" + w + "/" + id(longLived);
        NDArray cached = cache.get(key);
        if (cached == null || cached.isReleased()) {
            long[] order = tokenOrder(ws, shift, h, w);
            cached = ForwardScope.keep(longLived.create(order, new Shape(order.length)));
            cache.put(key, cached);
        }
        return cached;
    }

    static long[] windowOrder(int ws, int shift, int h, int w) {
        int hp = ceilTo(h, ws);
        int wp = ceilTo(w, ws);
        int nWw = wp / ws;
        int n = ws * ws;
        long[] order = new long[hp * wp];
        for (int t = 0; t < order.length; t++) {
            int win = t / n;
            int yy = (win / nWw) * ws + (t % n) / ws; // position on the shifted map
            int xx = (win % nWw) * ws + (t % n) % ws;
            int y = (yy + shift) % hp; // torch.roll(-shift): shifted[i] = padded[i + shift]
            int x = (xx + shift) % wp;
            order[t] = y < h && x < w ? (long) y * w + x : (long) h * w;
        }
        return order;
    }

    static long[] tokenOrder(int ws, int shift, int h, int w) {
        int hp = ceilTo(h, ws);
        int wp = ceilTo(w, ws);
        int nWw = wp / ws;
        long[] order = new long[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int yy = Math.floorMod(y - shift, hp);
                int xx = Math.floorMod(x - shift, wp);
                order[y * w + x] = ((long) (yy / ws) * nWw + xx / ws) * ws * ws + (yy % ws) * ws + xx % ws;
            }
        }
        return order;
    }

    static int ceilTo(int v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
    }

    private static String id(NDManager m) {
        return m.getDevice() + "@" + System.identityHashCode(m);
    }

    /** As the official WindowAttention: relative coords shifted to start at 0, row index scaled by 2ws-1. */
    static long[] relativePositionIndex(int ws) {
        int n = ws * ws;
        long[] out = new long[n * n];
        for (int i = 0; i < n; i++) {
            int hi = i / ws;
            int wi = i % ws;
            for (int j = 0; j < n; j++) {
                int dh = hi - j / ws + ws - 1;
                int dw = wi - j % ws + ws - 1;
                out[i * n + j] = (long) dh * (2 * ws - 1) + dw;
            }
        }
        return out;
    }

    /** Region label of each padded pixel (slices [0, -ws), [-ws, -shift), [-shift, end) per axis), then pairwise. */
    static float[] shiftMask(int ws, int shift, int hp, int wp) {
        int[] label = new int[hp * wp];
        for (int y = 0; y < hp; y++) {
            for (int x = 0; x < wp; x++) {
                label[y * wp + x] = region(y, hp, ws, shift) * 3 + region(x, wp, ws, shift);
            }
        }
        int nWh = hp / ws;
        int nWw = wp / ws;
        int n = ws * ws;
        float[] mask = new float[nWh * nWw * n * n];
        int[] win = new int[n];
        for (int a = 0; a < nWh; a++) {
            for (int b = 0; b < nWw; b++) {
                for (int t = 0; t < n; t++) {
                    win[t] = label[(a * ws + t / ws) * wp + b * ws + t % ws];
                }
                int base = (a * nWw + b) * n * n;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        mask[base + i * n + j] = win[i] == win[j] ? 0f : SHIFT_MASK_VALUE;
                    }
                }
            }
        }
        return mask;
    }

    private static int region(int p, int size, int ws, int shift) {
        if (p < size - ws) {
            return 0;
        }
        return p < size - shift ? 1 : 2;
    }
}
