package io.rrsis4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The floors of the house, top to bottom: cli (and bench beside it) > serve > infer (and spark beside it) >
 * train / eval > model > data > io. A package may use any package on a lower floor, never one above; of two on
 * the same floor only the pairs named here may meet (training validates through eval; spark runs infer's
 * segmenters). Imports and fully qualified names in the code both count.
 */
class LayeringTest {
    private static final Map<String, Integer> FLOOR = Map.of(
            "io", 0, "data", 1, "model", 2, "train", 3, "eval", 3, "infer", 4, "spark", 4, "serve", 5, "cli", 6,
            "bench", 6);
    private static final Set<String> SIDEWAYS = Set.of("train>eval", "spark>infer", "bench>cli", "cli>bench");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.rrsis4j\\.([a-z]+)\\.[A-Za-z]");
    private static final Path MAIN = Path.of("src/main/java/io/rrsis4j");

    @Test
    void noPackageUsesOneAboveIt() throws IOException {
        List<String> upward = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.walk(MAIN)) {
            for (Path file : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path relative = MAIN.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // io.rrsis4j itself (InvalidInputException) is under every floor
                }
                files++;
                String from = relative.getName(0).toString();
                assertTrue(FLOOR.containsKey(from), "package " + from + " has no floor: add it to LayeringTest");
                upward.addAll(upwardReferences(file, from));
            }
        }
        assertTrue(files > 50, "read only " + files + " source files");
        assertEquals(List.of(), upward, "imports that run up the floors");
    }

    @Test
    void theCheckSeesAnUpwardImport() {
        assertEquals(1, upwardReferences("package io.rrsis4j.model;\nimport io.rrsis4j.infer.Segmenter;\n", "model", "X").size());
        assertEquals(1, upwardReferences("  var x = new io.rrsis4j.serve.ModelInfo(a);", "infer", "X").size());
        assertEquals(0, upwardReferences("import io.rrsis4j.eval.Evaluator;", "train", "X").size());
        assertEquals(1, upwardReferences("import io.rrsis4j.train.Trainer;", "eval", "X").size());
    }

    private static List<String> upwardReferences(Path file, String from) throws IOException {
        return upwardReferences(Files.readString(file), from, MAIN.relativize(file).toString());
    }

    private static List<String> upwardReferences(String source, String from, String name) {
        List<String> found = new ArrayList<>();
        Matcher m = REFERENCE.matcher(source);
        while (m.find()) {
            String to = m.group(1);
            if (to.equals(from) || !FLOOR.containsKey(to) || SIDEWAYS.contains(from + ">" + to)) {
                continue;
            }
            if (FLOOR.get(to) >= FLOOR.get(from)) {
                found.add(name + " (" + from + ") uses " + to);
            }
        }
        return found;
    }
}
