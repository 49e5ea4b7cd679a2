package io.rrsis4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.io.ByteMutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated bytes of valid dataset files (written by Python's pickle, json and PIL: src/test/python/
 * make_reader_fuzz_fixtures.py) through the readers, every split listed and every mask decoded: a reader either
 * accepts the file or throws the one-line input error, never anything else, and never hangs.
 */
class ReaderFuzzTest {
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures/fuzz");
    /** Mutations per reader; raise for a deeper local run: {@code -Drrsis4j.fuzzCases=50000 -Drrsis4j.fuzzSeed=7}. */
    private static final int CASES = Integer.getInteger("rrsis4j.fuzzCases", 3000);
    private static final long SEED = Long.getLong("rrsis4j.fuzzSeed", 0);
    private static final long MAX_MILLIS_PER_CASE = 2000;
    private static final List<String> SPLITS = List.of("train", "val", "test");

    @TempDir
    Path dir;

    /** Reads a dataset folder the way training and evaluation do. */
    @FunctionalInterface
    private interface DatasetRead {
        void read(Path root) throws IOException;
    }

    @Test
    void cocoInstancesJson() throws IOException {
        fuzz("rrsisd", "rrsisd/instances.json", SEED + 13, ReaderFuzzTest::readRrsisd);
    }

    @Test
    void compressedRleCounts() throws IOException {
        Path root = copy("rrsisd");
        Path file = root.resolve("rrsisd/instances.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode coco = (ObjectNode) json.readTree(file.toFile());
        ObjectNode rle = (ObjectNode) coco.get("annotations").get(2).get("segmentation");
        byte[] counts = rle.get("counts").asText().getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(3, readRrsisd(root), "the valid file reads");
        int accepted = ByteMutations.assertOnlyInputErrors("RLE counts string", counts, CASES, SEED + 17, MAX_MILLIS_PER_CASE,
                bytes -> {
                    rle.put("counts", new String(bytes, StandardCharsets.ISO_8859_1));
                    Files.write(file, json.writeValueAsBytes(coco));
                    readRrsisd(root);
                });
        assertTrue(accepted > 0, "some mutated counts still decode");
    }

    @Test
    void rrsisdRefsPickle() throws IOException {
        fuzz("rrsisd", "rrsisd/refs(unc).p", SEED + 19, ReaderFuzzTest::readRrsisd);
    }

    @Test
    void refSegRsSplitFile() throws IOException {
        fuzz("refsegrs", "output_phrase_test.txt", SEED + 23, root -> {
            for (ReferringSample s : new RefSegRsReader().read(root, "test")) {
                s.mask().load();
            }
        });
    }

    /** Mutations of one file of a copied fixture folder, each read whole. */
    private void fuzz(String dataset, String name, long seed, DatasetRead read) throws IOException {
        Path root = copy(dataset);
        Path file = root.resolve(name);
        int accepted = ByteMutations.assertOnlyInputErrors(name, Files.readAllBytes(file), CASES, seed,
                MAX_MILLIS_PER_CASE, bytes -> {
                    Files.write(file, bytes);
                    read.read(root);
                });
        assertTrue(accepted > 0, name + ": some mutations keep the file readable (a check that the reader ran at all)");
    }

    @Test
    void everyPickleProtocolPythonWritesIsRead() throws IOException {
        Path root = copy("rrsisd");
        int expected = readRrsisd(root);
        for (int protocol : new int[] {0, 4, 5}) {
            Files.copy(FIXTURES.resolve("refs-protocol" + protocol + ".p"), root.resolve("rrsisd/refs(unc).p"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertEquals(expected, readRrsisd(root), "protocol " + protocol);
        }
    }

    /** Lists every split and decodes every mask; returns the number of masks. */
    private static int readRrsisd(Path root) throws IOException {
        int masks = 0;
        for (String split : SPLITS) {
            for (ReferringSample s : new RrsisdReader().read(root, split)) {
                s.mask().load();
                masks++;
            }
        }
        return masks / 2; // two sentences per ref
    }

    private Path copy(String name) throws IOException {
        Path from = FIXTURES.resolve(name);
        Path to = dir.resolve(name);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }
}
