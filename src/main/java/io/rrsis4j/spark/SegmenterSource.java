package io.rrsis4j.spark;

import io.rrsis4j.infer.Segmenter;
import java.io.Serializable;

/**
 * How an executor gets its segmenter: a small serialisable recipe sent with each task. Each executor JVM opens it
 * once, under {@link #key()}, and shares it among its tasks ({@link ExecutorModels}).
 */
public interface SegmenterSource extends Serializable {

    /** Names the model: equal keys must open equal segmenters. */
    String key();

    Segmenter open();
}
