package io.rrsis4j.infer;

import java.util.ArrayList;
import java.util.List;

/**
 * Sliding-window tile origins along one axis: tiles of {@code tile} pixels every {@code tile - overlap} pixels,
 * the last one aligned to the far edge so that every pixel is covered and no tile leaves the scene. An axis
 * shorter than a tile gets one tile of the axis length.
 */
public final class TileGrid {

    private TileGrid() {}

    public static int[] origins(int length, int tile, int overlap) {
        if (tile <= 0 || overlap < 0 || overlap >= tile) {
            throw new IllegalArgumentException("need tile > overlap >= 0, got tile " + tile + " overlap " + overlap);
        }
        if (length <= tile) {
            return new int[] {0};
        }
        int stride = tile - overlap;
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p + tile < length; p += stride) {
            out.add(p);
        }
        out.add(length - tile);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Tile side along an axis of the given length. */
    public static int extent(int length, int tile) {
        return Math.min(length, tile);
    }
}
