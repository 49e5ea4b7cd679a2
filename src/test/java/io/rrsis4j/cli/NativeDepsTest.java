package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/native-deps.sh, which makes and checks the device package's runtime, on two of this JDK's own libraries
 * (JPEG and colour management, which the device package's runtime failed to load on a GPU machine): as the JDK has
 * them they need libjpeg and lcms2 from the system and the check refuses them; bundled, they need only glibc.
 */
class NativeDepsTest {
    private static final Path SCRIPT = Path.of("scripts/native-deps.sh").toAbsolutePath();

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    @Test
    void jdkLibrariesNeedTheirSystemLibrariesUntilBundled() throws Exception {
        Path jdkLib = Path.of(System.getProperty("java.home"), "lib");
        Path lib = Files.createDirectories(dir.resolve("jre/lib"));
        for (String name : List.of("libjavajpeg.so", "liblcms.so")) {
            Files.copy(jdkLib.resolve(name), lib.resolve(name));
        }
        Run ldd = run("ldd", lib.resolve("libjavajpeg.so").toString());
        assumeTrue(ldd.out().contains("libjpeg.so"), "this JDK bundles libjpeg itself: " + ldd.out());

        // the JDK's own libraries (libjava, libjvm, libawt) are on the search path, as the runtime has them
        String[] check = {SCRIPT.toString(), "check", "--path", lib.toString(), "--path", jdkLib.toString(), "--path",
                jdkLib.resolve("server").toString(), lib.toString()};
        Run before = run(check);
        assertEquals(1, before.code(), before.out());
        assertTrue(before.err().contains("libjavajpeg.so needs libjpeg.so.62: FROM THE SYSTEM"), before.err());
        assertTrue(before.err().contains("liblcms.so needs liblcms2.so.2: FROM THE SYSTEM"), before.err());

        Run bundle = run(SCRIPT.toString(), "bundle", lib.toString(), lib.toString());
        assertEquals(0, bundle.code(), bundle.err());
        assertTrue(Files.isRegularFile(lib.resolve("libjpeg.so.62")) && Files.isRegularFile(lib.resolve("liblcms2.so.2")));
        Run after = run(check);
        assertEquals(0, after.code(), after.out() + after.err());
        assertTrue(after.out().matches("(?s).*libjpeg\\.so\\.62 +ok +" + lib.toRealPath() + "/libjpeg\\.so\\.62.*"), after.out());
        assertTrue(after.err().startsWith("4 shared objects need nothing from the system but glibc"), after.err());
    }

    @Test
    void aLibraryNotFoundIsRefusedUnlessAnotherInstallBringsIt() throws Exception {
        Path jni = dir.resolve("jni");
        Files.createDirectories(jni);
        // a JNI that links to a library this folder does not have, as DJL's cu128 JNI links to libtorch_cuda.so
        Path so = jni.resolve("libneedy.so");
        Path missing = dir.resolve("libabsent.so");
        assertEquals(0, run("cc", "-shared", "-fPIC", "-o", missing.toString(), "-x", "c", "/dev/null").code());
        Run cc = run("cc", "-shared", "-fPIC", "-o", so.toString(), "-x", "c", "/dev/null", "-Wl,--no-as-needed", "-L" + dir,
                "-labsent");
        assumeTrue(cc.code() == 0, "no C compiler: " + cc.err());
        Files.delete(missing);

        Run refused = run(SCRIPT.toString(), "check", jni.toString());
        assertEquals(1, refused.code(), refused.out());
        assertTrue(refused.err().contains("libneedy.so needs libabsent.so: NOT FOUND"), refused.err());
        Run allowed = run(SCRIPT.toString(), "check", "--missing-ok", "^libabsent\\.so$", jni.toString());
        assertEquals(0, allowed.code(), allowed.out() + allowed.err());
    }

    private Run run(String... cmd) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished: " + List.of(cmd));
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
