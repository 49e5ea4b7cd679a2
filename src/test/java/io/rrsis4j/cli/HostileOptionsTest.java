package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.synthetic.SyntheticDatasets;
import io.rrsis4j.model.BtdNetConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nonsense options, corrupt inputs and wordless sentences, as a hostile user types them: each is refused with exit
 * code 2 and one line that names the option or file, and leaves no output behind.
 */
class HostileOptionsTest {
    @TempDir
    static Path dir;
    static Path checkpoint;
    static Path data;
    static Path image;

    @BeforeAll
    static void checkpointAndData() throws Exception {
        BtdNetConfig config = BtdNetConfig.micro();
        checkpoint = MicroCheckpoint.write(dir.resolve("ckpt"));
        data = dir.resolve("data");
        SyntheticDatasets.write(data, Datasets.Format.RRSISD, 20, 64, 3);
        image = data.resolve("images/rrsisd/JPEGImages/00001.jpg");
        Files.write(dir.resolve("latin1.tsv"), new byte[] {'a', (byte) 0xE9, '\t', 'c', 'a', 'r', '\n'});
        Files.writeString(dir.resolve("empty.tsv"), "# nothing here\n\n");
        Files.writeString(dir.resolve("wordless.tsv"), image + "\tthe car\n" + image + "\t?!...\n");
        Path badConfig = dir.resolve("bad-config");
        Files.createDirectories(badConfig);
        Files.copy(checkpoint.resolve("model.safetensors"), badConfig.resolve("model.safetensors"));
        Files.writeString(badConfig.resolve("config.json"), "{\"imageSize\": \"x\",\n garbage");
        Path negative = dir.resolve("negative-window");
        Files.createDirectories(negative);
        Files.copy(checkpoint.resolve("model.safetensors"), negative.resolve("model.safetensors"));
        Files.writeString(negative.resolve("config.json"), config.toJson().replaceFirst("\"swinWindow\" ?: ?3", "\"swinWindow\":-3"));
        Path badInstances = dir.resolve("bad-instances");
        SyntheticDatasets.write(badInstances, Datasets.Format.RRSISD, 20, 48, 4);
        Files.writeString(badInstances.resolve("rrsisd/instances.json"), "{\"images\": [1, 2], \n\"annotations\": {");
        Files.createDirectories(dir.resolve("full"));
        Files.writeString(dir.resolve("full/keep.txt"), "x");
        Files.writeString(dir.resolve("imageless.tsv"), "  \tthe car\n");
        Files.createDirectories(dir.resolve("folder.png"));
        Files.createDirectories(dir.resolve("resumable"));
        Files.writeString(dir.resolve("resumable/config.json"), "{}"); // a run to --resume; its options are checked first
    }

