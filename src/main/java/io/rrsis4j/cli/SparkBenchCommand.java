package io.rrsis4j.cli;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.bench.SparkBenchmark;
import io.rrsis4j.io.files.AtomicFiles;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.weights.ModelCheckpoint;
import io.rrsis4j.spark.StandaloneCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rrsis4j bench spark}: rows/s of spark segment with 1 and 2 executor threads next to segment --list. */
@Command(name = "spark", mixinStandardHelpOptions = true,
        description = "Rows/s of spark segment in local[1] and local[2] (and, with --standalone, on a standalone cluster of this machine with 1 and 2 executors) next to segment --list on one JVM with 1 and 2 native threads (same rows).")
public final class SparkBenchCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", description = "Model to run (default: a randomly initialised micro BTDNet: speed only).")
    Path checkpoint;

    @Option(names = "--rows", defaultValue = "200", description = "(image, sentence) rows (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--size", defaultValue = "64", description = "Image side in pixels (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--batch", defaultValue = "4", description = "Rows per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--standalone", description = "Also run on a Spark standalone cluster started on this machine: a Master and 2 Workers, each its own JVM, executors of 1 core; 1 and 2 executors.")
    boolean standalone;

    @Option(names = "--executor-memory", defaultValue = "1g", description = "Heap of each standalone executor, and the memory each Worker offers (default ${DEFAULT-VALUE}; the base model needs about 3g).")
    String executorMemory;

    @Option(names = "--config", defaultValue = "micro", description = "Size of the random model when no --checkpoint is given: micro (default), tiny, small or base (about 1 GB of weights).")
    String config;

    @Option(names = "--work", description = "Folder for the rows and outputs (default: a temporary folder, deleted after).")
    Path work;

    @Override
    public Integer call() throws Exception {
        if (rows < 1 || size < 16 || batch < 1) {
            throw new InvalidInputException("--rows and --batch must be at least 1, --size at least 16");
        }
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("rrsis4j-spark-bench");
        try {
            Path model = checkpoint;
            if (model == null) {
                model = dir.resolve(config + "-random");
                ModelCheckpoint.saveUntrained(model, BtdNetConfig.named(config));
            }
            SparkBenchmark.writeRows(dir, rows, size, size, 7);
            System.out.printf("%d rows of %d x %d px, batch %d, model %s, %d cores%n", rows, size, size, batch,
                    checkpoint != null ? checkpoint : config + " (random weights)", Runtime.getRuntime().availableProcessors());
            for (int threads : new int[] {1, 2}) {
                System.out.println(SparkBenchmark.list(dir, model, rows, batch, threads));
            }
            for (int threads : new int[] {1, 2}) {
                System.out.println(SparkBenchmark.spark(dir, model, threads, batch));
            }
            if (standalone) {
                try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, 1, executorMemory)) {
                    for (int executors : new int[] {1, 2}) {
                        System.out.println(SparkBenchmark.standalone(dir, model, cluster.masterUrl(), executors,
                                executorMemory, batch));
                    }
                }
            }
        } finally {
            if (work == null) {
                AtomicFiles.deleteTree(dir);
            }
        }
        return 0;
    }
}
