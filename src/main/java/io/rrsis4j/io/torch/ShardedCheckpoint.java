package io.rrsis4j.io.torch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Hugging Face sharded checkpoint: an index ({@code pytorch_model.bin.index.json} or
 * {@code model.safetensors.index.json}: {"metadata": {...}, "weight_map": {name: shard file}}) and the shard files
 * beside it, each a torch.save or safetensors file of part of the state dict. Read as the one state dict they make;
 * a shard that is missing, a name the index promises that its shard lacks, or a name in two shards is one line.
 */
public final class ShardedCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ShardedCheckpoint() {}

    /** Whether a file is named as a shard index is. */
    public static boolean isIndex(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        return name.endsWith(".index.json");
    }

    /**
     * The shard files of an index, in the order the index first names them.
     *
     * @return shard file -> the names the index says it holds
     */
    static Map<Path, Set<String>> shards(Path index) {
        JsonNode root;
        try {
            root = JSON.readTree(index.toFile());
        } catch (IOException e) {
            throw new InvalidInputException(index, "not a shard index (JSON expected): " + oneLine(e));
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new InvalidInputException(index, "shard index without a \"weight_map\" of tensor names to shard files");
        }
        Path folder = index.toAbsolutePath().getParent();
        Map<Path, Set<String>> shards = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String file = e.getValue().asText("");
            if (!e.getValue().isTextual() || file.isEmpty() || file.contains("/") || file.contains("\\")) {
                throw new InvalidInputException(index, "weight_map entry " + e.getKey() + " does not name a shard file"
                        + " in the index's folder: " + e.getValue());
            }
            shards.computeIfAbsent(folder.resolve(file), f -> new LinkedHashSet<>()).add(e.getKey());
        }
        List<String> missing = new ArrayList<>();
        for (Path shard : shards.keySet()) {
            if (!Files.isRegularFile(shard)) {
                missing.add(shard.getFileName().toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException(index, missing.size() + " of its " + shards.size()
                    + " shard files are missing: " + String.join(", ", missing));
        }
        return shards;
    }

    /** Names, dtypes and shapes (values too when asked) of every shard, as one root dict. */
    public static TorchCheckpoint open(Path index, boolean withValues) {
        Map<Path, Set<String>> shards = shards(index);
        Map<Object, Object> all = new LinkedHashMap<>();
        String shardFormat = null;
        for (Map.Entry<Path, Set<String>> shard : shards.entrySet()) {
            TorchCheckpoint part = WeightFiles.open(shard.getKey(), withValues);
            shardFormat = shardFormat == null ? part.format() : shardFormat;
            merge(index, shard.getKey(), shard.getValue(), part.stateDict(), all);
        }
        return new TorchCheckpoint(shards.size() + " shards (" + shardFormat + ") of " + index.getFileName(), all);
    }

    /** The whole state dict, values read. */
    public static Map<String, TensorData> read(Path index) {
        Map<Path, Set<String>> shards = shards(index);
        Map<Object, Object> all = new LinkedHashMap<>();
        for (Map.Entry<Path, Set<String>> shard : shards.entrySet()) {
            merge(index, shard.getKey(), shard.getValue(), WeightFiles.read(shard.getKey()), all);
        }
        Map<String, TensorData> out = new LinkedHashMap<>();
        all.forEach((k, v) -> out.put((String) k, (TensorData) v));
        return out;
    }

    private static void merge(Path index, Path shard, Set<String> promised, Map<String, ?> tensors,
            Map<Object, Object> all) {
        List<String> absent = promised.stream().filter(n -> !tensors.containsKey(n)).toList();
        if (!absent.isEmpty()) {
            throw new InvalidInputException(index, "shard " + shard.getFileName() + " lacks " + absent.size()
                    + " tensor(s) the index places in it: " + String.join(", ", absent.subList(0, Math.min(5, absent.size())))
                    + (absent.size() > 5 ? ", ..." : ""));
        }
        for (Map.Entry<String, ?> e : tensors.entrySet()) {
            if (all.put(e.getKey(), e.getValue()) != null) {
                throw new InvalidInputException(index, "tensor " + e.getKey() + " is in two shards (the second: "
                        + shard.getFileName() + ")");
            }
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }
}
