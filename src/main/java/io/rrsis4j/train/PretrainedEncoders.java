package io.rrsis4j.train;

import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.weights.PretrainedWeights;
import java.nio.file.Path;

/**
 * Starts the encoders from pretrained weights after initialisation (BTDNET.md: Swin from
 * swin_base_patch4_window12_384_22k.pth with bias tables resized, BERT from bert-base-uncased without the pooler).
 * Every parameter of the encoder must be in the file (the Swin output norms norm0..norm3, which the classification
 * checkpoint lacks, excepted), so that a wrong file is an error rather than a silent start from scratch.
 */
public final class PretrainedEncoders {
    private PretrainedEncoders() {}

    /** @param swinWeights a Swin .pth, or null; @param bertDir a Hugging Face BERT folder or weights file, or null */
    public static void apply(BtdNet net, String swinWeights, String bertDir) {
        if (swinWeights != null) {
            PretrainedWeights.importSwin(Path.of(swinWeights), net.swin(), false);
        }
        if (bertDir != null) {
            PretrainedWeights.importBert(Path.of(bertDir), net.bert(), false);
        }
    }
}
