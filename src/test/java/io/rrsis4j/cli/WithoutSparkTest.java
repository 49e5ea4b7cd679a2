package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in a JVM whose class path has no Spark (nor Scala, which only Spark brings), as in the device
 * package: every other command starts and runs, and the Spark commands say in one line that this build has none.
 */
class WithoutSparkTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    @Test
    void theClassPathReallyHasNoSpark() throws Exception {
        String classPath = classPathWithoutSpark();
        assertFalse(classPath.contains("spark-core"), classPath);
        assertTrue(System.getProperty("java.class.path").contains("spark-core"), "the test's own class path has Spark");
        Run r = run("-cp", classPath, Probe.class.getName());
        assertEquals("absent", r.out().strip(), r.err());
    }

    @Test
    void commandsStartAndRunWithoutSpark() throws Exception {
        Run help = main("--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("synth") && help.out().contains("segment") && help.out().contains("spark"), help.out());
        assertEquals("", help.err());

        Path out = dir.resolve("synth");
        Run synth = main("synth", "--out", out.toString(), "--count", "3", "--size", "32");
        assertEquals(0, synth.code(), synth.err());
        try (var images = Files.list(out.resolve("images/rrsisd/JPEGImages"))) {
            assertEquals(3, images.count());
        }
    }

    @Test
    void sparkCommandsSayInOneLineThatThereIsNoSpark() throws Exception {
        String expected = "this build has no Apache Spark (the device package leaves it out); run it with the full"
                + " jar (./rrsis4j) or through spark-submit with rrsis4j-cluster.jar";
        for (List<String> args : List.of(
                List.of("spark", "segment", "--checkpoint", dir.toString(), "--manifest", "m.csv", "--out", "o"),
                List.of("spark", "--help"), List.of("bench", "spark"))) {
            Run r = main(args.toArray(String[]::new));
            String name = args.get(0).equals("bench") ? "bench spark" : "spark";
            assertEquals(2, r.code(), args + ": " + r.err());
            assertEquals("", r.out(), args.toString());
            assertEquals("error: " + name + ": " + expected, r.err().strip(), args.toString());
        }
    }

    @Test
    void withSparkTheRealCommandsAreThere() {
        assertTrue(SparkAbsentCommand.sparkPresent());
        var err = new java.io.ByteArrayOutputStream();
        var saved = System.err;
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, Main.run("spark", "segment", "--checkpoint", dir.toString()));
        } finally {
            System.setErr(saved);
        }
        // picocli's own refusal of the real command's options, not the no-Spark line
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: Missing required options: '--manifest=<manifest>'"),
                err.toString(StandardCharsets.UTF_8));
    }

    /** Prints whether Spark's session class can be loaded: the child JVM's own evidence of what it runs without. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println(SparkAbsentCommand.sparkPresent() ? "present" : "absent");
        }
    }

    private Run main(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("-Dai.djl.offline=true", "-cp", classPathWithoutSpark(),
                Main.class.getName()));
        cmd.addAll(Arrays.asList(args));
        return run(cmd.toArray(String[]::new));
    }

    private static String classPathWithoutSpark() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("/org/apache/spark/") && !entry.contains("/org/scala-lang/"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private Run run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        cmd.addAll(Arrays.asList(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished: " + cmd);
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
