package io.rrsis4j.model.weights;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.rrsis4j.io.torch.SafetensorsFile;
import io.rrsis4j.io.torch.TensorData;
import io.rrsis4j.io.torch.TorchCheckpointWriter;
import io.rrsis4j.model.BertConfig;
import io.rrsis4j.model.BertEncoder;
import io.rrsis4j.model.SwinBackbone;
import io.rrsis4j.model.SwinConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Manual measurement (not a unit test): writes a synthetic full-size Swin-B .pth and a BERT-base
 * model.safetensors into a scratch folder, imports each into the real block and prints seconds and peak heap,
 * then deletes the files. Run with e.g. {@code -Xmx3g}; argument: scratch folder (default /tmp).
 *
 * <p>With {@code --torch SWIN.pth BERT_DIR} it times files torch wrote instead (make_torch_fixtures.py --full):
 * describing them as {@code weights inspect} does, and importing them into Swin-B and BERT-base.
 */
public final class WeightImportBenchmark {
    private WeightImportBenchmark() {}

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    /** Sum of the heap pools' peaks since the reset (an upper bound of the true simultaneous peak). */
    private static long peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum >> 20;
    }

    private static long params(Map<String, TensorData> sd) {
        return sd.values().stream().mapToLong(TensorData::numel).sum();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Times describing and importing a torch-written Swin-B .pth and BERT-base folder. */
    private static void torchFiles(Path swinFile, Path bertDir) throws java.io.IOException {
        Path bin = bertDir.resolve("pytorch_model.bin");
        for (Path f : new Path[] {swinFile, bin}) {
            long t = System.nanoTime();
            String report = WeightsReport.describe(f);
            System.out.printf("%s (%d MB): weights inspect %.2f s; %s%n", f.getFileName(), Files.size(f) >> 20,
                    seconds(t), report.lines().filter(l -> l.contains("fits")).findFirst().orElse("?"));
        }
        timeImport("swin-b import (torch-written, window 12)", new SwinBackbone(SwinConfig.base()),
                b -> PretrainedWeights.importSwin(swinFile, b, false));
        timeImport("bert-base import (torch-written pytorch_model.bin)", new BertEncoder(BertConfig.base()),
                b -> PretrainedWeights.importBert(bertDir, b, false));
    }

    private static void timeImport(String what, ai.djl.nn.Block block, java.util.function.Consumer<ai.djl.nn.Block> load) {
        try (NDManager m = NDManager.newBaseManager()) {
            block.initialize(m, DataType.FLOAT32);
            resetPeaks();
            long t = System.nanoTime();
            load.accept(block);
            System.out.printf("%s: %.2f s, peak heap %d MB%n", what, seconds(t), peakHeapMb());
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--torch")) {
            torchFiles(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        Path scratch = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : "/tmp"), "weights-bench");
        Path swinFile = scratch.resolve("swin_base_patch4_window12_384_22kto1k.pth");
        Path bertDir = scratch.resolve("bert-base-uncased");
        try {
            SwinConfig swinB = SwinConfig.base();
            Map<String, TensorData> swinSd = WeightFixtures.swinStateDict(swinB.embedDim(), swinB.depths(),
                    new int[] {4, 8, 16, 32}, swinB.windowSize(), 1000, 1);
            long t0 = System.nanoTime();
            TorchCheckpointWriter.write(swinFile, swinSd, "", true);
            System.out.printf("swin-b: %d tensors, %.1f M values, %d MB file, written in %.1f s%n", swinSd.size(),
                    params(swinSd) / 1e6, Files.size(swinFile) >> 20, (System.nanoTime() - t0) / 1e9);
            swinSd = null;
            try (NDManager m = NDManager.newBaseManager()) {
                SwinBackbone swin = new SwinBackbone(swinB);
                swin.initialize(m, DataType.FLOAT32);
                resetPeaks();
                long t = System.nanoTime();
                PretrainedWeights.importSwin(swinFile, swin, false);
                System.out.printf("swin-b import: %.1f s, peak heap %d MB%n", (System.nanoTime() - t) / 1e9, peakHeapMb());
            }
            Files.delete(swinFile);

            BertConfig base = BertConfig.base();
            Map<String, TensorData> bertSd = WeightFixtures.bertStateDict(base.hiddenSize(), base.numLayers(),
                    base.intermediateSize(), base.vocabSize(), false, 2);
            t0 = System.nanoTime();
            SafetensorsFile.write(bertDir.resolve("model.safetensors"), bertSd, Map.of("format", "pt"));
            System.out.printf("bert-base: %d tensors, %.1f M values, %d MB file, written in %.1f s%n", bertSd.size(),
                    params(bertSd) / 1e6, Files.size(bertDir.resolve("model.safetensors")) >> 20,
                    (System.nanoTime() - t0) / 1e9);
            bertSd = null;
            try (NDManager m = NDManager.newBaseManager()) {
                BertEncoder bert = new BertEncoder(base);
                bert.initialize(m, DataType.FLOAT32);
                resetPeaks();
                long t = System.nanoTime();
                PretrainedWeights.importBert(bertDir, bert, false);
                System.out.printf("bert-base import: %.1f s, peak heap %d MB%n", (System.nanoTime() - t) / 1e9, peakHeapMb());
            }
        } finally {
            try (var files = Files.walk(scratch)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
