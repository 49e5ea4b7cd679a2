package io.rrsis4j.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** torch.nn.ModuleList: children named "0", "1", ... so parameter paths read "layers.2.blocks.5...". */
public final class IndexedBlocks<B extends Block> extends FixedShapeBlock {
    private final List<B> items = new ArrayList<>();

    public IndexedBlocks(List<B> blocks) {
        if (blocks.size() > 99) {
            throw new IllegalArgumentException("at most 99 children keep DJL's two-digit child prefix");
        }
        for (B b : blocks) {
            items.add(addChildBlock(Integer.toString(items.size()), b));
        }
    }

    public B get(int i) {
        return items.get(i);
    }

    public int size() {
        return items.size();
    }

    public List<B> items() {
        return Collections.unmodifiableList(items);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("a list of blocks is not run as one block");
    }
}
