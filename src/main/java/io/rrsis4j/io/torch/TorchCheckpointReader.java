package io.rrsis4j.io.torch;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.io.torch.TorchUnpickler.CountingInput;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;

/**
 * Reads what torch.save writes, in both of its formats (torch/serialization.py):
 *
 * <ul>
 *   <li>the zip of torch 1.6 and later: {@code <archive>/data.pkl}, a pickle whose tensors are
 *       {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])} over
 *       persistent ids ('storage', torch.FloatStorage, key, location, numel), and one record {@code data/<key>} per
 *       storage. Other records are optional: {@code version} or {@code .data/version}, {@code byteorder} ("little"
 *       or "big", torch 2.x), {@code .data/serialization_id}, {@code .format_version}, {@code .storage_alignment};
 *   <li>the legacy stream ({@code _use_new_zipfile_serialization=False}, and every file before torch 1.6): pickles
 *       of the magic number, protocol version and system info, then the object with persistent ids
 *       ('storage', type, key, location, numel, view_metadata), then the sorted storage keys, then each storage as
 *       an int64 element count and its little-endian bytes.
 * </ul>
 *
 * <p>Tensors come back as {@link StoredTensor}s in the unpickled tree (dicts as maps in file order, lists and tuples,
 * unknown classes as {@link PickledObject}s, a whole pickled nn.Module too), each a copy of its view: storage offsets, strides (a transposed or
 * expanded tensor) and storages shared by several tensors are resolved as torch would. Every dtype torch saves for
 * weights is read: float32/16, bfloat16 and float64 as float32 values, int64/32/16/8, uint8 and bool as int64.
 */
public final class TorchCheckpointReader {
    /** Legacy files start with this number pickled (serialization.py MAGIC_NUMBER). */
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long MAX_PICKLE_BYTES = 1L << 30;
    /** How many more elements than its storage holds a view may have (position_ids-like expanded buffers). */
    private static final long MAX_EXPANSION = 1L << 24;

    private TorchCheckpointReader() {}

