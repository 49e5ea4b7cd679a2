package io.rrsis4j.io.torch;

import io.rrsis4j.InvalidInputException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint as {@link TorchCheckpointReader} read it: how it was written, and the unpickled object with
 * {@link StoredTensor}s in place of torch's tensors.
 *
 * @param format the file format in words (zip or legacy, torch layout, byte order)
 * @param root the top-level object: a state dict, or a dict around one ({"model": ..., "optimizer": ..., ...})
 */
public record TorchCheckpoint(String format, Object root) {
    /** The keys under which training scripts store the model's state dict, in the order they are tried. */
    private static final List<String> MODEL_KEYS =
            List.of("model", "state_dict", "model_state_dict", "module", "net", "network", "weights");
    private static final int MAX_DEPTH = 32;

    /**
     * Every dict in the file that holds tensors, keyed by its path from the root ("" for the root itself, "model",
     * "optimizer.state.0"), with only its tensor entries, nearest the root first. A whole pickled nn.Module counts
     * as the state dict it would give (names "0.weight", "encoder.layer.0...").
     */
    public Map<String, Map<String, StoredTensor>> tensorMaps() {
        Map<String, Map<String, StoredTensor>> out = new LinkedHashMap<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object[]> todo = new ArrayDeque<>(); // {path, object, depth}, breadth first
        todo.add(new Object[] {"", root, 0});
        while (!todo.isEmpty()) {
            Object[] item = todo.poll();
            String path = (String) item[0];
            Object o = item[1];
            int depth = (Integer) item[2];
            if (o == null || depth > MAX_DEPTH || !seen.add(o)) {
                continue;
            }
            String prefix = path.isEmpty() ? "" : path + ".";
            if (o instanceof PickledObject p && isModule(p)) {
                Map<String, StoredTensor> sd = new LinkedHashMap<>();
                moduleStateDict(p, "", sd, 0);
                if (!sd.isEmpty()) {
                    out.put(path, sd);
                }
            } else if (o instanceof Map<?, ?> m) {
                Map<String, StoredTensor> tensors = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (e.getValue() instanceof StoredTensor t) {
                        tensors.put(String.valueOf(e.getKey()), t);
                    } else {
                        todo.add(new Object[] {prefix + e.getKey(), e.getValue(), depth + 1});
                    }
                }
                if (!tensors.isEmpty()) {
                    out.put(path, tensors);
                }
                if (o instanceof PickledObject p) {
                    todo.add(new Object[] {path, p.state(), depth + 1});
                }
            } else if (o instanceof List<?> l) {
                for (int i = 0; i < l.size(); i++) {
                    todo.add(new Object[] {prefix + i, l.get(i), depth + 1});
                }
            } else if (o instanceof Object[] a) {
                for (int i = 0; i < a.length; i++) {
                    todo.add(new Object[] {prefix + i, a[i], depth + 1});
                }
            }
        }
        return out;
    }

    /** A whole nn.Module pickled by torch.save(model): its state holds _parameters, _buffers and _modules. */
    private static boolean isModule(PickledObject p) {
        return p.state() instanceof Map<?, ?> s && s.get("_parameters") instanceof Map<?, ?>
                && s.get("_modules") instanceof Map<?, ?>;
    }

    /** What module.state_dict() would return: parameters, persistent buffers, then each child under its name. */
    private static void moduleStateDict(PickledObject module, String prefix, Map<String, StoredTensor> out, int depth) {
        Map<?, ?> state = (Map<?, ?>) module.state();
        Object nonPersistent = state.get("_non_persistent_buffers_set");
        for (String part : List.of("_parameters", "_buffers")) {
            if (state.get(part) instanceof Map<?, ?> tensors) {
                tensors.forEach((k, v) -> {
                    boolean skip = nonPersistent instanceof java.util.Collection<?> c && c.contains(k);
                    if (v instanceof StoredTensor t && !skip) {
                        out.put(prefix + k, t);
                    }
                });
            }
        }
        if (depth < MAX_DEPTH) {
            ((Map<?, ?>) state.get("_modules")).forEach((k, v) -> {
                if (v instanceof PickledObject child && isModule(child)) {
                    moduleStateDict(child, prefix + k + ".", out, depth + 1);
                }
            });
        }
    }

    /**
     * Where the model's weights are: the root when it holds tensors (a plain state dict, a Hugging Face
     * pytorch_model.bin), else the first of "model", "state_dict", "model_state_dict", "module", "net", "network",
     * "weights" that holds tensors, else the dict with the most tensors.
     *
     * @return its path ({@link #tensorMaps()}' key)
     * @throws InvalidInputException when the file holds no tensors at all
     */
    public String stateDictPath() {
        Map<String, Map<String, StoredTensor>> maps = tensorMaps();
        if (maps.isEmpty()) {
            throw new InvalidInputException("the checkpoint holds no tensors");
        }
        if (maps.containsKey("")) {
            return "";
        }
        for (String k : MODEL_KEYS) {
            if (maps.containsKey(k)) {
                return k;
            }
        }
        String best = null;
        for (Map.Entry<String, Map<String, StoredTensor>> e : maps.entrySet()) {
            if (best == null || e.getValue().size() > maps.get(best).size()) {
                best = e.getKey();
            }
        }
        return best;
    }

    /** The tensors at {@link #stateDictPath()}, in file order. */
    public Map<String, StoredTensor> stateDict() {
        return tensorMaps().get(stateDictPath());
    }
}
