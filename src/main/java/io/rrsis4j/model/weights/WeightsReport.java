package io.rrsis4j.model.weights;

import io.rrsis4j.io.torch.PickledObject;
import io.rrsis4j.io.torch.StoredTensor;
import io.rrsis4j.io.torch.TorchCheckpoint;
import io.rrsis4j.io.torch.WeightFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a weight file holds, for a person deciding whether it is the right file: its format, its top level, the
 * state dict's tensors (name, dtype, shape), and whether that state dict would import into our Swin and BERT
 * ({@link WeightsFit}). Only names, dtypes and shapes are read, so a 400 MB checkpoint is described in moments.
 */
public final class WeightsReport {
    private static final int LISTED_KEYS = 12;
    private static final int LISTED_NAMES = 8;
    private static final Pattern BLOCK_NUMBER = Pattern.compile("(?<=^|\\.)\\d+(?=\\.)");

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
        if (!path.isEmpty() || c.root() instanceof PickledObject) {
            out.append("top level: ").append(summary(c.root())).append('\n');
        }
        long values = sd.values().stream().mapToLong(StoredTensor::numel).sum();
        Map<String, Integer> dtypes = new TreeMap<>();
        sd.values().forEach(t -> dtypes.merge(t.dtype(), 1, Integer::sum));
        out.append(String.format(Locale.ROOT, "state dict%s: %d tensors, %s, %s%n",
                path.isEmpty() ? "" : " \"" + path + "\"", sd.size(),
                values < 1_000_000 ? values + " values" : String.format(Locale.ROOT, "%.2f M values", values / 1e6),
                dtypes));
        if (maps.size() > 1) {
            List<String> others = new ArrayList<>();
            maps.forEach((k, v) -> {
                if (!k.equals(path)) {
                    others.add(k + " (" + v.size() + ")");
                }
            });
            out.append("other tensors (not imported): ")
                    .append(String.join(", ", others.subList(0, Math.min(LISTED_KEYS, others.size()))))
                    .append(others.size() > LISTED_KEYS ? ", ... " + others.size() + " dicts in all" : "").append('\n');
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
        names(s, "skipped on purpose", grouped(v.skipped()));
        names(s, "missing", grouped(v.missing()));
        names(s, "unexpected", grouped(v.unexpected()));
        names(s, "wrong shape", v.mismatched());
        return s.toString();
    }

    /** Names that differ only in block numbers as one pattern with its count: "layers.*.blocks.*.attn_mask x24". */
    private static List<String> grouped(List<String> names) {
        Map<String, String> first = new LinkedHashMap<>();
        Map<String, Integer> count = new LinkedHashMap<>();
        for (String n : names) {
            String pattern = BLOCK_NUMBER.matcher(n).replaceAll("*");
            first.putIfAbsent(pattern, n);
            count.merge(pattern, 1, Integer::sum);
        }
        List<String> out = new ArrayList<>();
        first.forEach((pattern, n) -> out.add(count.get(pattern) == 1 ? n : pattern + " x" + count.get(pattern)));
        return out;
    }

    private static void names(StringBuilder s, String what, List<String> names) {
        if (!names.isEmpty()) {
            s.append("; ").append(what).append(": ")
                    .append(String.join(", ", names.subList(0, Math.min(LISTED_NAMES, names.size()))))
                    .append(names.size() > LISTED_NAMES ? ", ... (" + names.size() + " in all)" : "");
        }
    }

    /** The top level in one line: each key with a short description of its value. */
    private static String summary(Object root) {
        if (root instanceof PickledObject p) {
            return p.type() + (p.state() instanceof Map<?, ?> s && s.containsKey("_modules")
                    ? " (a whole nn.Module, torch.save(model): its state_dict() is read)" : "");
        }
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
