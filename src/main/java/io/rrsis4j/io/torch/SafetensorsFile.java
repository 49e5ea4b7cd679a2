package io.rrsis4j.io.torch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.files.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors): 8-byte little-endian header length, a JSON
 * header {name: {dtype, shape, data_offsets}} with optional __metadata__, then raw little-endian
 * data. Reading maps the file, so a 440 MB bert-base is not copied into a byte[] first. Reads F32, F16, BF16, F64,
 * I64, I32, I16, I8, U8 and BOOL; writes F32 and I64.
 */
public final class SafetensorsFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private SafetensorsFile() {}

    /** The safetensors dtypes we read, with torch's name for each. */
    private static final Map<String, String> TORCH_NAMES = Map.of("F32", "float32", "F16", "float16",
            "BF16", "bfloat16", "F64", "float64", "I64", "int64", "I32", "int32", "I16", "int16", "I8", "int8",
            "U8", "uint8", "BOOL", "bool");

    /** All tensors in file order; F16/BF16/F64 are read as float32, integers and BOOL as int64. */
    public static Map<String, TensorData> read(Path file) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        readStored(file, true, null).forEach((k, t) -> out.put(k, t.values()));
        return out;
    }

    /** The header's __metadata__ strings (empty when absent). */
    public static Map<String, String> readMetadata(Path file) {
        Map<String, String> meta = new LinkedHashMap<>();
        readStored(file, false, meta);
        return meta;
    }

    /**
     * Every tensor's dtype (torch's name) and shape, in file order, with values when {@code withValues}.
     *
     * @param metaOut receives the __metadata__ strings, or null
     */
    public static Map<String, StoredTensor> readStored(Path file, boolean withValues, Map<String, String> metaOut) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new InvalidInputException(file, "truncated safetensors file: " + size + " bytes, no header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw new InvalidInputException(file, "bad or truncated safetensors header: length " + headerLen
                        + " in a file of " + size + " bytes");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new InvalidInputException(file, "safetensors header is not JSON: "
                        + e.getMessage().replace('\n', ' '), e);
            }
            if (header == null || !header.isObject()) {
                throw new InvalidInputException(file, "safetensors header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, StoredTensor> out = new LinkedHashMap<>();
            MappedByteBuffer data = withValues && dataLen > 0
                    ? ch.map(FileChannel.MapMode.READ_ONLY, dataStart, dataLen) : null;
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    if (metaOut != null && e.getValue().isObject()) {
                        e.getValue().fields().forEachRemaining(m -> metaOut.put(m.getKey(), m.getValue().asText()));
                    }
                    continue;
                }
                out.put(e.getKey(), readTensor(file, e.getKey(), e.getValue(), data, dataLen));
            }
            return out;
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot read safetensors file: " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IOException("file ended while reading the header");
            }
        }
    }

    /** One tensor's entry; its values are read when {@code data} is given. */
    private static StoredTensor readTensor(Path file, String name, JsonNode spec, ByteBuffer data, long dataLen) {
        String dtype = spec.path("dtype").asText("");
        JsonNode shapeNode = spec.path("shape");
        JsonNode offs = spec.path("data_offsets");
        if (!shapeNode.isArray() || !offs.isArray() || offs.size() != 2) {
            throw new InvalidInputException(file, "tensor " + name + ": header entry lacks shape or data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!shapeNode.get(i).canConvertToLong() || shapeNode.get(i).asLong() < 0) {
                throw new InvalidInputException(file, "tensor " + name + ": bad dimension " + shapeNode.get(i));
            }
            shape[i] = shapeNode.get(i).asLong();
            // saturating: a dimension of 0 anywhere still makes the tensor empty
            n = n == 0 || shape[i] == 0 ? 0 : n > Long.MAX_VALUE / shape[i] ? Long.MAX_VALUE : n * shape[i];
        }
        String torchName = TORCH_NAMES.get(dtype);
        if (torchName == null) {
            throw new InvalidInputException(file, "tensor " + name + ": unsupported dtype " + dtype);
        }
        int width = switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16", "I16" -> 2;
            default -> 1;
        };
        if (n > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException(file, "tensor " + name + " is too large");
        }
        long begin = offs.get(0).asLong();
        long end = offs.get(1).asLong();
        if (begin < 0 || end < begin || end - begin != n * width) {
            throw new InvalidInputException(file, "tensor " + name + ": data_offsets [" + begin + ", " + end
                    + ") do not fit " + n + " values of " + dtype);
        }
        if (end > dataLen) {
            throw new InvalidInputException(file, "truncated safetensors file: tensor " + name + " ends at byte "
                    + end + " of the data but only " + dataLen + " are present");
        }
        if (data == null) {
            return new StoredTensor(torchName, shape, null);
        }
        ByteBuffer b = n == 0 ? ByteBuffer.allocate(0)
                : data.duplicate().position((int) begin).limit((int) end).slice().order(ByteOrder.LITTLE_ENDIAN);
        int count = (int) n;
        boolean isFloat = dtype.startsWith("F") || dtype.equals("BF16");
        float[] f = isFloat ? new float[count] : null;
        long[] l = isFloat ? null : new long[count];
        switch (dtype) {
            case "F32" -> b.asFloatBuffer().get(f);
            case "I64" -> b.asLongBuffer().get(l);
            default -> {
                for (int i = 0; i < count; i++) {
                    switch (dtype) {
                        case "F16" -> f[i] = halfToFloat(b.getShort(2 * i));
                        case "BF16" -> f[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
                        case "F64" -> f[i] = (float) b.getDouble(8 * i);
                        case "I32" -> l[i] = b.getInt(4 * i);
                        case "I16" -> l[i] = b.getShort(2 * i);
                        case "I8" -> l[i] = b.get(i);
                        default -> l[i] = b.get(i) & 0xff; // U8, BOOL
                    }
                }
            }
        }
        return new StoredTensor(torchName, shape, isFloat ? TensorData.ofFloats(shape, f) : TensorData.ofLongs(shape, l));
    }

    /**
     * Writes tensors (floats as F32, longs as I64) atomically: a temp file in the same folder,
     * forced to disk, then moved over {@code file}.
     */
    public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            TensorData t = e.getValue();
            long bytes = t.numel() * (t.isFloat() ? 4 : 8);
            ObjectNode spec = header.putObject(e.getKey());
            spec.put("dtype", t.isFloat() ? "F32" : "I64");
            var shape = spec.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            spec.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        try {
            AtomicFiles.write(file, out -> {
                ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(padded).put(json);
                while (head.hasRemaining()) {
                    head.put((byte) ' ');
                }
                out.write(head.array());
                ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                for (TensorData t : tensors.values()) {
                    if (t.isFloat()) {
                        for (float f : t.floats()) {
                            if (buf.remaining() < 8) {
                                out.write(buf.array(), 0, buf.position());
                                buf.clear();
                            }
                            buf.putFloat(f);
                        }
                    } else {
                        for (long l : t.longs()) {
                            if (buf.remaining() < 8) {
                                out.write(buf.array(), 0, buf.position());
                                buf.clear();
                            }
                            buf.putLong(l);
                        }
                    }
                }
                out.write(buf.array(), 0, buf.position());
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** IEEE 754 binary16 to float32 (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal: mant * 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
