package io.rrsis4j.io.torch;

import io.rrsis4j.io.files.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes a state dict in torch.save's zip format (torch >= 1.6, torch/serialization.py {@code _save}):
 * STORED entries {@code archive/data.pkl}, {@code archive/byteorder}, {@code archive/data/<key>},
 * {@code archive/version}, each record's data aligned to 64 bytes by an "FB" padding extra field as
 * PyTorchStreamWriter does. data.pkl is a protocol-2 pickle of a collections.OrderedDict whose values are
 * {@code torch._utils._rebuild_tensor_v2(persistent_id(('storage', torch.FloatStorage|LongStorage, key, 'cpu',
 * numel)), offset, size, stride, False, OrderedDict())}. Archives stay below 4 GiB (no zip64).
 */
public final class TorchCheckpointWriter {
    private static final int ALIGN = 64;
    private static final long ZIP32_LIMIT = 0xFFFFFFFFL;

    private TorchCheckpointWriter() {}

    /**
     * A tensor as a view of a flat storage: element [i0, i1, ...] is storage[offset + sum(i_d * stride_d)].
     * Views holding the same storage object (identity) share one {@code data/<key>} record, as torch does
     * for e.g. a transposed tensor and its base.
     */
    public record TensorView(TensorData storage, long storageOffset, long[] size, long[] stride) {
        public TensorView {
            if (size.length != stride.length) {
                throw new IllegalArgumentException("size and stride need the same rank");
            }
            long last = storageOffset;
            for (int d = 0; d < size.length; d++) {
                if (size[d] == 0) {
                    last = storageOffset - 1;
                    break;
                }
                last += (size[d] - 1) * stride[d];
            }
            if (storageOffset < 0 || last >= storage.numel()) {
                throw new IllegalArgumentException("view reaches past a storage of " + storage.numel() + " elements");
            }
        }

        /** The tensor itself as a contiguous (row-major) view of its own values. */
        public static TensorView contiguous(TensorData t) {
            long[] stride = new long[t.shape().length];
            long s = 1;
            for (int d = stride.length - 1; d >= 0; d--) {
                stride[d] = s;
                s *= t.shape()[d];
            }
            return new TensorView(t, 0, t.shape(), stride);
        }
    }

    /** Writes the tensors as a plain OrderedDict state dict. */
    public static void write(Path file, Map<String, TensorData> stateDict) {
        write(file, stateDict, "", false);
    }

    /**
     * Writes the tensors with {@code keyPrefix} before every name (e.g. "module." as DataParallel saves),
     * optionally wrapped as {"model": state_dict} as the official Swin releases are.
     */
    public static void write(Path file, Map<String, TensorData> stateDict, String keyPrefix, boolean wrapAsModel) {
        Map<String, TensorView> views = new LinkedHashMap<>();
        stateDict.forEach((k, t) -> views.put(k, TensorView.contiguous(t)));
        writeViews(file, views, keyPrefix, wrapAsModel);
    }

