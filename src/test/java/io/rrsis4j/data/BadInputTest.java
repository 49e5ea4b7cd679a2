package io.rrsis4j.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.data.synthetic.SyntheticDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BadInputTest {
    @TempDir
    Path dir;
    Path instances;

    @BeforeEach
    void writeSmallDataset() throws Exception {
        SyntheticDatasets.write(dir, Datasets.Format.RRSISD, 6, 64, 1);
        instances = dir.resolve("rrsisd/instances.json");
    }

    private InvalidInputException readFails(String split) {
        return assertThrows(InvalidInputException.class, () -> new RrsisdReader().read(dir, split));
    }

    @Test
    void missingPickle() throws Exception {
        Files.delete(dir.resolve("rrsisd/refs(unc).p"));
        InvalidInputException e = readFails("train");
        assertTrue(e.getMessage().contains("refs(unc).p") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void brokenPickle() throws Exception {
        Path p = dir.resolve("rrsisd/refs(unc).p");
        byte[] bytes = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        InvalidInputException e = readFails("train");
        assertTrue(e.getMessage().contains("pickle"), e.getMessage());
        assertEquals(p, e.file());
    }

    @Test
    void hostilePickleIsDescribedInTheUsersWords() throws Exception {
        Path p = dir.resolve("rrsisd/refs(unc).p");
        // GLOBAL numpy.core.multiarray._reconstruct, MARK, BININT1 1, TUPLE, REDUCE, STOP: an object the refs never hold
        Files.write(p, "cnumpy.core.multiarray\n_reconstruct\n(K\u0001tR.".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        InvalidInputException e = readFails("train");
        assertEquals(p, e.file());
        assertTrue(e.getMessage().contains("numpy.core.multiarray._reconstruct"), e.getMessage());
        assertTrue(!e.getMessage().contains("razorvine") && !e.getMessage().contains("Exception")
                && !e.getMessage().contains("IObjectConstructor"), e.getMessage());
    }

    @Test
    void brokenJson() throws Exception {
        Files.writeString(instances, "{\"images\": [");
        assertTrue(readFails("train").getMessage().contains("instances.json"));
    }

    @Test
    void oddPolygon() throws Exception {
        editFirstAnnotation(a -> a.putArray("segmentation").addArray().add(1).add(2).add(3).add(4).add(5).add(6).add(7));
        InvalidInputException e = readFails("train");
        assertTrue(e.getMessage().contains("odd number of coordinates"), e.getMessage());
        assertEquals(instances, e.file());
    }

    @Test
    void rleCountsNotCoveringTheImage() throws Exception {
        editFirstAnnotation(a -> {
            ObjectNode rle = a.putObject("segmentation");
            rle.putArray("size").add(64).add(64);
            rle.putArray("counts").add(10).add(20);
        });
        InvalidInputException e = readFails("train");
        assertTrue(e.getMessage().contains("sum to 30") && e.getMessage().contains("annotation 1"), e.getMessage());
    }

    @Test
    void brokenCompressedRle() throws Exception {
        editFirstAnnotation(a -> {
            ObjectNode rle = a.putObject("segmentation");
            rle.putArray("size").add(64).add(64);
            rle.put("counts", "\u0001bad");
        });
        assertTrue(readFails("train").getMessage().contains("invalid character"));
    }

    @Test
    void missingAndCorruptImage() throws Exception {
        Path img = dir.resolve("images/rrsisd/JPEGImages/00001.jpg");
        Files.writeString(img, "not a jpeg");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Images.read(img));
        assertEquals(img, e.file());
        Files.delete(img);
        assertTrue(assertThrows(InvalidInputException.class, () -> Images.read(img)).getMessage().contains("not found"));
        assertTrue(readFails("train").getMessage().contains("00001.jpg"));
    }

    @Test
    void refSegRsBadLineAndMissingMask() throws Exception {
        Path root = dir.resolve("refsegrs");
        SyntheticDatasets.write(root, Datasets.Format.REFSEGRS, 3, 48, 2);
        Path phrases = root.resolve("output_phrase_train.txt");
        String good = Files.readString(phrases);
        Files.writeString(phrases, good + "x12 the road\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new RefSegRsReader().read(root, "train"));
        assertTrue(e.getMessage().contains("is not 'index sentence'"), e.getMessage());
        Files.writeString(phrases, good);
        Files.delete(root.resolve("masks/0.tif"));
        e = assertThrows(InvalidInputException.class, () -> new RefSegRsReader().read(root, "train"));
        assertTrue(e.getMessage().contains("0.tif"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> new RefSegRsReader().read(root.resolve("nowhere"), "test"));
    }

    private void editFirstAnnotation(java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(instances.toFile());
        ArrayNode anns = (ArrayNode) root.get("annotations");
        for (var a : anns) {
            if (a.get("id").asInt() == 1) {
                edit.accept((ObjectNode) a);
            }
        }
        json.writeValue(instances.toFile(), root);
    }
}
