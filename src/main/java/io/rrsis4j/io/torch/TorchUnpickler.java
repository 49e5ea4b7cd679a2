package io.rrsis4j.io.torch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Pyrolite's unpickler, made to read checkpoints written by torch.save, which may be corrupt or come from anywhere:
 *
 * <ul>
 *   <li>globals resolve to the reader's own table, then Pyrolite's, then to a {@link PickledObject} of that class
 *       name: nothing is looked up by reflection, and an unknown class (argparse.Namespace, numpy scalars) is kept
 *       as an inert description instead of failing the read;
 *   <li>BUILD restores a {@link PickledObject}'s state and is ignored on everything else: an OrderedDict's
 *       {@code _metadata} attribute (every {@code Module.state_dict()} has one) is of no use to us;
 *   <li>dicts keep their items in file order (Pyrolite makes HashMaps);
 *   <li>length-prefixed strings and bytes are checked against the bytes left, so a corrupt length is an error, not a
 *       2 GB allocation.
 * </ul>
 */
final class TorchUnpickler extends Unpickler {
    private static final short BUILD = 'b';
    private static final short GLOBAL = 'c';
    private static final short STACK_GLOBAL = 0x93;
    private static final short SETITEM = 's';
    private static final short SETITEMS = 'u';
    private static final short EMPTY_DICT = '}';
    private static final short DICT = 'd';

    private final Map<String, Object> globals;
    private final Function<Object[], Object> persistent;
    private final CountingInput in;

    /**
     * @param globals "module.name" to the object the global stands for (an {@link IObjectConstructor} when it is
     *     called)
     * @param persistent turns a persistent id (a tuple) into the object it names
     * @param in the pickle stream; it is read up to the STOP opcode and no further
     */
    TorchUnpickler(Map<String, Object> globals, Function<Object[], Object> persistent, CountingInput in) {
        this.globals = globals;
        this.persistent = persistent;
        this.in = in;
    }

    /** Reads one pickle from the stream. */
    Object load() throws IOException {
        return load(in);
    }

    @Override
    protected Object persistentLoad(Object pid) {
        Object[] t = pid instanceof Object[] a ? a : pid instanceof List<?> l ? l.toArray() : null;
        if (t == null) {
            throw new PickleException("persistent id is not a tuple: " + describe(pid));
        }
        return persistent.apply(t);
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        switch (key) {
            case GLOBAL -> {
                String module = readLine();
                String name = readLine();
                stack.add(resolve(module, name));
                return NO_RETURN_VALUE;
            }
            case STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new PickleException("STACK_GLOBAL needs two strings");
                }
                stack.add(resolve(m, n));
                return NO_RETURN_VALUE;
            }
            case BUILD -> {
                Object state = stack.pop();
                if (stack.peek() instanceof PickledObject o) {
                    o.setState(state);
                }
                return NO_RETURN_VALUE;
            }
            case EMPTY_DICT -> {
                stack.add(new LinkedHashMap<>());
                return NO_RETURN_VALUE;
            }
            case DICT -> {
                Map<Object, Object> dict = new LinkedHashMap<>();
                putPairs(dict, stack.pop_all_since_marker());
                stack.add(dict);
                return NO_RETURN_VALUE;
            }
            case SETITEM -> {
                Object value = stack.pop();
                Object k = stack.pop();
                dict().put(k, value);
                return NO_RETURN_VALUE;
            }
            case SETITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                putPairs(dict(), items);
                return NO_RETURN_VALUE;
            }
            case 'X', 'T', 'B', 0x8b -> checkLength(4); // BINUNICODE, BINSTRING, BINBYTES, LONG4
            case 0x8d, 0x8e, 0x96 -> checkLength(8); // BINUNICODE8, BINBYTES8, BYTEARRAY8
            default -> {
                // every other opcode has a fixed size or reads a line
            }
        }
        return super.dispatch(key);
    }

    private static void putPairs(Map<Object, Object> dict, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw new PickleException("dict items with an odd count");
        }
        for (int i = 0; i < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict() {
        Object top = stack.peek();
        if (!(top instanceof Map<?, ?>)) {
            throw new PickleException("SETITEM on a " + describe(top) + ", not a dict");
        }
        return (Map<Object, Object>) top;
    }

    private Object resolve(String module, String name) {
        String qualified = module + "." + name;
        Object known = globals.get(qualified);
        if (known != null) {
            return known;
        }
        IObjectConstructor pyrolite = objectConstructors.get(qualified);
        return pyrolite != null ? pyrolite : new ForeignClass(qualified);
    }

    /** A Python class we do not model: calling it makes a {@link PickledObject}. */
    record ForeignClass(String type) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            return new PickledObject(type, args);
        }
    }

    /** The opcode's little-endian length field must not promise more bytes than are left. */
    private void checkLength(int width) throws IOException {
        in.mark(width);
        long length = 0;
        for (int i = 0; i < width; i++) {
            int b = in.read();
            if (b < 0) {
                throw new PickleException("pickle ends inside a length field");
            }
            length |= (long) b << (8 * i);
        }
        in.reset();
        // LONG4 and BINSTRING are signed; a negative length is as wrong as a too long one
        if (width == 4) {
            length = (int) length;
        }
        if (length < 0 || length > in.remaining() - width) {
            throw new PickleException("a string or bytes of " + length + " bytes in a pickle with "
                    + (in.remaining() - width) + " bytes left");
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new PickleException("pickle ends inside a GLOBAL");
            }
            if (sb.length() > 1000) {
                throw new PickleException("GLOBAL name over 1000 characters");
            }
            sb.append((char) b);
        }
        return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** A short name for a value in an error message (never its whole contents). */
    static String describe(Object o) {
        if (o instanceof PickledObject p) {
            return p.type();
        }
        return o == null ? "None" : o instanceof ForeignClass c ? c.type() : o.getClass().getSimpleName();
    }

    /** An input stream that knows how many bytes are left, and supports mark/reset when the stream below does. */
    static final class CountingInput extends FilterInputStream {
        private final long length;
        private long position;
        private long marked;

        CountingInput(InputStream in, long length) {
            super(in);
            this.length = length;
        }

        long remaining() {
            return length - position;
        }

        long position() {
            return position;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                position++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            position += s;
            return s;
        }

        @Override
        public synchronized void mark(int limit) {
            super.mark(limit);
            marked = position;
        }

        @Override
        public synchronized void reset() throws IOException {
            super.reset();
            position = marked;
        }
    }
}
