package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rrsis4j.data.Images;
import io.rrsis4j.data.synthetic.SyntheticScene;
import io.rrsis4j.data.synthetic.SyntheticSceneGenerator;
import io.rrsis4j.infer.BtdNetSegmenter;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.weights.ModelCheckpoint;
import io.rrsis4j.model.weights.TrainedModel;
import io.rrsis4j.serve.LoadTest;
import io.rrsis4j.serve.ModelInfo;
import io.rrsis4j.serve.MultipartBody;
import io.rrsis4j.serve.SegmentationServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The server as `serve --checkpoint` runs it: the BTDNet segmenter loaded from a real checkpoint folder. */
class ServeTrainedModelTest {

    /** Saves an untrained micro BTDNet checkpoint folder; returns its parameter count. */
    static long saveMicroCheckpoint(Path checkpoint) throws java.io.IOException {
        BtdNetConfig config = BtdNetConfig.micro();
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNet net = new BtdNet(config);
            net.initialize(m, DataType.FLOAT32);
            ModelCheckpoint.save(checkpoint, net, config.toJson());
            return ModelCheckpoint.toTensors(net).values().stream().mapToLong(t -> t.numel()).sum();
        }
    }

    @Test
    void servesMasksAndModelInformationFromACheckpoint(@TempDir Path dir) throws Exception {
        Path checkpoint = dir.resolve("ckpt");
        long parameters = saveMicroCheckpoint(checkpoint);
        ServeCommand command = new ServeCommand(BtdNetSegmenter::load, ModelInfo::describe);
        new CommandLine(command).parseArgs("--checkpoint", checkpoint.toString(), "--port", "0");
        SyntheticScene scene = new SyntheticSceneGenerator().scene(150, 11);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(scene.image(), "png", png);
        HttpClient http = HttpClient.newHttpClient();
        try (SegmentationServer server = command.start()) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            MultipartBody body = new MultipartBody().file("image", "scene.png", "image/png", png.toByteArray())
                    .field("text", scene.targets().get(0).sentences().get(0));
            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(base.resolve("/api/segment?format=png"))
                    .header("Content-Type", body.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, answer.statusCode());
            BufferedImage mask = ImageIO.read(new ByteArrayInputStream(answer.body()));
            assertEquals(150, mask.getWidth());
            assertEquals(150, mask.getHeight());

            JsonNode model = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(base.resolve("/api/model")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(parameters, model.get("parameterCount").asLong());
            assertEquals(96, model.get("configuration").get("imageSize").asInt());

            LoadTest.Report load = LoadTest.run(base, png.toByteArray(), "image/png", "the red car", 3,
                    Duration.ofSeconds(3), 200);
            assertTrue(load.ok() > 0, load.toString());
            assertEquals(0, load.transportErrors(), load.toString());
            assertTrue(load.nonOkByStatus().keySet().stream().allMatch(s -> s == 429), load.toString());
        }
    }
}
