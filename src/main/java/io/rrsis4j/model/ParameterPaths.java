package io.rrsis4j.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names every parameter of a block tree the way PyTorch state dicts do ("layers.0.blocks.1.attn.qkv.weight"),
 * so that the official Swin and Hugging Face BERT checkpoints map onto our blocks by name, and our own
 * checkpoints are readable. DJL keys children as "01name"; the two-digit order prefix is dropped, and DJL's
 * own parameter names are spelled as PyTorch spells them (LayerNorm gamma/beta are weight/bias, an Embedding's
 * table is weight).
 */
public final class ParameterPaths {
    private ParameterPaths() {}

    /** Every parameter under {@code root}, in registration order, keyed by its PyTorch-style path. */
    public static Map<String, Parameter> of(Block root) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            String name = prefix + torchName(p.getKey());
            if (out.put(name, p.getValue()) != null) {
                throw new IllegalStateException("two parameters share the path " + name);
            }
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), prefix + childName(child.getKey()) + ".", out);
        }
    }

    /** "03layers" -> "layers": DJL prefixes each child with its two-digit position. */
    static String childName(String key) {
        return key.length() > 2 && Character.isDigit(key.charAt(0)) && Character.isDigit(key.charAt(1))
                ? key.substring(2)
                : key;
    }

    static String torchName(String djlName) {
        return switch (djlName) {
            case "gamma" -> "weight";
            case "beta" -> "bias";
            case "embedding" -> "weight";
            case "runningMean" -> "running_mean";
            case "runningVar" -> "running_var";
            default -> djlName;
        };
    }
}
