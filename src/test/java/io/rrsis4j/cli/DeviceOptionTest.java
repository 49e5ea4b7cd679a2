package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.rrsis4j.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --device}: the choice itself, and that every command running the model takes it and says a missing GPU in one line. */
class DeviceOptionTest {
    @Test
    void autoTakesTheGpuOnlyWhenTheEngineHasOne() {
        assertEquals(Device.cpu(), DeviceOption.choose("auto", 0, "PyTorch 2.7.1"));
        assertEquals(Device.gpu(), DeviceOption.choose("auto", 2, "PyTorch 2.7.1"));
        assertEquals(Device.cpu(), DeviceOption.choose("CPU", 2, "PyTorch 2.7.1"));
        assertEquals(Device.gpu(), DeviceOption.choose("gpu", 1, "PyTorch 2.7.1"));
    }

    @Test
    void gpuWithoutOneAndUnknownNamesAreOneLineErrors() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> DeviceOption.choose("gpu", 0, "PyTorch 2.7.1"));
        assertTrue(e.getMessage().startsWith("--device gpu: no CUDA device is usable (PyTorch 2.7.1 from "), e.getMessage());
        assertTrue(e.getMessage().endsWith("see README 'GPU')"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        e = assertThrows(InvalidInputException.class, () -> DeviceOption.choose("tpu", 4, "PyTorch 2.7.1"));
        assertEquals("--device must be gpu, cpu or auto, not tpu", e.getMessage());
    }

    @Test
    void everyCommandThatRunsTheModelRefusesAGpuThisMachineLacks(@TempDir Path dir) {
        // the build's PyTorch is the CPU library: no GPU, whatever the machine has
        assertEquals(0, Engine.getInstance().getGpuCount());
        String absent = dir.resolve("absent").toString();
        List<String[]> commands = new ArrayList<>();
        commands.add(new String[] {"train", "--data", dir.toString(), "--out", absent});
        commands.add(new String[] {"evaluate", "--checkpoint", absent, "--data", absent, "--format", "rrsisd"});
        commands.add(new String[] {"segment", "--checkpoint", absent, "--image", absent, "--text", "the tank", "--out", absent});
        commands.add(new String[] {"serve", "--checkpoint", absent, "--port", "0"});
        commands.add(new String[] {"demo", "--out", absent});
        commands.add(new String[] {"ablate", "--data", dir.toString(), "--out", absent});
        commands.add(new String[] {"bench", "model", "--config", "micro"});
        commands.add(new String[] {"bench", "scene", "--sizes", "64"});
        for (String[] command : commands) {
            String[] args = new String[command.length + 2];
            System.arraycopy(command, 0, args, 0, command.length);
            args[command.length] = "--device";
            args[command.length + 1] = "gpu";
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = withStderr(err, () -> Main.run(args));
            String said = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, code, String.join(" ", args) + ": " + said);
            assertTrue(said.startsWith("error: --device gpu: no CUDA device is usable"), String.join(" ", args) + ": " + said);
            assertEquals(1, said.strip().lines().count(), said);
        }
    }

    @Test
    void autoRunsOnTheCpuHere() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("bench", "model", "--config", "micro", "--no-train", "--iterations", "1", "--warmup", "0",
                    "--matmul-size", "128", "--device", "auto");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("batch 1 on cpu()"), out.toString(StandardCharsets.UTF_8));
    }

    private static int withStderr(ByteArrayOutputStream err, java.util.function.IntSupplier run) {
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return run.getAsInt();
        } finally {
            System.setErr(old);
        }
    }
}
