package io.rrsis4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.io.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A run's {@code log.jsonl}: one JSON object per line, each with the {@code step} it was written after (training
 * steps and validations alike).
 */
final class TrainingLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    TrainingLog(Path file) {
        this.file = file;
    }

    ObjectNode entry() {
        return JSON.createObjectNode();
    }

    void append(ObjectNode entry) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(entry) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Keeps the entries up to {@code step}, the step a resumed run continues after: a killed run may have logged
     * steps past its last checkpoint, which the resumed run logs again, and a line cut off by the kill.
     */
    void truncateAfter(long step) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> kept = lines.stream().filter(line -> stepOf(line) <= step).toList();
        if (kept.size() != lines.size()) {
            String text = kept.stream().map(l -> l + "\n").collect(Collectors.joining());
            AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The line's step, or MAX_VALUE for a line that is not a whole entry. */
    private static long stepOf(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.has("step") ? node.get("step").asLong() : Long.MAX_VALUE;
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
