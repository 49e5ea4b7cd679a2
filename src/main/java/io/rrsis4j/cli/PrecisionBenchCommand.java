package io.rrsis4j.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.InvalidInputException;
import io.rrsis4j.bench.ModelBenchmark;
import io.rrsis4j.bench.PrecisionComparison;
import io.rrsis4j.data.Datasets;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.ReferringSample;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.runtime.ModelInputs;
import io.rrsis4j.model.runtime.Precision;
import io.rrsis4j.model.runtime.Predictor;
import io.rrsis4j.model.weights.TrainedModel;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rrsis4j bench precision}: the inference forward in float32 and in a lower precision on the same inputs;
 * mask IoU between the two and the largest logit difference.
 */
@Command(name = "precision", mixinStandardHelpOptions = true,
        description = "Compare the fp16 forward with the fp32 one on the same inputs: mask IoU and max logit difference.")
public final class PrecisionBenchCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", description = "Trained model (default: --config with random weights and inputs).")
    Path checkpoint;

    @Option(names = "--config", defaultValue = "micro", description = "Without --checkpoint: micro, tiny, small, base or a config JSON.")
    String configName;

    @Option(names = "--data", description = "With --checkpoint: dataset root whose first --batch samples of --split are the inputs.")
    Path data;

    @Option(names = "--format", defaultValue = "rrsisd", description = "rrsisd, refsegrs or grefs (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--split", defaultValue = "val", description = "Split of --data (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--batch", defaultValue = "2", description = "Inputs compared (default ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    @Option(names = "--json", description = "Append the result to this results file.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new InvalidInputException("--batch must be at least 1");
        }
        if (data != null && checkpoint == null) {
            throw new InvalidInputException("--data needs --checkpoint: a random model's masks on real images say nothing");
        }
        Precision lower = precision.value();
        if (lower == Precision.FP32) {
            throw new InvalidInputException("--precision: give the precision to compare with fp32 (fp16)");
        }
        Device on = device.device();
        try (NDManager manager = NDManager.newBaseManager(on)) {
            BtdNet net;
            NDList inputs;
            String model;
            if (checkpoint != null) {
                Predictor predictor = TrainedModel.predictor(TrainedModel.resolve(checkpoint), manager);
                net = predictor.net();
                model = checkpoint.toString();
                inputs = data != null ? samples(predictor, manager) : new ModelBenchmark(net.config(), batch, on).inputs(manager, false);
            } else {
                BtdNetConfig config = BtdNetConfig.named(configName);
                ModelBenchmark bench = new ModelBenchmark(config, batch, on);
                net = bench.create(manager);
                inputs = bench.inputs(manager, false);
                model = configName + " (random weights, random inputs)";
            }
            PrecisionComparison.Result r = PrecisionComparison.compare(net, inputs, lower);
            System.out.println("model " + model + " on " + on);
            System.out.println(r);
            if (json != null) {
                ObjectNode run = BenchCommand.JSON.createObjectNode();
                run.put("date", Instant.now().toString());
                run.set("machine", BenchCommand.machine());
                run.put("kind", "precision");
                run.put("model", model);
                run.put("device", on.toString());
                run.put("precision", lower.label());
                run.put("pixels", r.pixels());
                run.put("maskIoU", r.maskIoU());
                run.put("pixelAgreement", r.pixelAgreement());
                run.put("maxLogitDifference", r.maxLogitDifference());
                run.put("largestLogit", r.logitScale());
                BenchCommand.appendRun(json, run);
                System.out.println("appended to " + json);
            }
        }
        return 0;
    }

    private NDList samples(Predictor predictor, NDManager manager) {
        List<ReferringSample> all = Datasets.read(data, Datasets.Format.parse(format), split, io.rrsis4j.data.BlankSentences.Policy.SKIP);
        List<BufferedImage> images = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        for (ReferringSample s : all.subList(0, Math.min(batch, all.size()))) {
            images.add(Images.read(s.imagePath()));
            sentences.add(s.sentence());
        }
        if (images.isEmpty()) {
            throw new InvalidInputException(data, "split " + split + " has no samples");
        }
        return ModelInputs.of(manager, images, sentences, predictor.tokenizer(), predictor.inputSize());
    }
}
