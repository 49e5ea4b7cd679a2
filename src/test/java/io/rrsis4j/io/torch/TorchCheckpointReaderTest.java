package io.rrsis4j.io.torch;

import static org.junit.jupiter.api.Assertions.*;

import io.rrsis4j.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchCheckpointReaderTest {
    @TempDir Path dir;

    private static void unicode(ByteArrayOutputStream o, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        o.write('X');
        o.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        o.writeBytes(b);
    }

    private static void global(ByteArrayOutputStream o, String mod, String name) {
        o.write('c');
        o.writeBytes((mod + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Pickle opcodes as torch.save (protocol 2) emits them for {"model": OrderedDict{"module.w": view}}. */
    private static byte[] pickle() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0x80); o.write(2);
        o.write('}'); // {"model": ...}
        unicode(o, "model");
        global(o, "collections", "OrderedDict"); o.write(')'); o.write('R');
        o.write('(');
        unicode(o, "module.w");
        global(o, "torch._utils", "_rebuild_tensor_v2");
        o.write('(');
        o.write('(');
        unicode(o, "storage"); global(o, "torch", "FloatStorage"); unicode(o, "0"); unicode(o, "cpu");
        o.write('K'); o.write(6);
        o.write('t'); o.write('Q');
        o.write('K'); o.write(1); // storage offset
        o.write('K'); o.write(2); o.write('K'); o.write(2); o.write(0x86); // size (2, 2)
        o.write('K'); o.write(1); o.write('K'); o.write(2); o.write(0x86); // stride (1, 2): a transposed view
        o.write(0x89); // requires_grad False
        global(o, "collections", "OrderedDict"); o.write(')'); o.write('R');
        o.write('t'); o.write('R');
        o.write('u');
        o.write('s');
        o.write('.');
        return o.toByteArray();
    }

    private static void stored(ZipOutputStream z, String name, byte[] data) throws Exception {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }

    private Path writeCheckpoint() throws Exception {
        Path f = dir.resolve("mini.pth");
        ByteBuffer s = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            s.putFloat(i);
        }
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            stored(z, "archive/data.pkl", pickle());
            stored(z, "archive/data/0", s.array());
            stored(z, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return f;
    }

    @Test
    void readsStridedViewFromWrappedPrefixedStateDict() throws Exception {
        Map<String, TensorData> sd = TorchCheckpointReader.read(writeCheckpoint());
        assertEquals(1, sd.size());
        TensorData w = sd.get("w");
        assertNotNull(w, sd.keySet().toString());
        assertArrayEquals(new long[] {2, 2}, w.shape());
        // element [i][j] = storage[1 + i + 2j]
        assertArrayEquals(new float[] {1, 3, 2, 4}, w.floats());
    }

    @Test
    void truncatedAndForeignPicklesAreNamed() throws Exception {
        Path f = writeCheckpoint();
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length / 2));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TorchCheckpointReader.read(f));
        assertTrue(e.getMessage().contains("mini.pth"), e.getMessage());
        Files.write(f, new byte[] {(byte) 0x80, 2, 'N', '.'});
        e = assertThrows(InvalidInputException.class, () -> TorchCheckpointReader.read(f));
        assertTrue(e.getMessage().contains("mini.pth") && e.getMessage().contains("not a PyTorch checkpoint"),
                e.getMessage());
    }

    /** _rebuild_tensor_v2's arguments over storage "0" (6 floats): offset 0, size (n,), stride (1,), 6 or 7 of them. */
    private static void rebuildV2Args(ByteArrayOutputStream o, int n, boolean withMetadata) {
        o.write('(');
        o.write('(');
        unicode(o, "storage"); global(o, "torch", "FloatStorage"); unicode(o, "0"); unicode(o, "cpu");
        o.write('K'); o.write(6);
        o.write('t'); o.write('Q');
        o.write('K'); o.write(0);
        o.write('K'); o.write(n); o.write(0x85);
        o.write('K'); o.write(1); o.write(0x85);
        o.write(0x89);
        global(o, "collections", "OrderedDict"); o.write(')'); o.write('R');
        if (withMetadata) {
            o.write('}'); // torch 2.x: the tensor's metadata dict
        }
        o.write('t');
    }

    /** The forms torch 2.x pickles that torch 1.13 never writes (torch/_tensor.py, torch/nn/parameter.py). */
    @Test
    void torch2TensorForms() throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0x80); o.write(2);
        o.write('}');
        o.write('(');
        unicode(o, "with_metadata");
        global(o, "torch._utils", "_rebuild_tensor_v2");
        rebuildV2Args(o, 2, true);
        o.write('R');
        unicode(o, "parameter_with_state"); // _rebuild_parameter_with_state(data, requires_grad, hooks, state)
        global(o, "torch._utils", "_rebuild_parameter_with_state");
        o.write('(');
        global(o, "torch._utils", "_rebuild_tensor_v2");
        rebuildV2Args(o, 3, false);
        o.write('R');
        o.write(0x88);
        global(o, "collections", "OrderedDict"); o.write(')'); o.write('R');
        o.write('}'); unicode(o, "tag"); o.write('K'); o.write(1); o.write('s');
        o.write('t'); o.write('R');
        unicode(o, "subclass"); // _rebuild_from_type_v2(func, type, args, state)
        global(o, "torch._tensor", "_rebuild_from_type_v2");
        o.write('(');
        global(o, "torch._utils", "_rebuild_tensor_v2");
        global(o, "my.module", "MyTensor");
        rebuildV2Args(o, 4, false);
        o.write('}');
        o.write('t'); o.write('R');
        o.write('u');
        o.write('.');
        Path f = dir.resolve("torch2.pth");
        ByteBuffer s = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            s.putFloat(i + 0.5f);
        }
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            stored(z, "archive/data.pkl", o.toByteArray());
            stored(z, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            stored(z, "archive/data/0", s.array());
            stored(z, "archive/.data/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(z, "archive/.data/serialization_id", "0123456789".getBytes(StandardCharsets.US_ASCII));
        }
        Map<String, TensorData> sd = TorchCheckpointReader.read(f);
        assertArrayEquals(new float[] {0.5f, 1.5f}, sd.get("with_metadata").floats());
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f}, sd.get("parameter_with_state").floats());
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f}, sd.get("subclass").floats());
    }
}
