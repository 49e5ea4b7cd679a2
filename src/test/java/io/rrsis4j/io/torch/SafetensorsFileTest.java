package io.rrsis4j.io.torch;

import static org.junit.jupiter.api.Assertions.*;

import io.rrsis4j.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    @TempDir Path dir;

    @Test
    void writeThenReadKeepsNamesShapesValuesAndMetadata() {
        Map<String, TensorData> t = new LinkedHashMap<>();
        t.put("a.weight", TensorData.ofFloats(new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-8f, 7}));
        t.put("b.index", TensorData.ofLongs(new long[] {3}, new long[] {5, -1, 1L << 40}));
        Path f = dir.resolve("m.safetensors");
        SafetensorsFile.write(f, t, Map.of("format", "pt"));
        Map<String, TensorData> r = SafetensorsFile.read(f);
        assertEquals(Arrays.asList("a.weight", "b.index"), Arrays.asList(r.keySet().toArray()));
        assertArrayEquals(new long[] {2, 3}, r.get("a.weight").shape());
        assertArrayEquals(t.get("a.weight").floats(), r.get("a.weight").floats());
        assertArrayEquals(t.get("b.index").longs(), r.get("b.index").longs());
        assertEquals("pt", SafetensorsFile.readMetadata(f).get("format"));
    }

    @Test
    void readsHalfAndBfloat16() throws Exception {
        // 1.0 = 0x3c00 (F16), -2.0 = 0xc000, 0.5 (BF16) = 0x3f00
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]}}";
        byte[] hj = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bb = ByteBuffer.allocate(8 + hj.length + 6).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(hj.length).put(hj).putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x3f00);
        Path f = dir.resolve("h.safetensors");
        Files.write(f, bb.array());
        Map<String, TensorData> r = SafetensorsFile.read(f);
        assertArrayEquals(new float[] {1f, -2f}, r.get("h").floats());
        assertArrayEquals(new float[] {0.5f}, r.get("b").floats());
    }

    @Test
    void truncatedFileNamesFileAndTensor() throws Exception {
        Path f = dir.resolve("t.safetensors");
        SafetensorsFile.write(f, Map.of("w", TensorData.ofFloats(new long[] {4}, new float[] {1, 2, 3, 4})), Map.of());
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 3));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SafetensorsFile.read(f));
        assertTrue(e.getMessage().contains("t.safetensors") && e.getMessage().contains("tensor w"), e.getMessage());
        Files.write(f, new byte[] {1, 2});
        assertThrows(InvalidInputException.class, () -> SafetensorsFile.read(f));
    }
}