    /** A storage element type, as its storage class (torch.FloatStorage) or dtype (torch.float32) names it. */
    record Dtype(String name, int width, boolean isFloat) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            return this;
        }
    }

    /** One storage: the record {@code key} holds {@code numel} elements; a legacy view starts {@code offset} in. */
    private record Storage(String key, Dtype dtype, long numel, long offset) {}

    /** A tensor as pickled, before its storage's bytes are read. */
    private record View(Storage storage, long offset, long[] size, long[] stride) {}

    private static final Map<String, Object> TORCH_GLOBALS = new HashMap<>();

    static {
        dtype("float32", 4, true, "FloatStorage", "float", "float32");
        dtype("float16", 2, true, "HalfStorage", "half", "float16");
        dtype("bfloat16", 2, true, "BFloat16Storage", "bfloat16");
        dtype("float64", 8, true, "DoubleStorage", "double", "float64");
        dtype("int64", 8, false, "LongStorage", "long", "int64");
        dtype("int32", 4, false, "IntStorage", "int", "int32");
        dtype("int16", 2, false, "ShortStorage", "short", "int16");
        dtype("int8", 1, false, "CharStorage", "int8");
        dtype("uint8", 1, false, "ByteStorage", "uint8");
        dtype("bool", 1, false, "BoolStorage", "bool");
        TORCH_GLOBALS.put("collections.OrderedDict", (IObjectConstructor) args -> new LinkedHashMap<>());
        // an nn.Parameter is its data (torch 2.x: _with_state when the Parameter has Python attributes)
        TORCH_GLOBALS.put("torch._utils._rebuild_parameter", (IObjectConstructor) args -> args[0]);
        TORCH_GLOBALS.put("torch._utils._rebuild_parameter_with_state", (IObjectConstructor) args -> args[0]);
        // a Tensor subclass or a tensor with attributes: _rebuild_from_type_v2(func, type, args, state)
        TORCH_GLOBALS.put("torch._tensor._rebuild_from_type_v2", (IObjectConstructor) args -> {
            if (args.length < 3 || !(args[0] instanceof IObjectConstructor f) || !(args[2] instanceof Object[] a)) {
                throw new IllegalArgumentException("_rebuild_from_type_v2 without a function and its arguments");
            }
            return f.construct(a);
        });
    }

    private static void dtype(String name, int width, boolean isFloat, String storageClass, String... dtypeNames) {
        Dtype d = new Dtype(name, width, isFloat);
        TORCH_GLOBALS.put("torch." + storageClass, d);
        TORCH_GLOBALS.put("torch.cuda." + storageClass, d);
        for (String n : dtypeNames) {
            TORCH_GLOBALS.put("torch." + n, d);
        }
    }

    /**
     * The state dict of a checkpoint ({@link TorchCheckpoint#stateDict()}) with its values, "module." and "backbone."
     * name prefixes stripped (DataParallel, detection/segmentation backbones).
     *
     * @throws InvalidInputException naming the file when it is not a torch checkpoint, is cut short or corrupt, or
     *     holds no tensors
     */
    public static Map<String, TensorData> read(Path file) {
        TorchCheckpoint checkpoint = readCheckpoint(file, true);
        if (checkpoint.tensorMaps().isEmpty()) {
            throw new InvalidInputException(file, "the checkpoint holds no tensors");
        }
        Map<String, TensorData> out = new LinkedHashMap<>();
        checkpoint.stateDict().forEach((name, t) -> {
            String k = name;
            for (String p : List.of("module.", "backbone.")) {
                if (k.startsWith(p)) {
                    k = k.substring(p.length());
                }
            }
            out.put(k, t.requireValues());
        });
        return out;
    }

    /**
     * The whole unpickled checkpoint.
     *
     * @param withValues false to read only names, dtypes and shapes (storages are not read: fast on large files)
     */
    public static TorchCheckpoint readCheckpoint(Path file, boolean withValues) {
        byte[] head = new byte[4];
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            int n = in.readNBytes(head, 0, 4);
            if (n < 2) {
                throw new InvalidInputException(file, "not a PyTorch checkpoint: " + size + " bytes");
            }
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot read: " + e.getMessage(), e);
        }
        try {
            if (head[0] == 'P' && head[1] == 'K') {
                return readZip(file, withValues);
            }
            if ((head[0] & 0xff) == 0x80) {
                return readLegacy(file, size, withValues);
            }
            throw new InvalidInputException(file, "not a PyTorch checkpoint (neither torch.save's zip nor its legacy"
                    + " pickle stream)");
        } catch (InvalidInputException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new InvalidInputException(file, "cannot read PyTorch checkpoint (truncated or corrupt): "
                    + PickleFailures.describe(e), e);
        }
    }

    // ---- torch >= 1.6: zip ----

    private static TorchCheckpoint readZip(Path file, boolean withValues) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pkl = zip.stream()
                    .filter(z -> z.getName().endsWith("/data.pkl") && z.getName().indexOf('/') == z.getName().length() - 9)
                    .findFirst()
                    .orElseThrow(() -> new InvalidInputException(file, "zip without <archive>/data.pkl: not a torch.save"
                            + " checkpoint (a TorchScript archive or another zip)"));
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            if (zip.getEntry(prefix + "constants.pkl") != null) {
                throw new InvalidInputException(file, "a TorchScript archive (torch.jit.save), not torch.save weights;"
                        + " save model.state_dict() with torch.save instead");
            }
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            String orderText = "";
            ZipEntry byteorder = zip.getEntry(prefix + "byteorder");
            if (byteorder != null) {
                String o = new String(readEntry(zip, byteorder, 16), StandardCharsets.US_ASCII);
                if (!o.equals("little") && !o.equals("big")) {
                    throw new InvalidInputException(file, "unknown byteorder record '" + o + "'");
                }
                order = o.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                orderText = ", " + o + "-endian";
            }
            String version = recordText(zip, prefix + ".data/version");
            if (version == null) {
                version = recordText(zip, prefix + "version");
            }
            boolean torch2 = zip.getEntry(prefix + ".data/serialization_id") != null;
            String format = "PyTorch zip checkpoint (torch.save, torch " + (torch2 ? "2.x" : ">= 1.6") + " layout, archive '"
                    + prefix.substring(0, prefix.length() - 1) + "'" + (version == null ? "" : ", version " + version)
                    + orderText + ")";

            byte[] pickle = readEntry(zip, pkl, MAX_PICKLE_BYTES);
            List<View> views = new ArrayList<>();
            Map<String, Storage> storages = new HashMap<>();
            Object root = unpickle(new CountingInput(new ByteArrayInputStream(pickle), pickle.length), views, pid -> {
                if (pid.length < 5 || !"storage".equals(pid[0]) || !(pid[1] instanceof Dtype d)) {
                    throw new IllegalArgumentException("unsupported persistent id " + describeIds(pid));
                }
                return storages.computeIfAbsent(String.valueOf(pid[2]),
                        key -> new Storage(key, d, count(pid[4]), 0));
            });
            Map<String, byte[]> bytes = new HashMap<>();
            if (withValues) {
                for (View v : views) {
                    String key = v.storage().key();
                    if (!bytes.containsKey(key)) {
                        ZipEntry z = zip.getEntry(prefix + "data/" + key);
                        if (z == null) {
                            throw new InvalidInputException(file, "storage record data/" + key + " missing from the zip");
                        }
                        bytes.put(key, readEntry(zip, z, v.storage().numel() * v.storage().dtype().width()));
                    }
                }
            }
            return new TorchCheckpoint(format, materialize(file, root, views, bytes, order, withValues));
        }
    }

    private static String recordText(ZipFile zip, String name) throws IOException {
        ZipEntry z = zip.getEntry(name);
        return z == null ? null : new String(readEntry(zip, z, 64), StandardCharsets.US_ASCII).trim();
    }

    /** A record's bytes; more than {@code max} is an error (the storage's numel says how much there is). */
    private static byte[] readEntry(ZipFile zip, ZipEntry z, long max) throws IOException {
        long size = z.getSize();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("record " + z.getName() + " holds over 2 GB, more than a tensor here can");
        }
        if (size > max || size > new java.io.File(zip.getName()).length()) {
            throw new IllegalArgumentException("record " + z.getName() + " is larger than its storage or the file");
        }
        try (InputStream in = zip.getInputStream(z)) {
            if (size >= 0) {
                // one array of the record's size: a 400 MB checkpoint read in chunks and joined costs twice the copying
                byte[] b = new byte[(int) size];
                int n = in.readNBytes(b, 0, b.length);
                return n == b.length ? b : Arrays.copyOf(b, n);
            }
            byte[] b = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            if (b.length > max) {
                throw new IllegalArgumentException("record " + z.getName() + " is larger than its storage says");
            }
            return b;
        }
    }

    // ---- before torch 1.6: a stream of pickles, then the storages ----

    private static TorchCheckpoint readLegacy(Path file, long size, boolean withValues) throws IOException {
        try (CountingInput in = new CountingInput(new BufferedInputStream(Files.newInputStream(file), 1 << 16), size)) {
            Object magic = unpickle(in, new ArrayList<>(), pid -> null);
            if (!(magic instanceof Number m) || !new BigInteger(m.toString()).equals(LEGACY_MAGIC)) {
                throw new InvalidInputException(file, "a pickle, but not a torch.save file (no torch magic number);"
                        + " not a PyTorch checkpoint");
            }
            Object protocol = unpickle(in, new ArrayList<>(), pid -> null);
            Object sysInfo = unpickle(in, new ArrayList<>(), pid -> null);
            if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw new InvalidInputException(file, "legacy checkpoint written on a big-endian machine; load and"
                        + " re-save it there with torch.save(obj, path) (torch >= 1.6)");
            }
            List<View> views = new ArrayList<>();
            Map<String, Storage> storages = new HashMap<>();
            Object root = unpickle(in, views, pid -> {
                if (pid.length >= 2 && "module".equals(pid[0])) {
                    // torch.save(model): ('module', class, source file, source) stands for the class itself
                    return pid[1];
                }
                if (pid.length < 6 || !"storage".equals(pid[0]) || !(pid[1] instanceof Dtype d)) {
                    throw new IllegalArgumentException("unsupported persistent id " + describeIds(pid));
                }
                Storage root1 = storages.computeIfAbsent(String.valueOf(pid[2]),
                        key -> new Storage(key, d, count(pid[4]), 0));
                if (pid[5] instanceof Object[] view && view.length == 3) {
                    // an old storage view: (view_key, element offset, view_size) into the root storage
                    return new Storage(root1.key(), d, root1.numel(), count(view[1]));
                }
                return root1;
            });
            Object keys = unpickle(in, new ArrayList<>(), pid -> null);
            if (!(keys instanceof List<?> keyList)) {
                throw new IllegalArgumentException("no storage key list after the object");
            }
            Map<String, byte[]> bytes = new HashMap<>();
            for (Object k : keyList) {
                Storage s = storages.get(String.valueOf(k));
                if (s == null) {
                    throw new IllegalArgumentException("storage " + k + " is listed but no tensor uses it");
                }
                long count = readLongLe(in);
                if (count < 0 || count > in.remaining() / s.dtype().width() || count != s.numel()) {
                    throw new IllegalArgumentException("storage " + k + " claims " + count + " elements of "
                            + s.numel() + " with " + in.remaining() + " bytes left");
                }
                long length = count * s.dtype().width();
                if (withValues) {
                    bytes.put(s.key(), in.readNBytes((int) length));
                } else {
                    in.skipNBytes(length);
                }
            }
            String format = "PyTorch legacy checkpoint (torch.save before 1.6 or _use_new_zipfile_serialization=False,"
                    + " protocol " + protocol + ")";
            return new TorchCheckpoint(format, materialize(file, root, views, bytes, ByteOrder.LITTLE_ENDIAN, withValues));
        }
    }

    private static long readLongLe(InputStream in) throws IOException {
        byte[] b = in.readNBytes(8);
        if (b.length < 8) {
            throw new IllegalArgumentException("file ends before a storage");
        }
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    // ---- pickles and tensors ----

    private static Object unpickle(CountingInput in, List<View> views,
                                   java.util.function.Function<Object[], Object> persistent) throws IOException {
        Map<String, Object> globals = new HashMap<>(TORCH_GLOBALS);
        IObjectConstructor v2 = args -> rebuild(args, null, views);
        globals.put("torch._utils._rebuild_tensor_v2", v2);
        // torch 2.x, for dtypes without a storage class: (storage, offset, size, stride, grad, hooks, dtype[, meta])
        globals.put("torch._utils._rebuild_tensor_v3", (IObjectConstructor) args ->
                rebuild(args, args.length > 6 && args[6] instanceof Dtype d ? d : null, views));
        return new TorchUnpickler(globals, persistent, in).load();
    }

    /** _rebuild_tensor_v2(storage, offset, size, stride, ...): a view checked to lie inside its storage. */
    private static Object rebuild(Object[] a, Dtype dtype, List<View> views) {
        if (a.length < 4 || !(a[0] instanceof Storage s)) {
            throw new IllegalArgumentException("_rebuild_tensor without a storage");
        }
        if (dtype != null && dtype.width() != s.dtype().width()) {
            s = new Storage(s.key(), dtype, s.numel() * s.dtype().width() / dtype.width(), s.offset());
        }
        long offset = count(a[1]) + s.offset();
        long[] size = longs(a[2]);
        long[] stride = longs(a[3]);
        if (size.length != stride.length) {
            throw new IllegalArgumentException("size and stride of different ranks");
        }
        long numel = 1;
        long last = offset;
        for (int d = 0; d < size.length; d++) {
            if (size[d] < 0 || stride[d] < 0) {
                throw new IllegalArgumentException("negative size or stride");
            }
            numel = Math.multiplyExact(numel, size[d]);
            last = Math.addExact(last, Math.multiplyExact(Math.max(size[d] - 1, 0), stride[d]));
        }
        if (numel > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a tensor of " + numel + " elements");
        }
        // stride 0 (an expanded tensor) repeats elements; past this, a few bytes of file would cost gigabytes of heap
        if (numel > s.numel() + MAX_EXPANSION) {
            throw new IllegalArgumentException("a view of " + numel + " elements over a storage of " + s.numel());
        }
        if (numel > 0 && last >= s.numel()) {
            throw new IllegalArgumentException("tensor view reaches element " + last + " of a storage of " + s.numel());
        }
        View v = new View(s, offset, size, stride);
        views.add(v);
        return v;
    }

    /** Replaces every {@link View} in the tree by its {@link StoredTensor} (with values when asked). */
    private static Object materialize(Path file, Object root, List<View> views, Map<String, byte[]> bytes,
                                      ByteOrder order, boolean withValues) {
        Map<View, StoredTensor> done = new java.util.IdentityHashMap<>();
        for (View v : views) {
            TensorData values = null;
            if (withValues) {
                byte[] b = bytes.get(v.storage().key());
                long needed = v.storage().numel() * v.storage().dtype().width();
                if (b == null || b.length < needed) {
                    throw new InvalidInputException(file, "storage " + v.storage().key() + " has "
                            + (b == null ? 0 : b.length) + " bytes, its tensors need " + needed + " (truncated)");
                }
                values = gather(v, ByteBuffer.wrap(b).order(order));
            }
            done.put(v, new StoredTensor(v.storage().dtype().name(), v.size().clone(), values));
        }
        return Trees.replace(root, o -> o instanceof View v ? done.get(v) : null);
    }

    /** Copies a strided view into row-major values. */
    private static TensorData gather(View v, ByteBuffer b) {
        Dtype d = v.storage().dtype();
        int n = (int) TensorData.numel(v.size());
        float[] f = d.isFloat() ? new float[n] : null;
        long[] l = d.isFloat() ? null : new long[n];
        if (isContiguous(v.size(), v.stride()) && n > 0 && (d.name().equals("float32") || d.name().equals("int64"))) {
            // bulk copy: the common case of a whole checkpoint of contiguous float32 tensors
            ByteBuffer at = b.duplicate().position((int) (v.offset() * d.width())).slice().order(b.order());
            if (f != null) {
                at.asFloatBuffer().get(f);
            } else {
                at.asLongBuffer().get(l);
            }
        } else {
            long[] idx = new long[v.size().length];
            for (int i = 0; i < n; i++) {
                long pos = v.offset();
                for (int k = 0; k < idx.length; k++) {
                    pos += idx[k] * v.stride()[k];
                }
                int at = (int) (pos * d.width());
                switch (d.name()) {
                    case "float32" -> f[i] = b.getFloat(at);
                    case "float64" -> f[i] = (float) b.getDouble(at);
                    case "float16" -> f[i] = SafetensorsFile.halfToFloat(b.getShort(at));
                    case "bfloat16" -> f[i] = Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
                    case "int64" -> l[i] = b.getLong(at);
                    case "int32" -> l[i] = b.getInt(at);
                    case "int16" -> l[i] = b.getShort(at);
                    case "int8" -> l[i] = b.get(at);
                    default -> l[i] = b.get(at) & 0xff; // uint8, bool
                }
                for (int k = idx.length - 1; k >= 0; k--) {
                    if (++idx[k] < v.size()[k]) {
                        break;
                    }
                    idx[k] = 0;
                }
            }
        }
        return f != null ? TensorData.ofFloats(v.size(), f) : TensorData.ofLongs(v.size(), l);
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

    private static long count(Object o) {
        if (!(o instanceof Number n) || o instanceof Double || o instanceof Float || o instanceof BigInteger) {
            throw new IllegalArgumentException("expected an integer, got " + TorchUnpickler.describe(o));
        }
        return n.longValue();
    }

    private static long[] longs(Object tuple) {
        Object[] t = tuple instanceof Object[] a ? a : tuple instanceof List<?> l ? l.toArray() : null;
        if (t == null) {
            throw new IllegalArgumentException("expected a tuple, got " + TorchUnpickler.describe(tuple));
        }
        long[] r = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            r[i] = count(t[i]);
        }
        return r;
    }

    private static String describeIds(Object[] pid) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < Math.min(pid.length, 3); i++) {
            sb.append(i > 0 ? ", " : "").append(pid[i] instanceof String s ? s : TorchUnpickler.describe(pid[i]));
        }
        return sb.append(pid.length > 3 ? ", ...)" : ")").toString();
    }
}
