package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code rrsis4j} launcher drops libtorch's known harmless warnings from stderr and nothing else: our own lines,
 * progress bars, other libtorch warnings, libtorch errors, error messages and stack traces pass, in order; the exit
 * code and stdout are the program's; {@code --verbose} keeps everything. A stand-in {@code java} on the PATH replays
 * stderr.txt (the deprecation line as libtorch 2.7.1 printed it here; the NNPACK line in the same format, as
 * libtorch prints it on CPUs NNPACK does not support) and exits 3.
 */
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void dropsOnlyLibtorchsHarmlessWarningsAndKeepsTheExitCode() throws Exception {
        List<String> all = Files.readAllLines(Path.of("src/test/resources/launcher/stderr.txt"));
        Result quiet = launch("demo");
        assertEquals(3, quiet.exit);
        assertEquals("stdout line\n", quiet.stdout);
        List<String> kept = all.stream().filter(l -> !l.contains("Could not initialize NNPACK! Reason: Unsupported hardware.")
                || !l.startsWith("[W")).filter(l -> !l.contains("AutoNonVariableTypeMode")).toList();
        assertEquals(all.size() - 3, kept.size());
        assertEquals(kept, quiet.stderr.lines().toList());

        Result verbose = launch("demo", "--verbose");
        assertEquals(3, verbose.exit);
        assertEquals(all, verbose.stderr.lines().toList());
    }

    @Test
    void cutsAWarningOutOfAProgressBarsLineAndKeepsTheBar() throws Exception {
        String bar = "train  10% [===>   ] 1/10\rtrain  20% [====>  ] 2/10";
        String nnpack = "[W1129 07:51:02.118043210 NNPACK.cpp:57] Could not initialize NNPACK! Reason: Unsupported hardware.";
        Files.writeString(dir.resolve("progress.txt"), bar + nnpack + "\n\rtrain 100% [=======] 10/10 " + nnpack
                + " after\nlast line\n\tat io.rrsis4j.cli.Main.main(Main.java:20)\n");
        Result r = launch(dir.resolve("progress.txt"), "demo");
        assertEquals(bar + "\rtrain 100% [=======] 10/10  after\nlast line\n\tat io.rrsis4j.cli.Main.main(Main.java:20)\n",
                r.stderr);
    }

    @Test
    void theJarBuildsOutputIsPlainTextWhenNotOnATerminal() throws Exception {
        // A copy of the launcher without a jar beside it builds one; a stand-in mvn writes what Debian's Maven writes.
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.copy(Path.of("rrsis4j"), home.resolve("rrsis4j"));
        Files.createDirectories(home.resolve("src/main/sh"));
        Files.copy(Path.of("src/main/sh/drop-libtorch-warnings"), home.resolve("src/main/sh/drop-libtorch-warnings"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\nprintf '\\033[1;31mERROR\\033[m] compilation failed\\n\\033[0m\\033[0m' >&2\n"
                + "printf '\\033[0m\\033[0m'\nexit 1\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder(home.resolve("rrsis4j").toString(), "demo");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().remove("RRSIS4J_JAR");
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("build.txt").toFile());
        int exit = pb.start().waitFor();
        String out = Files.readString(dir.resolve("build.txt"));
        assertEquals(1, exit, out);
        assertEquals(-1, out.indexOf('\u001b'), out);
        org.junit.jupiter.api.Assertions.assertTrue(out.contains("ERROR] compilation failed"), out);
    }

    private record Result(int exit, String stdout, String stderr) {}

    private Result launch(String... args) throws Exception {
        return launch(Path.of("src/test/resources/launcher/stderr.txt").toAbsolutePath(), args);
    }

    private Result launch(Path stderr, String... args) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\ncat '" + stderr + "' >&2\necho 'stdout line'\nexit 3\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        // A jar of its own: the launcher runs it as it is, without building.
        Path jar = Files.writeString(dir.resolve("rrsis4j.jar"), "");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(0));
        List<String> command = new java.util.ArrayList<>(List.of(Path.of("rrsis4j").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("RRSIS4J_JAR", jar.toString());
        pb.redirectError(dir.resolve("err.txt").toFile()).redirectOutput(dir.resolve("out.txt").toFile());
        int exit = pb.start().waitFor();
        // The filter runs beside the program; its last line may follow the program's exit by a moment.
        String err = "";
        for (int i = 0; i < 50 && !(err = Files.readString(dir.resolve("err.txt"))).contains("Main.java:20"); i++) {
            Thread.sleep(20);
        }
        return new Result(exit, Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8), err);
    }
}
