package io.rrsis4j.eval;

import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.TargetKind;
import io.rrsis4j.model.runtime.Presence;

/**
 * One sample's outcome in an evaluation: the pixel counts every score is summed from, and the presence verdict
 * behind them, so that a table can be read sentence by sentence (which sentences, which categories lose the area).
 *
 * @param kind what the sentence names (none, one object, several)
 * @param presence the model's presence probability and the rule's verdict ({@link Presence#UNJUDGED} without a head)
 * @param truth |G|, the true area in pixels at the evaluation's resolution
 * @param predicted |P|, the predicted area (0: the answer is empty, "no target" for a generalized model)
 * @param intersection |P and G|
 * @param union |P or G|
 */
public record SampleScore(ReferringSample sample, TargetKind kind, Presence presence, long truth, long predicted,
        long intersection, long union) {

    /** The sample's IoU as GRES scores it ({@link GeneralizedMetrics#sampleIoU}). */
    public double iou() {
        return GeneralizedMetrics.sampleIoU(kind, intersection, union, predicted);
    }
}
