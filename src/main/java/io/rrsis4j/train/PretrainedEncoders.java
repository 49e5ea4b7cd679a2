package io.rrsis4j.train;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.model.BtdNet;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * The hook that starts the encoders from pretrained weights (BTDNET.md: Swin-B 22k/384 with `module.`/`backbone.`
 * stripped and bias tables interpolated; bert-base-uncased without the pooler). A weights importer registers an
 * implementation through {@link ServiceLoader} (META-INF/services/io.rrsis4j.train.PretrainedEncoders); training
 * calls {@link #apply} after initialisation. Asking for weights while no importer is on the class path is an error,
 * never a silent start from scratch.
 */
public interface PretrainedEncoders {

    /** Copies the Swin checkpoint (or null) and the BERT folder's weights (or null) into the network. */
    void load(BtdNet net, Path swinWeights, Path bertDir);

    static void apply(BtdNet net, String swinWeights, String bertDir) {
        if (swinWeights == null && bertDir == null) {
            return;
        }
        PretrainedEncoders importer = ServiceLoader.load(PretrainedEncoders.class).findFirst()
                .orElseThrow(() -> new InvalidInputException(Path.of(swinWeights != null ? swinWeights : bertDir),
                        "pretrained encoder weights requested, but this build has no weights importer"));
        importer.load(net, swinWeights == null ? null : Path.of(swinWeights), bertDir == null ? null : Path.of(bertDir));
    }
}
