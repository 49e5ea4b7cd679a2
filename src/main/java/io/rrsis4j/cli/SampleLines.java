package io.rrsis4j.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.eval.SampleScore;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * {@code evaluate --per-sample}: one JSON object per sample and line (JSON Lines, readable by pandas'
 * {@code read_json(lines=True)} or jq), so that a table can be taken apart by sentence, kind or category.
 */
final class SampleLines {
    private static final ObjectMapper JSON = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private SampleLines() {}

    static void write(List<SampleScore> scores, OutputStream out) throws IOException {
        for (SampleScore s : scores) {
            JSON.writeValue(out, line(s));
            out.write('\n');
        }
    }

    /** One sample's line; {@code presence} is null for a model without the presence head. */
    static ObjectNode line(SampleScore s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", s.sample().id());
        n.put("image", s.sample().imagePath().toString());
        n.put("sentence", s.sample().sentence());
        n.put("category", s.sample().category());
        n.put("kind", s.kind().label());
        if (s.presence().judged()) {
            n.put("presence", Math.round(s.presence().probability() * 1e6) / 1e6);
        } else {
            n.putNull("presence");
        }
        n.put("judged_absent", s.presence().absent());
        n.put("truth", s.truth());
        n.put("predicted", s.predicted());
        n.put("intersection", s.intersection());
        n.put("union", s.union());
        n.put("iou", s.iou());
        return n;
    }
}
