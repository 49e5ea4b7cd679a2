package io.rrsis4j.serve;

import java.util.Map;

/**
 * What GET /api/model reports: the model's name, its configuration, its parameter count and the data it
 * was trained on. Built by whoever loads the checkpoint.
 */
public record ModelInfo(String name, long parameterCount, String trainedOn, Map<String, Object> configuration) {

    public ModelInfo {
        configuration = Map.copyOf(configuration);
    }

    /** For a segmenter whose provenance is not known (tests, ad-hoc models). */
    public static ModelInfo unknown(String name) {
        return new ModelInfo(name, 0, "unknown", Map.of());
    }
}
