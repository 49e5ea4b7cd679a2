package io.rrsis4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * float32 tensors by name in the safetensors layout (8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets}}, then the raw little-endian data), so training checkpoints open in the
 * Python tools too. Only what checkpoints need: F32, written atomically, read with every offset checked so that a
 * truncated or corrupt file is reported with its name instead of loading garbage.
 */
public final class TensorFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One tensor: its shape and row-major values. */
    public record Tensor(long[] shape, float[] values) {}

    private TensorFile() {}

    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long bytes = 4L * e.getValue().values().length;
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] head = JSON.writeValueAsBytes(header);
        int padded = (head.length + 7) / 8 * 8; // the format pads the header with spaces to 8 bytes
        byte[] headPadded = new byte[padded];
        java.util.Arrays.fill(headPadded, (byte) ' ');
        System.arraycopy(head, 0, headPadded, 0, head.length);
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(headPadded);
            for (Tensor t : tensors.values()) {
                ByteBuffer buf = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(t.values());
                out.write(buf.array());
            }
        });
    }

    public static Map<String, Tensor> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file, "tensor file not found");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new InvalidInputException(file, "truncated: " + size + " bytes, no header");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long headerLength = lenBuf.flip().getLong();
            if (headerLength <= 0 || headerLength > size - 8 || headerLength > 100_000_000) {
                throw new InvalidInputException(file, "corrupt or truncated: header length " + headerLength
                        + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer headBuf = ByteBuffer.allocate((int) headerLength);
            readFully(ch, headBuf, 8, file);
            JsonNode header;
            try {
                header = JSON.readTree(new String(headBuf.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new InvalidInputException(file, "corrupt header: " + e.getMessage(), e);
            }
            long dataStart = 8 + headerLength;
            long dataSize = size - dataStart;
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonNode t = e.getValue();
                if (!"F32".equals(t.path("dtype").asText())) {
                    throw new InvalidInputException(file, "tensor " + e.getKey() + " is " + t.path("dtype").asText()
                            + ", only F32 is supported");
                }
                JsonNode shapeNode = t.path("shape");
                long[] shape = new long[shapeNode.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeNode.get(i).asLong();
                    count *= shape[i];
                }
                long begin = t.path("data_offsets").path(0).asLong(-1);
                long end = t.path("data_offsets").path(1).asLong(-1);
                if (begin < 0 || end - begin != 4 * count) {
                    throw new InvalidInputException(file, "corrupt header: offsets of " + e.getKey()
                            + " do not match its shape");
                }
                if (end > dataSize) {
                    throw new InvalidInputException(file, "truncated: tensor " + e.getKey() + " ends at byte "
                            + (dataStart + end) + " of a " + size + "-byte file");
                }
                ByteBuffer data = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, data, dataStart + begin, file);
                float[] values = new float[(int) count];
                data.flip().asFloatBuffer().get(values);
                out.put(e.getKey(), new Tensor(shape, values));
            }
            return out;
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new InvalidInputException(file, "truncated at byte " + pos);
            }
            pos += n;
        }
    }
}