    /** Writes tensor views; storages are shared between views that hold the same {@link TensorData}. */
    public static void writeViews(Path file, Map<String, TensorView> views, String keyPrefix, boolean wrapAsModel) {
        IdentityHashMap<TensorData, String> keys = new IdentityHashMap<>();
        List<TensorData> storages = new ArrayList<>();
        for (TensorView v : views.values()) {
            if (!keys.containsKey(v.storage())) {
                keys.put(v.storage(), Integer.toString(storages.size()));
                storages.add(v.storage());
            }
        }
        byte[] pickle = pickle(views, keys, keyPrefix == null ? "" : keyPrefix, wrapAsModel);
        try {
            AtomicFiles.writeChannel(file, ch -> {
                ZipBuilder zip = new ZipBuilder(ch);
                zip.add("archive/data.pkl", pickle);
                zip.add("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
                for (TensorData s : storages) {
                    zip.addStorage("archive/data/" + keys.get(s), s);
                }
                zip.add("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
                zip.finish();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    // ---- data.pkl: protocol-2 opcodes (pickletools), no memo ----

    private static byte[] pickle(Map<String, TensorView> views, Map<TensorData, String> keys, String prefix,
                                 boolean wrap) {
        Pickle p = new Pickle();
        p.op(0x80).op(2); // PROTO 2
        if (wrap) {
            p.op('}').op('('); // EMPTY_DICT, MARK
            p.unicode("model");
        }
        p.global("collections", "OrderedDict").op(')').op('R'); // OrderedDict()
        if (!views.isEmpty()) {
            p.op('(');
            for (Map.Entry<String, TensorView> e : views.entrySet()) {
                TensorView v = e.getValue();
                p.unicode(prefix + e.getKey());
                p.global("torch._utils", "_rebuild_tensor_v2");
                p.op('('); // args tuple
                p.op('('); // persistent id tuple
                p.unicode("storage");
                p.global("torch", v.storage().isFloat() ? "FloatStorage" : "LongStorage");
                p.unicode(keys.get(v.storage()));
                p.unicode("cpu");
                p.integer(v.storage().numel());
                p.op('t').op('Q'); // TUPLE, BINPERSID
                p.integer(v.storageOffset());
                p.tuple(v.size());
                p.tuple(v.stride());
                p.op(0x89); // NEWFALSE: requires_grad
                p.global("collections", "OrderedDict").op(')').op('R'); // backward hooks
                p.op('t').op('R'); // TUPLE, REDUCE
            }
            p.op('u'); // SETITEMS
        }
        if (wrap) {
            p.op('u');
        }
        p.op('.'); // STOP
        return p.out.toByteArray();
    }

    private static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int b) {
            out.write(b);
            return this;
        }

        Pickle global(String module, String name) {
            out.write('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        void unicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X'); // BINUNICODE
            out.writeBytes(le(b.length, 4));
            out.writeBytes(b);
        }

        void integer(long v) {
            if (v >= 0 && v < 256) {
                out.write('K'); // BININT1
                out.write((int) v);
            } else if (v >= 0 && v < 65536) {
                out.write('M'); // BININT2
                out.writeBytes(le(v, 2));
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                out.write('J'); // BININT
                out.writeBytes(le(v, 4));
            } else {
                out.write(0x8a); // LONG1: 8 little-endian two's complement bytes
                out.write(8);
                out.writeBytes(le(v, 8));
            }
        }

        void tuple(long[] values) {
            if (values.length == 0) {
                out.write(')'); // EMPTY_TUPLE
                return;
            }
            if (values.length > 3) {
                out.write('(');
            }
            for (long v : values) {
                integer(v);
            }
            out.write(values.length == 1 ? 0x85 : values.length == 2 ? 0x86 : values.length == 3 ? 0x87 : 't');
        }

        private static byte[] le(long v, int n) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) (v >>> (8 * i));
            }
            return b;
        }
    }

    // ---- zip: written by hand for the 64-byte alignment torch uses (java.util.zip cannot pad) ----

    private static final class ZipBuilder {
        private record Entry(byte[] name, long crc, long size, long headerOffset) {}

        private final FileChannel ch;
        private final List<Entry> entries = new ArrayList<>();

        ZipBuilder(FileChannel ch) {
            this.ch = ch;
        }

        void add(String name, byte[] data) throws IOException {
            CRC32 crc = new CRC32();
            crc.update(data);
            long at = header(name, crc.getValue(), data.length);
            writeFully(ByteBuffer.wrap(data));
            entries.add(new Entry(name.getBytes(StandardCharsets.UTF_8), crc.getValue(), data.length, at));
        }

        /** Streams a storage in chunks, then fills in the CRC it could only know afterwards. */
        void addStorage(String name, TensorData s) throws IOException {
            int width = s.isFloat() ? 4 : 8;
            long size = s.numel() * width;
            long at = header(name, 0, size);
            CRC32 crc = new CRC32();
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            int n = (int) s.numel();
            for (int i = 0; i < n; ) {
                buf.clear();
                if (s.isFloat()) {
                    int m = Math.min(n - i, buf.capacity() / 4);
                    buf.asFloatBuffer().put(s.floats(), i, m);
                    buf.limit(m * 4);
                    i += m;
                } else {
                    int m = Math.min(n - i, buf.capacity() / 8);
                    buf.asLongBuffer().put(s.longs(), i, m);
                    buf.limit(m * 8);
                    i += m;
                }
                crc.update(buf.duplicate());
                writeFully(buf);
            }
            ByteBuffer c = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).flip();
            ch.write(c, at + 14);
            entries.add(new Entry(name.getBytes(StandardCharsets.UTF_8), crc.getValue(), size, at));
        }

        private long header(String name, long crc, long size) throws IOException {
            long at = ch.position();
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            int pad = (int) Math.floorMod(-(at + 30 + n.length + 4), (long) ALIGN);
            if (at + 30 + n.length + 4 + pad + size > ZIP32_LIMIT) {
                throw new IllegalArgumentException("checkpoint over 4 GiB needs zip64, which this writer does not write");
            }
            ByteBuffer h = ByteBuffer.allocate(30 + n.length + 4 + pad).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 0) // sig, version, flags, STORED
                    .putShort((short) 0).putShort((short) 0x21) // DOS time/date 1980-01-01 00:00: reproducible files
                    .putInt((int) crc).putInt((int) size).putInt((int) size)
                    .putShort((short) n.length).putShort((short) (4 + pad)).put(n);
            h.put((byte) 'F').put((byte) 'B').putShort((short) pad); // torch's padding extra field
            for (int i = 0; i < pad; i++) {
                h.put((byte) 'Z');
            }
            writeFully(h.flip());
            return at;
        }

        void finish() throws IOException {
            long cdStart = ch.position();
            for (Entry e : entries) {
                ByteBuffer c = ByteBuffer.allocate(46 + e.name().length).order(ByteOrder.LITTLE_ENDIAN);
                c.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0x21)
                        .putInt((int) e.crc()).putInt((int) e.size()).putInt((int) e.size())
                        .putShort((short) e.name().length).putShort((short) 0).putShort((short) 0) // extra, comment
                        .putShort((short) 0).putShort((short) 0).putInt(0) // disk, internal, external attributes
                        .putInt((int) e.headerOffset()).put(e.name());
                writeFully(c.flip());
            }
            long cdSize = ch.position() - cdStart;
            if (ch.position() > ZIP32_LIMIT || entries.size() > 0xFFFF) {
                throw new IllegalArgumentException("checkpoint too large for a zip without zip64");
            }
            ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
            end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                    .putShort((short) entries.size()).putShort((short) entries.size())
                    .putInt((int) cdSize).putInt((int) cdStart).putShort((short) 0);
            writeFully(end.flip());
        }

        private void writeFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }
}
