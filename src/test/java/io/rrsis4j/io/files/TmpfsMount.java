package io.rrsis4j.io.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real small or read-only disk for fault tests: a tmpfs mounted on a test folder. Mounting needs root (tests run
 * as root here and in CI); where it is not permitted the test is skipped, not failed.
 */
public final class TmpfsMount implements AutoCloseable {
    private final Path dir;

    private TmpfsMount(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs with {@code options} (e.g. "size=256k" or "ro,size=64k") on {@code dir}, or skips the test. */
    public static TmpfsMount mountOrSkip(Path dir, String options) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        boolean mounted = run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()));
        Assumptions.assumeTrue(mounted, "mounting a tmpfs is not permitted here (needs root)");
        return new TmpfsMount(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Changes the size (or other options) in place, keeping the files: "the user freed some space". */
    public void remount(String options) throws IOException, InterruptedException {
        if (!run(List.of("mount", "-o", "remount," + options, dir.toString()))) {
            throw new IOException("cannot remount " + dir + " with " + options);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        // lazy: a file the JVM still maps (a checkpoint read through mmap) would otherwise keep the mount busy
        run(List.of("umount", "-l", dir.toString()));
    }

    private static boolean run(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException noMountCommand) {
            return false;
        }
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
