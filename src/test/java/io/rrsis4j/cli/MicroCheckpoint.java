package io.rrsis4j.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.rrsis4j.model.BtdNet;
import io.rrsis4j.model.BtdNetConfig;
import io.rrsis4j.model.weights.ModelCheckpoint;
import java.nio.file.Path;

/** An untrained micro BTDNet checkpoint: enough for the commands to run end to end. */
final class MicroCheckpoint {
    private MicroCheckpoint() {}

    static Path write(Path folder) {
        BtdNetConfig config = BtdNetConfig.micro();
        try (NDManager m = NDManager.newBaseManager()) {
            BtdNet net = new BtdNet(config);
            net.initialize(m, DataType.FLOAT32);
            ModelCheckpoint.save(folder, net, config.toJson());
        }
        return folder;
    }
}
