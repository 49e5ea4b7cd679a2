package io.rrsis4j.io;

import io.rrsis4j.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Unpickler;

/**
 * Reads a checkpoint as torch.save writes it since torch 1.6: a zip with {@code <name>/data.pkl}
 * (pickle whose tensors are persistent ids ('storage', type, key, location, numel) rebuilt by
 * torch._utils._rebuild_tensor_v2) and {@code <name>/data/<key>} raw little-endian storages.
 */
public final class TorchCheckpointReader {
    private TorchCheckpointReader() {}

    /** Storage element type: a torch.*Storage class or a torch dtype. */
    record Dtype(String name, int width) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            return this;
        }
    }

    record Storage(Dtype dtype, byte[] bytes) {}

    private static final Map<String, Dtype> TYPES = new HashMap<>();

    static {
        put(new Dtype("float32", 4), "FloatStorage", "float32", "float");
        put(new Dtype("float16", 2), "HalfStorage", "float16", "half");
        put(new Dtype("bfloat16", 2), "BFloat16Storage", "bfloat16");
        put(new Dtype("int64", 8), "LongStorage", "int64", "long");
        put(new Dtype("float64", 8), "DoubleStorage", "float64", "double");
        put(new Dtype("int32", 4), "IntStorage", "int32", "int");
        put(new Dtype("uint8", 1), "ByteStorage", "uint8");
        put(new Dtype("bool", 1), "BoolStorage", "bool");
        IObjectConstructor ordered = args -> new LinkedHashMap<>();
        Unpickler.registerConstructor("collections", "OrderedDict", ordered);
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", TorchCheckpointReader::rebuild);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
        Unpickler.registerConstructor("torch.storage", "UntypedStorage", args -> null);
    }

    private static void put(Dtype d, String... names) {
        for (String n : names) {
            TYPES.put(n, d);
            Unpickler.registerConstructor("torch", n, d);
        }
    }

    /** Reads all tensors, unwrapping {"model": ...}/{"state_dict": ...} and stripping module./backbone. prefixes. */
    public static Map<String, TensorData> read(Path file) {
        Object root = readRaw(file);
        Object sd = root;
        if (sd instanceof Map<?, ?> m && !(m.values().stream().anyMatch(v -> v instanceof TensorData))) {
            for (String k : List.of("model", "state_dict", "model_state_dict")) {
                if (m.get(k) instanceof Map<?, ?>) {
                    sd = m.get(k);
                    break;
                }
            }
        }
        if (!(sd instanceof Map<?, ?> dict)) {
            throw new InvalidInputException(file, "checkpoint holds no state dict");
        }
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (e.getValue() instanceof TensorData t) {
                String k = String.valueOf(e.getKey());
                for (String p : List.of("module.", "backbone.")) {
                    if (k.startsWith(p)) {
                        k = k.substring(p.length());
                    }
                }
                out.put(k, t);
            }
        }
        return out;
    }

    /** The unpickled object tree with tensors as {@link TensorData}. */
    public static Object readRaw(Path file) {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException e) {
            try (InputStream in = java.nio.file.Files.newInputStream(file)) {
                int b = in.read();
                if (b == 0x80) {
                    throw new InvalidInputException(file, "legacy PyTorch format; re-save with torch>=1.6");
                }
            } catch (IOException ignored) {
                // fall through to the zip error
            }
            throw new InvalidInputException(file, "not a PyTorch zip checkpoint (truncated or corrupt): " + e.getMessage(), e);
        }
        try (zip) {
            ZipEntry pkl = zip.stream().filter(z -> z.getName().endsWith("data.pkl")
                    && z.getName().indexOf('/') == z.getName().lastIndexOf('/')).findFirst()
                    .orElseThrow(() -> new InvalidInputException(file, "zip has no <name>/data.pkl"));
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            Unpickler u = new Unpickler() {
                // views of one storage (a tensor and its transpose, tied weights) read its record once
                private final Map<String, Storage> loaded = new HashMap<>();

                @Override
                protected Object dispatch(short key) throws java.io.IOException {
                    if (key != 'u') {
                        return super.dispatch(key);
                    }
                    // SETITEMS in file order: the library's own version goes through a HashMap and loses
                    // the state dict's order
                    List<Object> items = stack.pop_all_since_marker();
                    @SuppressWarnings("unchecked")
                    Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        dict.put(items.get(i), items.get(i + 1));
                    }
                    return NO_RETURN_VALUE;
                }

                @Override
                protected Object persistentLoad(Object pid) {
                    Object[] t = pid instanceof Object[] a ? a : ((List<?>) pid).toArray();
                    Object type = t[1];
                    String key = String.valueOf(t[2]);
                    Dtype d = type instanceof Dtype dt ? dt : null;
                    if (d == null) {
                        throw new InvalidInputException(file, "unsupported storage type " + type + " for storage " + key);
                    }
                    Storage seen = loaded.get(key);
                    if (seen != null) {
                        return seen;
                    }
                    ZipEntry z = zip.getEntry(prefix + "data/" + key);
                    if (z == null) {
                        throw new InvalidInputException(file, "storage " + key + " missing from the zip");
                    }
                    try (InputStream in = zip.getInputStream(z)) {
                        Storage s = new Storage(d, in.readAllBytes());
                        loaded.put(key, s);
                        return s;
                    } catch (IOException e) {
                        throw new InvalidInputException(file, "cannot read storage " + key + ": " + e.getMessage(), e);
                    }
                }
            };
            try (InputStream in = zip.getInputStream(pkl)) {
                return u.load(in);
            }
        } catch (InvalidInputException e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidInputException(file, "cannot read PyTorch checkpoint: " + e.getMessage(), e);
        }
    }

    /** _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]): gather by strides. */
    private static Object rebuild(Object[] a) {
        Storage s = (Storage) a[0];
        long offset = ((Number) a[1]).longValue();
        long[] size = longs(a[2]);
        long[] stride = longs(a[3]);
        long n = TensorData.numel(size);
        ByteBuffer b = ByteBuffer.wrap(s.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        long capacity = s.bytes().length / s.dtype().width();
        boolean isFloat = !s.dtype().name().startsWith("int") && !s.dtype().name().equals("uint8")
                && !s.dtype().name().equals("bool");
        float[] f = isFloat ? new float[(int) n] : null;
        long[] l = isFloat ? null : new long[(int) n];
        if (isContiguous(size, stride) && offset + n <= capacity
                && (s.dtype().name().equals("float32") || s.dtype().name().equals("int64"))) {
            // bulk copy: the common case of a whole checkpoint of contiguous tensors
            ByteBuffer at = b.position((int) (offset * s.dtype().width())).slice().order(ByteOrder.LITTLE_ENDIAN);
            if (isFloat) {
                at.asFloatBuffer().get(f);
            } else {
                at.asLongBuffer().get(l);
            }
            return isFloat ? TensorData.ofFloats(size, f) : TensorData.ofLongs(size, l);
        }
        long[] idx = new long[size.length];
        for (int i = 0; i < n; i++) {
            long pos = offset;
            for (int d = 0; d < size.length; d++) {
                pos += idx[d] * stride[d];
            }
            if (pos < 0 || pos >= capacity) {
                throw new IllegalArgumentException("tensor view reaches element " + pos + " of a storage of " + capacity);
            }
            int w = s.dtype().width();
            int at = (int) (pos * w);
            switch (s.dtype().name()) {
                case "float32" -> f[i] = b.getFloat(at);
                case "float64" -> f[i] = (float) b.getDouble(at);
                case "float16" -> f[i] = SafetensorsFile.halfToFloat(b.getShort(at));
                case "bfloat16" -> f[i] = Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
                case "int64" -> l[i] = b.getLong(at);
                case "int32" -> l[i] = b.getInt(at);
                default -> l[i] = b.get(at) & 0xff;
            }
            for (int d = size.length - 1; d >= 0; d--) {
                if (++idx[d] < size[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return isFloat ? TensorData.ofFloats(size, f) : TensorData.ofLongs(size, l);
    }

    private static boolean isContiguous(long[] size, long[] stride) {
        long expect = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expect) {
                return false;
            }
            expect *= size[d];
        }
        return true;
    }

    private static long[] longs(Object tuple) {
        Object[] t = tuple instanceof Object[] a ? a : ((List<?>) tuple).toArray();
        long[] r = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            r[i] = ((Number) t[i]).longValue();
        }
        return r;
    }
}
