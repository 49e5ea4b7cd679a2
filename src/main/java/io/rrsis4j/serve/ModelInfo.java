package io.rrsis4j.serve;

import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.infer.BtdNetSegmenter;
import io.rrsis4j.infer.Segmenter;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.ParameterPaths;
import io.rrsis4j.model.weights.TrainedModel;
import java.nio.file.Path;
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

    /** What the server reports of a checkpoint it loaded: its folder, size, training data and configuration. */
    public static ModelInfo describe(Path checkpoint, Segmenter segmenter) {
        Path dir = TrainedModel.resolve(checkpoint);
        long parameters = 0;
        Map<String, Object> configuration = Map.of();
        if (segmenter instanceof BtdNetSegmenter s) {
            BtdNet net = s.predictor().net();
            for (Parameter p : ParameterPaths.of(net).values()) {
                parameters += p.getArray().size();
            }
            configuration = new ObjectMapper().convertValue(net.config(), new TypeReference<Map<String, Object>>() {});
        }
        return new ModelInfo(dir.toString(), parameters, TrainedModel.trainedOn(dir), configuration);
    }
}
