package io.rrsis4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BTDNet's training loss (BTDNET.md "Total loss"): L = L_seg + lambda_fg L_fg + lambda_bg L_bg + lambda_re L_re.
 *
 * <ul>
 *   <li>L_seg = 0.9 CE_w + 0.1 Dice on the 2-channel logits (B, 2, H, W) vs the mask (B, H, W) in {0, 1}; CE_w is
 *       torch's weighted mean cross-entropy, sum(w_y nll) / sum(w_y), w = (0.9 background, 1.1 target) as RMSIN;
 *       Dice is 1 - (2 sum(p t) + 1) / (sum p + sum t + 1) per sample on the target probability, averaged.</li>
 *   <li>L_fg = BCE + Dice of sigmoid(Pt) vs the mask; L_bg = the same for Pb vs 1 - mask. The stride-4 stream
 *       logits are upsampled bilinearly to the mask size (as the final logits are), rather than the mask being
 *       downsampled, so no label is rounded away on thin objects.</li>
 *   <li>L_re = mean cross-entropy over the erased positions (label -1 elsewhere is ignored); 0 when none.</li>
 * </ul>
 * With T-BTD off there are no stream outputs and the loss is L_seg (+ L_re); with D-MOLS off L_re is not computed.
 *
 * <p>Generalized configurations (DESIGN-NOTES.md "Generalized referring segmentation") add lambda_pr L_pr, the BCE of
 * the "presence" logit against "the mask has a target pixel", and treat samples without a target pixel so: their
 * mask terms pull every pixel to background through CE and BCE alone (the Dice terms are averaged over the samples
 * that have a target, since 1 - 1 / (sum p + 1) on an empty target is flat once a few pixels are on and teaches
 * nothing), and they have no L_re (the erased entity is not in the image to be recovered from it).
 * Scalars on gradient paths go through {@link Layers#scale} (see there why).
 * The network's outputs are found by name ("logits", "target", "background", "reconstruction").
 */
public final class BtdNetLoss {
    private static final float DICE_SMOOTH = 1f;
    private final BtdNetConfig config;

    public BtdNetLoss(BtdNetConfig config) {
        this.config = config;
    }

    /** Total and components; every array is a scalar in the outputs' manager. */
    public record Terms(NDArray total, NDArray segmentation, NDArray target, NDArray background, NDArray reconstruction,
                        NDArray presence) {
        public Terms(NDArray total, NDArray segmentation, NDArray target, NDArray background, NDArray reconstruction) {
            this(total, segmentation, target, background, reconstruction, null);
        }

        /** The values as floats for logging; absent terms are left out. */
        public Map<String, Float> values() {
            Map<String, Float> out = new LinkedHashMap<>();
            out.put("loss", total.getFloat());
            out.put("seg", segmentation.getFloat());
            if (target != null) {
                out.put("fg", target.getFloat());
                out.put("bg", background.getFloat());
            }
            if (reconstruction != null) {
                out.put("re", reconstruction.getFloat());
            }
            if (presence != null) {
                out.put("pr", presence.getFloat());
            }
            return out;
        }
    }

    /**
     * @param outputs the network's outputs (named arrays, see {@link BtdNet})
     * @param mask (B, H, W) ground truth, 1 = referred object (any numeric type)
     * @param reconstructionLabels (B, N) int64 original ids at erased positions, -1 elsewhere; null without D-MOLS
     */
    public Terms compute(NDList outputs, NDArray mask, NDArray reconstructionLabels) {
        NDArray target = mask.toType(DataType.FLOAT32, false);
        // generalized: which samples have a target (B,), the weights of their Dice terms; null = every sample
        NDArray present = config.generalized() ? target.sum(new int[] {1, 2}).gt(0).toType(DataType.FLOAT32, false) : null;
        NDArray logits = outputs.get("logits");
        NDArray seg = segmentation(logits, target, present);
        NDArray total = seg;
        NDArray fg = null;
        NDArray bg = null;
        NDArray pt = outputs.get("target");
        if (config.tbtd() && pt != null) {
            long h = target.getShape().get(1);
            long w = target.getShape().get(2);
            NDArray ptUp = Layers.resizeBilinear(pt, h, w).squeeze(1);
            NDArray pbUp = Layers.resizeBilinear(outputs.get("background"), h, w).squeeze(1);
            fg = binaryCrossEntropy(ptUp, target).add(dice(ptUp.getNDArrayInternal().sigmoid(), target, present));
            NDArray complement = target.neg().add(1);
            bg = binaryCrossEntropy(pbUp, complement).add(dice(pbUp.getNDArrayInternal().sigmoid(), complement));
            total = total.add(Layers.scale(fg, (float) config.lambdaFg())).add(Layers.scale(bg, (float) config.lambdaBg()));
        }
        NDArray re = null;
        NDArray recon = outputs.get("reconstruction");
        if (config.dmols() && recon != null && reconstructionLabels != null) {
            NDArray labels = present == null ? reconstructionLabels : withoutAbsent(reconstructionLabels, present);
            re = reconstruction(recon, labels);
            total = total.add(Layers.scale(re, (float) config.lambdaRe()));
        }
        NDArray pr = null;
        NDArray presenceLogit = outputs.get("presence");
        if (present != null && presenceLogit != null) {
            pr = binaryCrossEntropy(presenceLogit.reshape(-1), present);
            total = total.add(Layers.scale(pr, (float) config.lambdaPresence()));
        }
        return new Terms(total, seg, fg, bg, re, pr);
    }

    /** The labels with every position of a sample without target set to -1 (ignored). */
    private static NDArray withoutAbsent(NDArray labels, NDArray present) {
        NDArray keep = present.expandDims(1).toType(labels.getDataType(), false); // (B, 1): 1 or 0
        return labels.add(1).mul(keep).sub(1);
    }

    /** L_seg: (1 - share) weighted CE + share Dice on (B, 2, H, W) logits vs (B, H, W) float targets. */
    public NDArray segmentation(NDArray logits, NDArray target) {
        return segmentation(logits, target, null);
    }

    /** As {@link #segmentation(NDArray, NDArray)}, the Dice term averaged over the samples PRESENT marks (null: all). */
    NDArray segmentation(NDArray logits, NDArray target, NDArray present) {
        NDArray logp = logits.logSoftmax(1);
        NDArray logpBg = logp.get(":,0");
        NDArray logpFg = logp.get(":,1");
        NDArray nll = target.mul(logpFg).add(target.neg().add(1).mul(logpBg)).neg();
        float wBg = config.ceClassWeights().get(0).floatValue();
        float wFg = config.ceClassWeights().get(1).floatValue();
        NDArray weight = target.mul(wFg - wBg).add(wBg);
        NDArray ce = nll.mul(weight).sum().div(weight.sum());
        NDArray d = dice(logpFg.exp(), target, present);
        float share = (float) config.diceShare();
        return Layers.scale(ce, 1 - share).add(Layers.scale(d, share));
    }

    /** Mean over samples of 1 - (2 sum(p t) + 1) / (sum p + sum t + 1); p, t: (B, H, W). */
    static NDArray dice(NDArray probability, NDArray target) {
        return dice(probability, target, null);
    }

    /** As {@link #dice(NDArray, NDArray)}, averaged over the samples WEIGHTS (B,) marks with 1 (0 when none); null: all. */
    static NDArray dice(NDArray probability, NDArray target, NDArray weights) {
        int[] pixels = {1, 2};
        NDArray inter = probability.mul(target).sum(pixels);
        NDArray sums = probability.sum(pixels).add(target.sum(pixels));
        NDArray perSample = Layers.scale(inter, 2).add(DICE_SMOOTH).div(sums.add(DICE_SMOOTH)).neg().add(1);
        if (weights == null) {
            return perSample.mean();
        }
        return perSample.mul(weights).sum().div(Layers.maximum(weights.sum(), 1f));
    }

    /** Numerically stable mean BCE with logits: max(x, 0) - x t + log(1 + exp(-|x|)). */
    static NDArray binaryCrossEntropy(NDArray logit, NDArray target) {
        return Layers.maximum(logit, 0).sub(logit.mul(target)).add(logit.abs().neg().exp().add(1).log()).mean();
    }

    /** Cross-entropy over the vocabulary at positions whose label is not -1; logits (B, N, V), labels (B, N). */
    static NDArray reconstruction(NDArray logits, NDArray labels) {
        long vocab = logits.getShape().get(2);
        NDArray valid = labels.gte(0).toType(DataType.FLOAT32, false); // (B, N)
        NDArray safe = labels.maximum(0).toType(DataType.INT64, false);
        NDArray picked = logits.logSoftmax(-1).mul(safe.oneHot((int) vocab).toType(DataType.FLOAT32, false)).sum(new int[] {2}); // (B, N)
        NDArray count = valid.sum();
        return picked.mul(valid).sum().neg().div(Layers.maximum(count, 1f));
    }
}
