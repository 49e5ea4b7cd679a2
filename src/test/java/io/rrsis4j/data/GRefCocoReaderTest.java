package io.rrsis4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gRefCOCO folders written by Python (src/test/python/make_grefcoco_fixtures.py: json, pickle protocols 2 and 4,
 * polygons, both RLE kinds, crowd annotations, int and list ann_id, no-target refs, three images), read back sample
 * by sample against the masks pycocotools gives; and the bad refs the reader must refuse in one line.
 */
class GRefCocoReaderTest {
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures/grefcoco");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private int layouts;

    @ParameterizedTest
    @ValueSource(strings = {"grefs(unc).json", "grefs(unc)-p2.p", "grefs(unc)-p4.p"})
    void readsEverySplitAsPythonWroteIt(String refs) throws Exception {
        Path root = layout(refs);
        JsonNode expected = JSON.readTree(FIXTURES.resolve("expected.json").toFile());
        List<ReferringSample> all = new ArrayList<>();
        for (String split : List.of("train", "val", "testA", "testB")) {
            List<ReferringSample> samples = new GRefCocoReader().read(root, split);
            samples.forEach(s -> assertEquals(split, s.split(), s.id()));
            all.addAll(samples);
        }
        List<String> ids = all.stream().map(ReferringSample::id).sorted().toList();
        List<String> wanted = new ArrayList<>();
        expected.fieldNames().forEachRemaining(wanted::add);
        assertEquals(wanted.stream().sorted().toList(), ids, "every sentence a sample; the crowd-only ref left out");
        for (ReferringSample s : all) {
            JsonNode e = expected.get(s.id());
            assertEquals(e.get("sentence").asText(), s.sentence(), s.id());
            assertEquals(e.get("category").asText(), s.category(), s.id());
            assertEquals(e.get("targets").asInt(), s.targets(), s.id());
            assertEquals(e.get("image").asText(), s.imagePath().getFileName().toString(), s.id());
            BinaryMask mask = s.mask().load();
            assertEquals(rows(mask), JSON.convertValue(e.get("rows"), List.class), s.id());
            assertEquals(s.targets(), s.targetsIn(mask), s.id());
        }
        Map<String, Long> kinds = new java.util.TreeMap<>();
        all.forEach(s -> kinds.merge(TargetKind.of(s.targets()).label(), 1L, Long::sum));
        assertEquals(Map.of("multi", 3L, "none", 2L, "single", 3L), kinds);
    }