    static Stream<Arguments> cases() {
        String ck = checkpoint.toString();
        String img = image.toString();
        String out = dir.resolve("out/mask.png").toString();
        List<Arguments> c = new ArrayList<>();
        c.add(of("threshold above 1", "--threshold", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", out, "--threshold", "2"));
        c.add(of("negative threshold", "--threshold", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", out, "--threshold", "-0.1"));
        c.add(of("threshold not a number", "--threshold", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", out, "--threshold", "half"));
        c.add(of("geojson without tile", "--geojson", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", out, "--geojson", dir.resolve("out/g.geojson").toString()));
        c.add(of("bands without tile", "--bands", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", out, "--bands", "3,2,1"));
        c.add(of("one-pixel stride", "--tile", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", out, "--tile", "33", "--overlap", "32"));
        c.add(of("tile too small", "--tile", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", out, "--tile", "8", "--overlap", "0"));
        c.add(of("bands by name", "--bands", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", out, "--tile", "96", "--overlap", "16", "--bands", "red"));
        c.add(of("two bands", "--bands", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", out, "--tile", "96", "--overlap", "16", "--bands", "1,2"));
        c.add(of("overlay of a tiled scene", "--overlay", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", out, "--tile", "96", "--overlap", "16", "--overlay", dir.resolve("out/o.png").toString()));
        c.add(of("punctuation-only sentence", "no word", "segment", "--checkpoint", ck, "--image", img, "--text", "?!...", "--out", out));
        c.add(of("blank sentence", "sentence is empty", "segment", "--checkpoint", ck, "--image", img, "--text", "   ", "--out", out));
        c.add(of("out-dir with one image", "--out-dir", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", out, "--out-dir", dir.resolve("out").toString()));
        c.add(of("missing list", "nope.tsv", "segment", "--checkpoint", ck, "--list", dir.resolve("nope.tsv").toString(), "--out-dir", dir.resolve("out").toString()));
        c.add(of("list not UTF-8", "latin1.tsv", "segment", "--checkpoint", ck, "--list", dir.resolve("latin1.tsv").toString(), "--out-dir", dir.resolve("out").toString()));
        c.add(of("list without pairs", "empty.tsv", "segment", "--checkpoint", ck, "--list", dir.resolve("empty.tsv").toString(), "--out-dir", dir.resolve("out").toString()));
        c.add(of("wordless sentence in a list", "line 2", "segment", "--checkpoint", ck, "--list", dir.resolve("wordless.tsv").toString(), "--out-dir", dir.resolve("out").toString()));
        c.add(of("list batch 0", "--batch", "segment", "--checkpoint", ck, "--list", dir.resolve("wordless.tsv").toString(), "--out-dir", dir.resolve("out").toString(), "--batch", "0"));
        c.add(of("garbage config.json", "config.json", "segment", "--checkpoint", dir.resolve("bad-config").toString(), "--image", img, "--text", "the car", "--out", out));
        c.add(of("config with a negative window", "swinWindow", "segment", "--checkpoint", dir.resolve("negative-window").toString(), "--image", img, "--text", "the car", "--out", out));
        c.add(of("misspelt split", "tset", "evaluate", "--checkpoint", ck, "--data", data.toString(), "--format", "rrsisd", "--split", "tset", "--json", dir.resolve("out/e.json").toString()));
        c.add(of("evaluate batch 0", "--batch", "evaluate", "--checkpoint", ck, "--data", data.toString(), "--format", "rrsisd", "--batch", "0", "--json", dir.resolve("out/e.json").toString()));
        c.add(of("garbage instances.json", "instances.json", "evaluate", "--checkpoint", ck, "--data", dir.resolve("bad-instances").toString(), "--format", "rrsisd", "--json", dir.resolve("out/e.json").toString()));
        c.add(of("image size not a multiple of 32", "--image-size", "train", "--data", data.toString(), "--out", dir.resolve("out/run").toString(), "--image-size", "100", "--no-progress"));
        c.add(of("negative limit", "--limit", "train", "--data", data.toString(), "--out", dir.resolve("out/run").toString(), "--limit", "-3", "--no-progress"));
        c.add(of("train batch 0", "batch", "train", "--data", data.toString(), "--out", dir.resolve("out/run").toString(), "--batch", "0", "--no-progress"));
        c.add(of("learning rate above 1", "--lr", "train", "--data", data.toString(), "--out", dir.resolve("out/run").toString(), "--lr", "5", "--no-progress"));
        c.add(of("bench a misspelt split", "tset", "bench", "data", "--data", data.toString(), "--split", "tset", "--json", dir.resolve("out/b.json").toString()));
        c.add(of("settings of a resumed run", "--epochs", "train", "--out", dir.resolve("resumable").toString(), "--resume", "--epochs", "9"));
        c.add(of("resume where no run is", "no training run", "train", "--out", dir.resolve("out/run").toString(), "--resume", "--quiet"));
        c.add(of("scene too large for one image", "--tile", "segment", "--checkpoint", ck, "--image", "src/test/resources/hostile/too-large-for-one-image.tif", "--text", "the car", "--out", out));
        c.add(of("word maps into a file", "keep.txt", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", out, "--explain", dir.resolve("full/keep.txt").toString()));
        c.add(of("evaluation over its annotations", "is also an input", "evaluate", "--checkpoint", ck, "--data", data.toString(), "--format", "rrsisd", "--json", data.resolve("rrsisd/instances.json").toString()));
        c.add(of("PNG mask named .jpg", "--out", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", dir.resolve("out/mask.jpg").toString()));
        c.add(of("GeoTIFF mask named .png", "--out", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", out, "--tile", "64", "--overlap", "16"));
        c.add(of("serve without upload room", "--max-upload-mb", "serve", "--checkpoint", ck, "--max-upload-mb", "0"));
        c.add(of("training run inside a file", "keep.txt: is a file where a folder is needed", "train", "--data", data.toString(), "--out", dir.resolve("full/keep.txt/run").toString(), "--no-progress"));
        c.add(of("ablation into a file", "keep.txt", "ablate", "--data", data.toString(), "--out", dir.resolve("full/keep.txt").toString(), "--no-progress"));
        c.add(of("image is a folder", "is a folder", "segment", "--checkpoint", ck, "--image", dir.resolve("folder.png").toString(), "--text", "the car", "--out", out));
        c.add(of("list is a folder", "is a folder", "segment", "--checkpoint", ck, "--list", dir.resolve("full").toString(), "--out-dir", dir.resolve("out").toString()));
        c.add(of("list line without an image", "no image", "segment", "--checkpoint", ck, "--list", dir.resolve("imageless.tsv").toString(), "--out-dir", dir.resolve("out").toString()));
        c.add(of("missing dataset folder", "dataset folder not found", "evaluate", "--checkpoint", ck, "--data", dir.resolve("no-data").toString(), "--format", "rrsisd", "--json", dir.resolve("out/e.json").toString()));
        c.add(of("validation limit without validation", "--val-limit", "train", "--data", data.toString(), "--out", dir.resolve("out/run").toString(), "--no-validation", "--val-limit", "5"));
        c.add(of("batch of one image", "--batch", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", out, "--batch", "8"));
        c.add(of("huge synthetic scenes", "--size", "synth", "--out", dir.resolve("out/s").toString(), "--size", "100000", "--count", "1"));
        c.add(of("no synthetic scenes", "--count", "synth", "--out", dir.resolve("out/s").toString(), "--count", "0"));
        c.add(of("synth into a folder with files", "full", "synth", "--out", dir.resolve("full").toString(), "--count", "1", "--size", "32"));
        c.add(of("demo without test scenes", "--scenes", "demo", "--out", dir.resolve("out/demo").toString(), "--scenes", "3"));
        String custom = "src/test/resources/geotiff/crs/custom_albers.tif";
        String tif = dir.resolve("out/mask.tif").toString();
        String json = dir.resolve("out/g.geojson").toString();
        c.add(of("GeoJSON CRS by another name", "--geojson-crs", "segment", "--checkpoint", ck, "--image", custom, "--text", "the car", "--out", tif, "--tile", "32", "--overlap", "0", "--geojson", json, "--geojson-crs", "utm"));
        c.add(of("GeoJSON CRS without a GeoJSON", "--geojson-crs", "segment", "--checkpoint", ck, "--image", custom, "--text", "the car", "--out", tif, "--tile", "32", "--overlap", "0", "--geojson-crs", "wgs84"));
        c.add(of("GeoJSON CRS without tile", "--geojson-crs", "segment", "--checkpoint", ck, "--image", img, "--text", "the car", "--out", out, "--geojson-crs", "wgs84"));
        c.add(of("native GeoJSON of a CRS without EPSG code", "--geojson-crs native", "segment", "--checkpoint", ck, "--image", custom, "--text", "the car", "--out", tif, "--tile", "32", "--overlap", "0", "--geojson", json, "--geojson-crs", "native"));
        c.add(of("GeoJSON of a local grid", "local (engineering) grid", "segment", "--checkpoint", ck, "--image", "src/test/resources/geotiff/crs/refused_local_grid.tif", "--text", "the car", "--out", tif, "--tile", "32", "--overlap", "0", "--geojson", json));
        c.add(of("WGS 84 GeoJSON of an oblique Mercator", "--geojson-crs wgs84", "segment", "--checkpoint", ck, "--image", "src/test/resources/geotiff/crs/refused_oblique_mercator.tif", "--text", "the car", "--out", tif, "--tile", "32", "--overlap", "0", "--geojson", json, "--geojson-crs", "wgs84"));
        c.add(of("unknown option", "--bogus", "segment", "--checkpoint", ck, "--bogus"));
        return c.stream();
    }

    private static Arguments of(String name, String named, String... args) {
        return Arguments.of(name, named, List.of(args));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedInOneLineWithExitCode2AndNothingWritten(String name, String named, List<String> args) throws IOException {
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, run.code(), name + ": " + run);
        List<String> lines = run.errorLines();
        assertEquals(1, lines.size(), name + ": one line: " + run);
        assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(named),
                name + ": names " + named + ": " + lines.get(0));
        assertFalse(Files.exists(dir.resolve("out")), name + ": nothing written, not even the output folder");
        assertEquals(List.of(dir.resolve("full/keep.txt")), list(dir.resolve("full")), name + ": other files untouched");
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> all = Files.list(folder)) {
            return all.toList();
        }
    }
}
