package io.rrsis4j.data;

/**
 * Counts the objects of a mask that carries no object list (RefSegRS's PNG/TIFF masks): an object is a connected
 * region of foreground pixels, 8-connected (pixels touching at a corner belong together, so a thin diagonal road or
 * an anti-aliased edge stays one object). An empty mask has no object; any other has at least one. Beside a larger
 * region, regions of fewer than {@link #MIN_PIXELS} pixels are not counted: a speck left by resizing or JPEG noise is
 * not another object.
 */
public final class MaskRegions {
    /** Regions smaller than this are specks, not objects. */
    public static final int MIN_PIXELS = 4;

    private MaskRegions() {}

    /** The number of 8-connected foreground regions of at least {@link #MIN_PIXELS} pixels; 1 when only specks. */
    public static int count(BinaryMask mask) {
        int w = mask.width();
        int h = mask.height();
        byte[] px = mask.pixels();
        boolean[] seen = new boolean[px.length];
        int[] stack = new int[Math.max(1, px.length)];
        int regions = 0;
        boolean any = false;
        for (int start = 0; start < px.length; start++) {
            if (px[start] == 0 || seen[start]) {
                continue;
            }
            any = true;
            int size = 0;
            int top = 0;
            stack[top++] = start;
            seen[start] = true;
            while (top > 0) {
                int p = stack[--top];
                size++;
                int x = p % w;
                int y = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = y + dy;
                    if (ny < 0 || ny >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int q = ny * w + nx;
                        if (nx >= 0 && nx < w && px[q] != 0 && !seen[q]) {
                            seen[q] = true;
                            stack[top++] = q;
                        }
                    }
                }
            }
            if (size >= MIN_PIXELS) {
                regions++;
            }
        }
        return any ? Math.max(1, regions) : 0;
    }
}
