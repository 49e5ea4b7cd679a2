package io.rrsis4j.io.torch;

import static org.junit.jupiter.api.Assertions.*;

import io.rrsis4j.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchCheckpointWriterTest {
    @TempDir Path dir;

    private static TensorData randomFloats(Random r, long... shape) {
        float[] v = new float[(int) TensorData.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return TensorData.ofFloats(shape, v);
    }

    @Test
    void roundTripsFloatsLongsScalarsAndLargeDims() {
        Random r = new Random(3);
        Map<String, TensorData> sd = new LinkedHashMap<>();
        sd.put("a.weight", randomFloats(r, 3, 5));
        sd.put("a.bias", randomFloats(r, 5));
        sd.put("scalar", randomFloats(r));
        sd.put("big", randomFloats(r, 70000)); // numel and size above BININT2
        sd.put("four.d", randomFloats(r, 2, 1, 3, 2)); // a rank-4 size tuple uses MARK ... TUPLE
        sd.put("index", TensorData.ofLongs(new long[] {2, 3}, new long[] {0, -1, 7, Long.MAX_VALUE, 1L << 40, 5}));
        Path f = dir.resolve("sd.pth");
        TorchCheckpointWriter.write(f, sd);
        Map<String, TensorData> back = TorchCheckpointReader.read(f);
        assertEquals(new ArrayList<>(sd.keySet()), new ArrayList<>(back.keySet()));
        for (String k : sd.keySet()) {
            assertArrayEquals(sd.get(k).shape(), back.get(k).shape(), k);
            if (sd.get(k).isFloat()) {
                assertArrayEquals(sd.get(k).floats(), back.get(k).floats(), k);
            } else {
                assertArrayEquals(sd.get(k).longs(), back.get(k).longs(), k);
            }
        }
    }

    @Test
    void wrapsAndPrefixesAsOfficialReleases() {
        Map<String, TensorData> sd = Map.of("w", TensorData.ofFloats(new long[] {2}, new float[] {1, 2}));
        Path f = dir.resolve("wrapped.pth");
        TorchCheckpointWriter.write(f, sd, "module.", true);
        Object raw = TorchCheckpointReader.readCheckpoint(f, false).root();
        Map<?, ?> top = (Map<?, ?>) raw;
        assertEquals(List.of("model"), new ArrayList<>(top.keySet()));
        assertEquals(List.of("module.w"), new ArrayList<>(((Map<?, ?>) top.get("model")).keySet()));
        // read() unwraps "model" and strips "module."
        assertArrayEquals(new float[] {1, 2}, TorchCheckpointReader.read(f).get("w").floats());
    }

    @Test
    void sharedStorageAndTransposedViewAreOneRecord() throws Exception {
        TensorData base = TensorData.ofFloats(new long[] {6}, new float[] {0, 1, 2, 3, 4, 5});
        Map<String, TorchCheckpointWriter.TensorView> views = new LinkedHashMap<>();
        views.put("m", new TorchCheckpointWriter.TensorView(base, 0, new long[] {2, 3}, new long[] {3, 1}));
        views.put("mT", new TorchCheckpointWriter.TensorView(base, 0, new long[] {3, 2}, new long[] {1, 3}));
        views.put("tail", new TorchCheckpointWriter.TensorView(base, 4, new long[] {2}, new long[] {1}));
        Path f = dir.resolve("views.pth");
        TorchCheckpointWriter.writeViews(f, views, "", false);
        try (ZipFile z = new ZipFile(f.toFile())) {
            List<String> names = z.stream().map(e -> e.getName()).toList();
            assertEquals(List.of("archive/data.pkl", "archive/byteorder", "archive/data/0", "archive/version"), names);
            assertEquals("little", new String(z.getInputStream(z.getEntry("archive/byteorder")).readAllBytes(),
                    StandardCharsets.US_ASCII));
        }
        Map<String, TensorData> back = TorchCheckpointReader.read(f);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, back.get("m").floats());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, back.get("mT").floats());
        assertArrayEquals(new long[] {3, 2}, back.get("mT").shape());
        assertArrayEquals(new float[] {4, 5}, back.get("tail").floats());
        assertThrows(IllegalArgumentException.class,
                () -> new TorchCheckpointWriter.TensorView(base, 1, new long[] {2, 3}, new long[] {3, 1}));
    }

    @Test
    void recordsAreStoredAndDataStartsOn64Bytes() throws Exception {
        Random r = new Random(5);
        Map<String, TensorData> sd = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            sd.put("t" + i, randomFloats(r, 1 + r.nextInt(40)));
        }
        Path f = dir.resolve("aligned.pth");
        TorchCheckpointWriter.write(f, sd);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        int records = 0;
        while (b.getInt(pos) == 0x04034b50) {
            assertEquals(0, b.getShort(pos + 8), "method STORED");
            int size = b.getInt(pos + 18);
            int nameLen = b.getShort(pos + 26);
            int extraLen = b.getShort(pos + 28);
            assertEquals('F', b.get(pos + 30 + nameLen));
            assertEquals('B', b.get(pos + 31 + nameLen));
            int data = pos + 30 + nameLen + extraLen;
            assertEquals(0, data % 64, "record " + records + " data at " + data);
            pos = data + size;
            records++;
        }
        assertEquals(3 + 5, records);
        assertEquals(0x02014b50, b.getInt(pos), "central directory follows the records");
    }

    @Test
    void truncatedWrittenFileIsNamed() throws Exception {
        Path f = dir.resolve("cut.pth");
        TorchCheckpointWriter.write(f, Map.of("w", randomFloats(new Random(1), 100)));
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 30));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TorchCheckpointReader.read(f));
        assertTrue(e.getMessage().contains("cut.pth"), e.getMessage());
    }
}
