package io.rrsis4j.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.io.raster.GeoRaster;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segmenting a scene holds memory for its width, not its size: the same sparse scene (GDAL's SPARSE_OK layout,
 * blocks never written read as zeros; one tile holds a red square) eight times taller does not hold more heap
 * during the run, measured after full collections as tile rows complete. A byte per scene pixel (1000 x 24,000: 24
 * MB) would show.
 */
class SceneMemoryTest {
    @TempDir
    Path dir;

    @Test
    void heapHeldDoesNotGrowWithTheSceneHeight() throws IOException {
        long shortScene = peakHeldBytes(3_000);
        long tallScene = peakHeldBytes(24_000);
        assertTrue(tallScene - shortScene < 8L << 20, "held " + (shortScene >> 20) + " MiB for 1000 x 3000, "
                + (tallScene >> 20) + " MiB for 1000 x 24000");
    }

    private long peakHeldBytes(int height) throws IOException {
        Path scene = dir.resolve("sparse-" + height + ".tif");
        writeSparseScene(scene, 1000, height, 256);
        Path mask = dir.resolve("mask-" + height + ".tif");
        SceneOptions options = SceneOptions.defaults(mask, null).withTiling(256, 32).withProgress(false);
        long[] peak = {0};
        int[] rows = {0};
        System.gc();
        long before = used();
        SceneSegmentation.Result result = SceneSegmentation.run(new ColourSegmenter(), scene, "the red square",
                options, () -> {
                    if (rows[0]++ % 8 == 0) {
                        System.gc();
                        peak[0] = Math.max(peak[0], used() - before);
                    }
                });
        assertEquals(1, result.regions().size());
        assertEquals(60 * 60, result.regions().get(0).area());
        GeoRaster written = GeoRaster.open(mask);
        assertEquals(height, written.height());
        assertEquals(255, written.readWindow(300 + 30, 600 + 30, 1, 1, new int[] {0})[0][0]);
        return peak[0];
    }

    private static long used() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * A tiled, Deflate-compressed 3-band 8-bit TIFF whose tiles are all absent (offset and byte count 0, as GDAL
     * writes with SPARSE_OK=TRUE) except the one holding a 60 x 60 red square at (300, 600).
     */
    private static void writeSparseScene(Path file, int width, int height, int tile) throws IOException {
        int across = (width + tile - 1) / tile;
        int down = (height + tile - 1) / tile;
        int tiles = across * down;
        byte[] raw = new byte[tile * tile * 3];
        for (int y = 600 % tile; y < 600 % tile + 60; y++) {
            for (int x = 300 % tile; x < 300 % tile + 60; x++) {
                raw[(y * tile + x) * 3] = (byte) 220;
            }
        }
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        byte[] packed = new byte[raw.length + 1024];
        int packedLength = deflater.deflate(packed);
        deflater.end();
        int dataAt = 8;
        int entries = 10;
        int ifdAt = dataAt + packedLength + (packedLength % 2);
        int valuesAt = ifdAt + 2 + 12 * entries + 4;
        int bitsAt = valuesAt;
        int offsetsAt = bitsAt + 6 + 2;
        int countsAt = offsetsAt + 4 * tiles;
        ByteBuffer b = ByteBuffer.allocate(countsAt + 4 * tiles).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifdAt);
        b.put(packed, 0, packedLength);
        b.position(ifdAt);
        b.putShort((short) entries);
        entry(b, 256, 4, 1, width);
        entry(b, 257, 4, 1, height);
        entry(b, 258, 3, 3, bitsAt);
        entry(b, 259, 3, 1, 8);
        entry(b, 262, 3, 1, 2);
        entry(b, 277, 3, 1, 3);
        entry(b, 322, 3, 1, tile);
        entry(b, 323, 3, 1, tile);
        entry(b, 324, 4, tiles, offsetsAt);
        entry(b, 325, 4, tiles, countsAt);
        b.putInt(0);
        b.position(bitsAt);
        b.putShort((short) 8).putShort((short) 8).putShort((short) 8);
        int contentTile = (600 / tile) * across + 300 / tile;
        b.position(offsetsAt);
        for (int t = 0; t < tiles; t++) {
            b.putInt(t == contentTile ? dataAt : 0);
        }
        for (int t = 0; t < tiles; t++) {
            b.putInt(t == contentTile ? packedLength : 0);
        }
        Files.write(file, b.array());
    }

    private static void entry(ByteBuffer b, int tag, int type, int count, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(count);
        if (type == 3 && count == 1) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }
}
