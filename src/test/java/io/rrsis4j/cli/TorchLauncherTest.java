package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's {@code --torch DIR}: which PyTorch libraries and JNI DJL is pointed at, and the one-line refusal,
 * before any Java starts, of a torch whose ABI the available JNI was not built for. Torch folders are laid out as
 * pip installs them (version.py, lib/libtorch.so); the real Debian python3-torch is used where it is installed.
 */
class TorchLauncherTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    @Test
    void aTorchOtherThanTheJarsJniIsRefusedInOneLineBeforeJavaStarts() throws Exception {
        Path torch = torch("torch", "2.11.0+cu128", "'12.8'");
        // the launcher would build the jar first if it got that far; a refusal must come before, and fast
        Run r = run(List.of(ROOT.resolve("rrsis4j").toString(), "--torch", torch.toString(), "bench", "model"));
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: --torch " + torch + ": torch 2.11.0+cu128 (cu128) needs a DJL 0.36.0 JNI"
                + " built for it at " + dir.resolve("cache/pytorch/2.11.0-cu128-linux-x86_64/0.36.0-libdjl_torch.so")),
                r.err());
        assertTrue(r.err().contains("README 'GPU'"), r.err());
    }

    @Test
    void theEnvironmentVariableWorksAsTheOption() throws Exception {
        Path torch = torch("torch", "2.5.1+cu124", "'12.4'");
        Run r = run(List.of(ROOT.resolve("rrsis4j").toString(), "train", "--help"), Map.of("RRSIS4J_TORCH", torch.toString()));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: --torch " + torch + ": torch 2.5.1+cu124 (cu124) needs a DJL 0.36.0 JNI"), r.err());
    }

    @Test
    void debiansTorchIsRefusedTooWhenInstalled() throws Exception {
        Path debian = Path.of("/usr/lib/python3/dist-packages/torch");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(debian.resolve("version.py")),
                "python3-torch is not installed");
        Run r = run(List.of(ROOT.resolve("rrsis4j").toString(), "--torch=" + debian, "demo"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().matches("error: --torch \\S+: torch 1\\.\\S+ \\(cpu\\) needs a DJL 0\\.36\\.0 JNI built for it at \\S+"
                + "/pytorch/1\\.\\d+\\.\\d+-cpu-linux-x86_64/0\\.36\\.0-libdjl_torch\\.so .*\\R?"), r.err());
    }

    @Test
    void theJarsTorchVersionUsesItsJniWithTheFlavourFromTheVersion() throws Exception {
        Map<String, String> cu = env(torch("cu", "2.7.1+cu128", "'12.8'"));
        assertEquals(dir.resolve("cu/lib").toString(), cu.get("PYTORCH_LIBRARY_PATH"));
        assertEquals("2.7.1", cu.get("PYTORCH_VERSION"));
        assertEquals("cu128", cu.get("PYTORCH_FLAVOR"));
        Map<String, String> cpu = env(torch("cpu", "2.7.1+cpu", "None"));
        assertEquals("cpu", cpu.get("PYTORCH_FLAVOR"));
    }

    @Test
    void aTorchWithoutSuffixTakesItsFlavourFromItsCudaVersionAndRunsOnceAJniIsBuiltForIt() throws Exception {
        // PyPI's torch 2.7.1 wheel: no "+cu126" in the version, CUDA 12.6; the jar's JNI covers cu128 only
        Path torch = torch("pypi", "2.7.1", "'12.6'");
        Run refused = source(torch);
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("torch 2.7.1 (cu126) needs a DJL 0.36.0 JNI"), refused.err());
        Path jni = dir.resolve("cache/pytorch/2.7.1-cu126-linux-x86_64/0.36.0-libdjl_torch.so");
        Files.createDirectories(jni.getParent());
        Files.writeString(jni, "a JNI built for this torch");
        Map<String, String> env = env(torch);
        assertEquals("cu126", env.get("PYTORCH_FLAVOR"));
        assertEquals("2.7.1", env.get("PYTORCH_VERSION"));
    }

    @Test
    void foldersThatAreNoTorchInstallAreOneLineErrors() throws Exception {
        Run empty = source(Files.createDirectories(dir.resolve("empty")));
        assertEquals(2, empty.code());
        assertTrue(empty.err().startsWith("error: --torch " + dir.resolve("empty") + ": no version.py here"), empty.err());
        Path noLib = dir.resolve("nolib");
        Files.createDirectories(noLib);
        Files.writeString(noLib.resolve("version.py"), "__version__ = '2.7.1'\n");
        assertTrue(source(noLib).err().contains("no lib/libtorch.so here"));
        Path rocm = torch("rocm", "2.7.1+rocm6.3", "None");
        assertTrue(source(rocm).err().contains("is a ROCm build"), source(rocm).err());
    }

    @Test
    void aTorchFolderWithTheJarsVersionRunsTheModelOnItsOwnLibraries() throws Exception {
        // the libtorch 2.7.1 this JVM runs on, laid out as a pip torch folder; a child JVM is pointed at it
        ai.djl.engine.Engine.getInstance();
        Path libtorch = Path.of(ai.djl.pytorch.jni.LibUtils.getLibtorchPath());
        Path torch = dir.resolve("site-packages/torch");
        Files.createDirectories(torch.resolve("lib"));
        try (var libs = Files.list(libtorch)) {
            for (Path lib : libs.filter(p -> p.getFileName().toString().contains(".so")
                    && !p.getFileName().toString().contains("djl_torch")).toList()) {
                Files.createSymbolicLink(torch.resolve("lib").resolve(lib.getFileName()), lib);
            }
        }
        Files.writeString(torch.resolve("version.py"), "__version__ = '2.7.1+cpu'\ncuda: Optional[str] = None\n");
        Run r = run(List.of("bash", "-c", ". \"$0\" && rrsis4j_torch_env \"$1\" && exec java -Xmx1g -Dai.djl.offline=true"
                + " -cp \"$2\" io.rrsis4j.cli.Main bench model --config micro --no-train --iterations 1 --warmup 0"
                + " --matmul-size 64 --device auto", ROOT.resolve("scripts/torch-env.sh").toString(), torch.toString(),
                System.getProperty("java.class.path")));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("batch 1 on cpu()"), r.out());
        // DJL took the JNI from its jar into the cache under the folder's version and flavour, and never unpacked
        // the bundled libtorch
        assertTrue(Files.isRegularFile(dir.resolve("cache/pytorch/2.7.1-cpu-linux-x86_64/0.36.0-libdjl_torch.so")));
        try (var cached = Files.list(dir.resolve("cache/pytorch"))) {
            assertEquals(List.of("2.7.1-cpu-linux-x86_64"), cached.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void theLaunchersVersionsAreThePoms() throws Exception {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String env = Files.readString(ROOT.resolve("scripts/torch-env.sh"));
        assertEquals(property(pom, "<djl.version>([^<]+)<"), property(env, "RRSIS4J_DJL_VERSION=(\\S+)"));
        assertEquals(property(pom, "<pytorch.version>([^<]+)<"), property(env, "RRSIS4J_JNI_TORCH=(\\S+)"));
    }

    private static String property(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex);
        return m.group(1);
    }

    /** A torch folder as pip lays it out: version.py as torch writes it, and lib/libtorch.so. */
    private Path torch(String name, String version, String cuda) throws IOException {
        Path torch = dir.resolve(name);
        Files.createDirectories(torch.resolve("lib"));
        Files.writeString(torch.resolve("version.py"), "from typing import Optional\n\n__all__ = ['__version__', 'debug', 'cuda', 'git_version', 'hip']\n"
                + "__version__ = '" + version + "'\ndebug = False\ncuda: Optional[str] = " + cuda
                + "\ngit_version = '5e1b0c5'\nhip: Optional[str] = None\nxpu: Optional[str] = None\n");
        Files.writeString(torch.resolve("lib/libtorch.so"), "");
        return torch;
    }

    private Run source(Path torch) throws Exception {
        return run(List.of("bash", "-c", ". \"$0\" && rrsis4j_torch_env \"$1\" && env | grep '^PYTORCH_'",
                ROOT.resolve("scripts/torch-env.sh").toString(), torch.toString()));
    }

    private Map<String, String> env(Path torch) throws Exception {
        Run r = source(torch);
        assertEquals(0, r.code(), r.err());
        Map<String, String> env = new java.util.HashMap<>();
        r.out().lines().forEach(l -> env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return env;
    }

    private Run run(List<String> command) throws Exception {
        return run(command, Map.of());
    }

    private Run run(List<String> command, Map<String, String> extraEnv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PYTORCH_") || k.equals("RRSIS4J_TORCH") || k.equals("ENGINE_CACHE_DIR"));
        env.put("DJL_CACHE_DIR", dir.resolve("cache").toString());
        env.putAll(extraEnv);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        return new Run(p.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