    @Test
    void splitsAreTheNamesTheFileUsesThroughDatasets() throws Exception {
        Path root = layout("grefs(unc).json");
        assertEquals(List.of("train", "val", "testA", "testB"), List.copyOf(new GRefCocoReader().splits(root)));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Datasets.readSplit(root, Datasets.Format.parse("grefs"), "test"));
        assertTrue(e.getMessage().contains("split 'test' has no samples (splits here: train, val, testA, testB)"),
                e.getMessage());
        assertEquals(2, Datasets.readSplit(root, Datasets.Format.GREFS, "testA").size());
        assertEquals(List.of(root.resolve("grefcoco/grefs(unc).json"), root.resolve("grefcoco/instances.json")),
                Datasets.annotationFiles(root, Datasets.Format.GREFS, "testA"));
    }

    @Test
    void thePickleIsPreferredWhenBothAreThere() throws Exception {
        Path root = layout("grefs(unc)-p4.p");
        Files.writeString(root.resolve("grefcoco/grefs(unc).json"), "not json at all");
        assertEquals(3, new GRefCocoReader().read(root, "train").size());
    }

    @Test
    void refusesAnAnnotationThatDoesNotExist() throws Exception {
        String message = refused(ref(1, r -> r.set("ann_id", JSON.valueToTree(List.of(101, 999)))));
        assertTrue(message.contains("grefs(unc).json") && message.contains("ref 1 names annotation 999"), message);
    }

    @Test
    void refusesAnAnnotationOfAnotherImage() throws Exception {
        String message = refused(ref(1, r -> r.set("ann_id", JSON.valueToTree(List.of(101, 201)))));
        assertTrue(message.contains("ref 1 is on image 1 but names annotation 201 of image 2"), message);
    }

    @Test
    void refusesANoTargetRefThatListsAnnotations() throws Exception {
        String message = refused(ref(6, r -> r.set("ann_id", JSON.valueToTree(List.of(301)))));
        assertTrue(message.contains("ref 6 is a no-target ref (no_target: true) but lists annotations [301]"), message);
        message = refused(ref(6, r -> r.set("ann_id", JSON.valueToTree(List.of(-1, 301)))));
        assertTrue(message.contains("ref 6"), message);
    }

    @Test
    void refusesAnEmptySentenceListAndAnEmptyAnnotationList() throws Exception {
        String message = refused(ref(2, r -> r.set("sentences", JSON.createArrayNode())));
        assertTrue(message.contains("ref 2 has an empty list of sentences"), message);
        message = refused(ref(2, r -> r.set("ann_id", JSON.createArrayNode())));
        assertTrue(message.contains("ref 2 lists no annotations"), message);
    }

    @Test
    void aBlankSentenceIsRefusedForTrainingAndLeftOutForEvaluation() throws Exception {
        Path root = ref(1, r -> ((ObjectNode) r.get("sentences").get(1)).put("raw", " \u00a0\t\u200b"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Datasets.readSplit(root, Datasets.Format.GREFS, "train"));
        assertTrue(e.getMessage().contains("grefs(unc).json") && e.getMessage().contains("ref 1 (sent_id 2) has an empty sentence"),
                e.getMessage());
        List<ReferringSample> kept = Datasets.readSplit(root, Datasets.Format.GREFS, "train", BlankSentences.Policy.SKIP);
        assertEquals(List.of("ref1_sent1", "ref2_sent3"), kept.stream().map(ReferringSample::id).toList());
    }

    /** The fixture folder with the refs file {@code refs} copied in under the name the official loader looks for. */
    private Path layout(String refs) throws IOException {
        Path root = dir.resolve("root-" + refs.replaceAll("[^a-z0-9]", "") + "-" + ++layouts);
        Path base = FIXTURES.resolve("base");
        try (Stream<Path> files = Files.walk(base)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = root.resolve(base.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String name = refs.endsWith(".p") ? "grefs(unc).p" : "grefs(unc).json";
        Files.copy(FIXTURES.resolve("refs").resolve(refs), root.resolve("grefcoco").resolve(name));
        return root;
    }

    /** The JSON fixture with ref {@code refId} changed by {@code change}. */
    private Path ref(int refId, Consumer<ObjectNode> change) throws IOException {
        Path root = layout("grefs(unc).json");
        Path file = root.resolve("grefcoco/grefs(unc).json");
        ArrayNode refs = (ArrayNode) JSON.readTree(file.toFile());
        for (Iterator<JsonNode> it = refs.elements(); it.hasNext(); ) {
            JsonNode r = it.next();
            if (r.get("ref_id").asInt() == refId) {
                change.accept((ObjectNode) r);
            }
        }
        JSON.writeValue(file.toFile(), refs);
        return root;
    }

    /** The one line reading every split of a bad folder gives. */
    private static String refused(Path root) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> {
            for (String split : List.of("train", "val", "testA", "testB")) {
                new GRefCocoReader().read(root, split);
            }
        });
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private static List<String> rows(BinaryMask m) {
        List<String> rows = new ArrayList<>();
        for (int y = 0; y < m.height(); y++) {
            StringBuilder r = new StringBuilder();
            for (int x = 0; x < m.width(); x++) {
                r.append(m.get(x, y) ? '1' : '0');
            }
            rows.add(r.toString());
        }
        return rows;
    }
}
