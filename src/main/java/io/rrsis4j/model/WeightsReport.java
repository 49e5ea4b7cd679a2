package io.rrsis4j.model;

import io.rrsis4j.io.PickledObject;
import io.rrsis4j.io.StoredTensor;
import io.rrsis4j.io.TorchCheckpoint;
import io.rrsis4j.io.WeightFiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a weight file holds, for a person deciding whether it is the right file: its format, its top level, the
 * state dict's tensors (name, dtype, shape), and whether that state dict would import into our Swin and BERT
 * ({@link WeightsFit}). Only names, dtypes and shapes are read, so a 400 MB checkpoint is described in moments.
 */
public final class WeightsReport {
    private static final int LISTED_KEYS = 12;
    private static final int LISTED_NAMES = 8;

    private WeightsReport() {}

    public static String describe(Path file) {
        TorchCheckpoint c = WeightFiles.open(file, false);
        StringBuilder out = new StringBuilder();
        out.append(file).append('\n');
        out.append("format: ").append(c.format()).append('\n');
        Map<String, Map<String, StoredTensor>> maps = c.tensorMaps();
        if (maps.isEmpty()) {
            out.append("top level: ").append(summary(c.root())).append('\n');
            out.append("no tensors: nothing to import\n");
            return out.toString();
        }
        String path = c.stateDictPath();
        Map<String, StoredTensor> sd = maps.get(path);
        if (!path.isEmpty()) {
            out.append("top level: ").append(summary(c.root())).append('\n');
        }
        long values = sd.values().stream().mapToLong(StoredTensor::numel).sum();
        Map<String, Integer> dtypes = new TreeMap<>();
        sd.values().forEach(t -> dtypes.merge(t.dtype(), 1, Integer::sum));
        out.append(String.format(Locale.ROOT, "state dict%s: %d tensors, %.2f M values, %s%n",
                path.isEmpty() ? "" : " \"" + path + "\"", sd.size(), values / 1e6, dtypes));
        if (maps.size() > 1) {
            out.append("other tensors (not imported): ");
            maps.entrySet().stream().filter(e -> !e.getKey().equals(path)).limit(LISTED_KEYS)
                    .forEach(e -> out.append(e.getKey()).append(" (").append(e.getValue().size()).append(") "));
            out.append(maps.size() - 1 > LISTED_KEYS ? "... " + (maps.size() - 1) + " dicts in all" : "").append('\n');
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        sd.forEach((k, t) -> shapes.put(k, t.shape()));
        for (WeightsFit.Verdict v : List.of(WeightsFit.swin(shapes), WeightsFit.bert(shapes))) {
            out.append(verdict(v)).append('\n');
        }
        int width = sd.keySet().stream().mapToInt(String::length).max().orElse(0);
        sd.forEach((k, t) -> out.append(String.format(Locale.ROOT, "  %-" + width + "s  %-8s  %s%n", k, t.dtype(),
                Arrays.toString(t.shape()))));
        return out.toString();
    }

    private static String verdict(WeightsFit.Verdict v) {
        if (v.imported() == 0 && v.missing().isEmpty()) {
            return v.model() + ": does not fit: " + v.config();
        }
        StringBuilder s = new StringBuilder(v.model()).append(v.fits() ? ": fits (" : ": does not fit (")
                .append(v.config()).append("): ").append(v.imported()).append(" tensors import");
        names(s, "skipped on purpose", v.skipped());
        names(s, "missing", v.missing());
        names(s, "unexpected", v.unexpected());
        names(s, "wrong shape", v.mismatched());
        return s.toString();
    }

    private static void names(StringBuilder s, String what, List<String> names) {
        if (!names.isEmpty()) {
            s.append("; ").append(what).append(' ').append(names.size()).append(": ")
                    .append(String.join(", ", names.subList(0, Math.min(LISTED_NAMES, names.size()))))
                    .append(names.size() > LISTED_NAMES ? ", ..." : "");
        }
    }

    /** The top level in one line: each key with a short description of its value. */
    private static String summary(Object root) {
        if (!(root instanceof Map<?, ?> m)) {
            return kind(root);
        }
        StringBuilder s = new StringBuilder("dict: ");
        m.entrySet().stream().limit(LISTED_KEYS).forEach(e -> s.append(e.getKey()).append(" (")
                .append(kind(e.getValue())).append("), "));
        s.setLength(s.length() - 2);
        return s.append(m.size() > LISTED_KEYS ? ", ... " + m.size() + " keys" : "").toString();
    }

    private static String kind(Object o) {
        if (o instanceof StoredTensor t) {
            return "tensor " + t.dtype() + " " + Arrays.toString(t.shape());
        }
        if (o instanceof PickledObject p) {
            return p.type();
        }
        if (o instanceof Map<?, ?> m) {
            long tensors = m.values().stream().filter(v -> v instanceof StoredTensor).count();
            return tensors > 0 ? "dict of " + tensors + " tensors" : "dict of " + m.size();
        }
        if (o instanceof List<?> l) {
            return "list of " + l.size();
        }
        if (o instanceof Object[] a) {
            return "tuple of " + a.length;
        }
        if (o instanceof String str) {
            return "'" + (str.length() > 40 ? str.substring(0, 40) + "..." : str) + "'";
        }
        return o == null ? "None" : o instanceof Number || o instanceof Boolean ? o.toString() : o.getClass().getSimpleName();
    }
}
