package io.rrsis4j.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.bench.DataBenchmark;
import io.rrsis4j.bench.ForwardProfile;
import io.rrsis4j.bench.MatmulRate;
import io.rrsis4j.bench.ModelBenchmark;
import io.rrsis4j.bench.ModelFlops;
import io.rrsis4j.bench.PeakMemory;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.data.synthetic.SyntheticDatasets;
import io.rrsis4j.data.text.WordPieceTokenizer;
import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.runtime.DeviceMemory;
import io.rrsis4j.model.runtime.NativeThreads;
import io.rrsis4j.model.runtime.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rrsis4j bench}: speed of the model and of the input pipeline on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: model speed (bench model), data loading speed (bench data), large scenes (bench scene),"
                + " float16 against float32 (bench precision), Spark rows/s (bench spark),"
                + " the presence head against the paper's model (bench generalized).",
        subcommands = {BenchCommand.ModelBench.class, BenchCommand.DataBench.class, SceneBenchCommand.class,
                PrecisionBenchCommand.class, GeneralizedBenchCommand.class})
public final class BenchCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() {
        System.out.println("usage: rrsis4j bench model|data|scene|precision [options]  (rrsis4j bench model --help)");
        return 2;
    }

    static ObjectNode machine() {
        ObjectNode m = JSON.createObjectNode();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", cpuModel());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.version"));
        m.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        String libtorch = System.getenv("PYTORCH_LIBRARY_PATH"); // set by the launcher's --torch
        m.put("libtorch", libtorch == null || libtorch.isEmpty() ? "bundled CPU library" : libtorch);
        m.put("gpus", Engine.getInstance().getGpuCount());
        m.put("loadAverage", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return m;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
        return System.getProperty("os.arch");
    }

    /** Adds the run to OUT's "runs" list (keeping earlier runs), written atomically. */
    static void appendRun(Path out, ObjectNode run) throws IOException {
        ObjectNode root;
        if (Files.isRegularFile(out)) {
            JsonNode old;
            try {
                old = JSON.readTree(out.toFile());
            } catch (IOException e) {
                throw new InvalidInputException(out, "not a benchmark results file: " + e.getMessage(), e);
            }
            if (!(old instanceof ObjectNode o) || !(o.get("runs") instanceof ArrayNode)) {
                throw new InvalidInputException(out, "not a benchmark results file (no \"runs\" list)");
            }
            root = o;
        } else {
            root = JSON.createObjectNode();
            root.putArray("runs");
        }
        ((ArrayNode) root.get("runs")).add(run);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.write(out, JSON.writeValueAsBytes(root));
    }

    static double mib(long bytes) {
        return bytes < 0 ? -1 : bytes / (1024.0 * 1024.0);
    }

    @Command(name = "model", mixinStandardHelpOptions = true,
            description = "Forward and training-step images/s of BTDNet at its input size, FLOPs per component, "
                    + "peak memory and the machine's own matmul rate.")
    public static final class ModelBench implements Callable<Integer> {
        @Option(names = "--config", defaultValue = "tiny", description = "micro, tiny, small, base or a config JSON.")
        String configName;

        @Option(names = "--batch", defaultValue = "1")
        int batch;

        @Mixin
        DeviceOption deviceOption = new DeviceOption();

        @Mixin
        PrecisionOption precisionOption = new PrecisionOption();

        @Option(names = "--iterations", defaultValue = "3", description = "Timed iterations of each measurement.")
        int iterations;

        @Option(names = "--warmup", defaultValue = "1", description = "Untimed iterations first.")
        int warmup;

        @Option(names = "--train", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Also time training steps (--no-train to skip).")
        boolean train;

        @Option(names = "--profile", description = "Also time each component of the forward.")
        boolean profile;

        @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0 = engine default).")
        int threads;

        @Option(names = "--matmul-size", defaultValue = "2048")
        int matmulSize;

        @Option(names = "--json", description = "Append the run to this results file.")
        Path json;

        @Option(names = "--label", defaultValue = "", description = "A note stored with the run (e.g. the code version).")
        String label;

        @Override
        public Integer call() throws Exception {
            if (batch < 1 || iterations < 1 || warmup < 0) {
                throw new InvalidInputException("--batch and --iterations must be >= 1, --warmup >= 0");
            }
            NativeThreads.set(threads);
            BtdNetConfig config = BtdNetConfig.named(configName);
            Device device = deviceOption.device();
            Precision precision = precisionOption.value(device);
            ModelFlops flops = new ModelFlops(config);
            ObjectNode run = JSON.createObjectNode();
            run.put("date", Instant.now().toString());
            run.set("machine", machine());
            run.put("label", label);
            run.put("ompWaitPolicy", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
            run.put("config", configName);
            run.put("imageSize", config.imageSize());
            run.put("tokens", config.maxTokens());
            run.put("batch", batch);
            run.put("device", device.toString());
            run.put("precision", precision.label()); // of the forward; training steps run in float32
            run.put("threads", Engine.getInstance().getEngineName().equals("PyTorch")
                    ? Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors())
                    : -1);

            if (System.getenv("OMP_WAIT_POLICY") == null) {
                System.out.println("note: OMP_WAIT_POLICY is not set; on shared cores OpenMP spin-waiting slows every op "
                        + "(the rrsis4j launcher sets PASSIVE)");
            }
            System.out.printf("BTDNet %s at %d x %d, %d tokens, batch %d on %s, forward in %s%n", configName,
                    config.imageSize(), config.imageSize(), config.maxTokens(), batch, device, precision.label());
            System.out.println("FLOPs per image (matrix products and convolutions, 1 multiply-add = 2):");
            ObjectNode byComponent = run.putObject("forwardGflopsByComponent");
            for (Map.Entry<String, Double> e : flops.forwardByComponent().entrySet()) {
                System.out.printf("  %-36s %9.3f GFLOP  %5.1f%%%n", e.getKey(), e.getValue() / 1e9,
                        100 * e.getValue() / flops.forwardTotal());
                byComponent.put(e.getKey(), e.getValue() / 1e9);
            }
            System.out.printf("  %-36s %9.3f GFLOP%n", "forward total", flops.forwardTotal() / 1e9);
            for (Map.Entry<String, Double> e : flops.erasedPassByComponent().entrySet()) {
                System.out.printf("  %-36s %9.3f GFLOP  (training only)%n", e.getKey(), e.getValue() / 1e9);
            }
            System.out.printf("  %-36s %9.3f GFLOP  (3 x forward with erased pass)%n", "training step total",
                    flops.trainingStepTotal() / 1e9);
            run.put("forwardGflopsPerImage", flops.forwardTotal() / 1e9);
            run.put("trainingStepGflopsPerImage", flops.trainingStepTotal() / 1e9);

            try (NDManager manager = NDManager.newBaseManager(device)) {
                double matmul = MatmulRate.measure(manager, device, matmulSize, 5);
                System.out.printf("matmul %d x %d float32 (best of 5): %.1f GFLOP/s%n", matmulSize, matmulSize, matmul);
                run.put("matmulGflops", matmul);
                ModelBenchmark bench = new ModelBenchmark(config, batch, device, precision);
                BtdNet net = bench.create(manager);
                PeakMemory.resetHeapPeak();
                long deviceBefore = DeviceMemory.usedBytes(device); // the weights and the matmul's leftovers
                ModelBenchmark.Timing fwd;
                long devicePeak;
                try (DeviceMemory.Sampler sampler = new DeviceMemory.Sampler(device, 5)) {
                    fwd = bench.forward(net, manager, warmup, iterations);
                    devicePeak = sampler.peakBytes();
                }
                report(run.putObject("forward"), "forward", fwd, flops.forwardTotal(), matmul);
                run.with("forward").put("heapPeakMiB", mib(PeakMemory.heapPeakBytes()));
                run.with("forward").put("rssPeakMiB", mib(PeakMemory.residentPeakBytes()));
                run.with("forward").put("devicePeakMiB", mib(devicePeak));
                run.with("forward").put("deviceBeforeMiB", mib(deviceBefore));
                if (profile) {
                    try (NDManager data = manager.newSubManager(device)) {
                        NDList in = bench.inputs(data, false);
                        Map<String, Double> parts = ForwardProfile.run(net, in, iterations);
                        double sum = parts.values().stream().mapToDouble(Double::doubleValue).sum();
                        System.out.println("forward time per component (mean of " + iterations + "):");
                        ObjectNode p = run.putObject("forwardProfileSeconds");
                        parts.forEach((k, v) -> {
                            System.out.printf("  %-28s %8.3f s  %5.1f%%%n", k, v, 100 * v / sum);
                            p.put(k, v);
                        });
                    }
                }
                // the machine may be shared: the matmul ceiling is measured again after the forward runs and the
                // better figure kept, so the fraction is not flattered by one slow matmul measurement
                double again = MatmulRate.measure(manager, device, matmulSize, 5);
                if (again > matmul) {
                    matmul = again;
                    run.put("matmulGflops", matmul);
                    System.out.printf("matmul again after the forward runs: %.1f GFLOP/s (kept)%n", matmul);
                    run.with("forward").put("fractionOfMatmul",
                            run.with("forward").get("achievedGflops").asDouble() / matmul);
                }
                if (train) {
                    PeakMemory.resetHeapPeak();
                    ModelBenchmark.Timing step;
                    long trainingPeak;
                    try (DeviceMemory.Sampler sampler = new DeviceMemory.Sampler(device, 5)) {
                        step = bench.trainingStep(net, manager, warmup, iterations);
                        trainingPeak = sampler.peakBytes();
                    }
                    report(run.putObject("training"), "training step", step, flops.trainingStepTotal(), matmul);
                    run.with("training").put("heapPeakMiB", mib(PeakMemory.heapPeakBytes()));
                    run.with("training").put("rssPeakMiB", mib(PeakMemory.residentPeakBytes()));
                    run.with("training").put("devicePeakMiB", mib(trainingPeak));
                }
                System.out.printf("peak memory: JVM heap %.0f MiB, process RSS (VmHWM, incl. native tensors) %.0f MiB%n",
                        mib(PeakMemory.heapPeakBytes()), mib(PeakMemory.residentPeakBytes()));
                summary(run, device, precision, devicePeak, deviceBefore);
            }
            if (json != null) {
                appendRun(json, run);
                System.out.println("appended to " + json);
            }
            return 0;
        }

        /** One line with everything a GPU measurement reports, the same on the CPU (where device memory is n/a). */
        private void summary(ObjectNode run, Device device, Precision precision, long devicePeak, long deviceBefore) {
            ObjectNode f = run.with("forward");
            String deviceMemory = devicePeak < 0 && device.isGpu()
                    ? "n/a (DJL's CudaUtils found no CUDA runtime library to ask)"
                    : devicePeak < 0 ? "n/a on the CPU (see RSS)"
                    : String.format(Locale.ROOT, "%.0f MiB (%.0f MiB before the forward runs; sampled every 5 ms,"
                            + " whole device)", mib(devicePeak), mib(deviceBefore));
            System.out.printf(Locale.ROOT, "summary: device %s, precision %s, batch %d, forward %.3f images/s, %.1f GFLOP/s"
                            + " = %.1f%% of matmul (%.1f GFLOP/s), peak device memory %s, peak RSS %.0f MiB%n",
                    device, precision.label(), batch, f.get("imagesPerSecond").asDouble(),
                    f.get("achievedGflops").asDouble(), 100 * f.get("fractionOfMatmul").asDouble(),
                    run.get("matmulGflops").asDouble(), deviceMemory, f.get("rssPeakMiB").asDouble());
        }

        private void report(ObjectNode node, String what, ModelBenchmark.Timing t, double flopsPerImage, double matmul) {
            double imagesPerSecond = batch / t.best();
            double gflops = flopsPerImage * imagesPerSecond / 1e9;
            node.put("secondsPerIterationBest", t.best());
            node.put("secondsPerIterationMean", t.mean());
            ArrayNode all = node.putArray("secondsPerIteration");
            t.seconds().forEach(all::add);
            node.put("imagesPerSecond", imagesPerSecond);
            node.put("achievedGflops", gflops);
            node.put("fractionOfMatmul", gflops / matmul);
            System.out.printf("%-14s %8.3f s/iter best (mean %.3f)  %8.3f images/s  %7.1f GFLOP/s  %5.1f%% of matmul%n",
                    what, t.best(), t.mean(), imagesPerSecond, gflops, 100 * gflops / matmul);
        }
    }

    @Command(name = "data", mixinStandardHelpOptions = true,
            description = "Samples/s of reading, decoding, transforming and batching with background threads.")
    public static final class DataBench implements Callable<Integer> {
        @Option(names = "--data", description = "Dataset root (default: a synthetic set in a temp folder).")
        Path data;

        @Option(names = "--format", defaultValue = "rrsisd", description = "rrsisd, refsegrs or grefs.")
        String format;

        @Option(names = "--split", defaultValue = "train")
        String split;

        @Option(names = "--config", defaultValue = "tiny", description = "Gives the input size and the model to compare with.")
        String configName;

        @Option(names = "--batch", defaultValue = "2")
        int batch;

        @Option(names = "--threads", defaultValue = "2", description = "Background loader threads.")
        int threads;

        @Option(names = "--batches", defaultValue = "20", description = "Batches to load.")
        int batches;

        @Option(names = "--model-json", description = "Results file of bench model to compare with (its training "
                + "images/s for the same config and batch); without it a short training run is timed.")
        Path modelJson;

        @Option(names = "--json", description = "Append the run to this results file.")
        Path json;

        @Override
        public Integer call() throws Exception {
            if (batch < 1 || threads < 1 || batches < 1) {
                throw new InvalidInputException("--batch, --threads and --batches must be >= 1");
            }
            BtdNetConfig config = BtdNetConfig.named(configName);
            Datasets.Format f = Datasets.Format.parse(format);
            Path root = data;
            Path temp = null;
            if (root == null) {
                temp = Files.createTempDirectory("rrsis4j-bench-data");
                root = temp;
                SyntheticDatasets.write(root, f, 40, 800, 3);
                System.out.println("generated 40 synthetic 800 x 800 scenes in " + root);
            }
            try {
                java.util.List<ReferringSample> samples = Datasets.readSplit(root, f, split, io.rrsis4j.data.BlankSentences.Policy.SKIP);
                WordPieceTokenizer tokenizer = WordPieceTokenizer.bundled(config.maxTokens());
                DataBenchmark bench = new DataBenchmark(samples, tokenizer, config.imageSize(), batch, threads);
                double rate;
                try (NDManager manager = NDManager.newBaseManager()) {
                    bench.samplesPerSecond(manager, Math.min(2, batches)); // warm-up: class loading, JIT
                    rate = bench.samplesPerSecond(manager, batches);
                }
                double train = trainingRate(config);
                System.out.printf("data %s (%d samples in %s) at %d x %d, batch %d, %d loader threads: %.2f samples/s%n",
                        f.name().toLowerCase(Locale.ROOT), samples.size(), split, config.imageSize(), config.imageSize(),
                        batch, threads, rate);
                System.out.printf("model %s training step, batch %d: %.3f images/s -> loading is %.0fx faster than "
                        + "training needs%n", configName, batch, train, rate / train);
                if (json != null) {
                    ObjectNode run = JSON.createObjectNode();
                    run.put("date", Instant.now().toString());
                    run.set("machine", machine());
                    run.put("kind", "data");
                    run.put("format", f.name().toLowerCase(Locale.ROOT));
                    run.put("synthetic", data == null);
                    run.put("config", configName);
                    run.put("imageSize", config.imageSize());
                    run.put("batch", batch);
                    run.put("threads", threads);
                    run.put("samplesPerSecond", rate);
                    run.put("modelTrainingImagesPerSecond", train);
                    appendRun(json, run);
                }
            } finally {
                if (temp != null) {
                    AtomicFiles.deleteTree(temp);
                }
            }
            return 0;
        }

        private double trainingRate(BtdNetConfig config) throws IOException {
            if (modelJson != null) {
                JsonNode root;
                try {
                    root = JSON.readTree(modelJson.toFile());
                } catch (IOException e) {
                    throw new InvalidInputException(modelJson, "not a benchmark results file: " + e.getMessage(), e);
                }
                double best = -1;
                for (JsonNode run : root.path("runs")) {
                    if (configName.equals(run.path("config").asText()) && run.has("training")) {
                        best = Math.max(best, run.path("training").path("imagesPerSecond").asDouble());
                    }
                }
                if (best > 0) {
                    return best;
                }
                throw new InvalidInputException(modelJson, "no training run of config " + configName);
            }
            try (NDManager manager = NDManager.newBaseManager()) {
                ModelBenchmark m = new ModelBenchmark(config, batch, Device.cpu());
                BtdNet net = m.create(manager);
                return batch / m.trainingStep(net, manager, 1, 1).best();
            }
        }
    }
}
