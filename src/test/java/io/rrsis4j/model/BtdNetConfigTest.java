package io.rrsis4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BtdNetConfigTest {
    @Test
    void baseIsThePapersSetting() {
        BtdNetConfig base = BtdNetConfig.base();
        assertEquals(480, base.imageSize());
        assertEquals(20, base.maxTokens());
        assertArrayEquals(new int[] {128, 256, 512, 1024}, base.stageChannels());
        assertEquals(12, base.swinWindow());
        assertEquals(768, base.bertHidden());
        assertEquals(List.of(8, 8, 16, 16), base.bscHeads());
        assertEquals(256, base.decoderChannels());
        assertEquals(0.5, base.lambdaFg());
        assertEquals(0.5, base.lambdaBg());
        assertEquals(0.1, base.lambdaRe());
        assertEquals(List.of(0.9, 1.1), base.ceClassWeights());
        assertEquals(0.1, base.diceShare());
    }

    @Test
    void jsonRoundTripKeepsEveryField(@TempDir Path dir) throws Exception {
        for (BtdNetConfig c : List.of(BtdNetConfig.base(), BtdNetConfig.tiny(), BtdNetConfig.small(),
                BtdNetConfig.micro().withAblation(false, true, false))) {
            assertEquals(c, BtdNetConfig.fromJson(c.toJson()));
            Path file = dir.resolve("config.json");
            c.write(file);
            assertEquals(c, BtdNetConfig.read(file));
        }
        assertFalse(BtdNetConfig.micro().withAblation(false, true, true).bsc());
    }

    @Test
    void positionsAreOnByDefaultAndOffInConfigurationsWrittenBeforeThem() {
        assertTrue(BtdNetConfig.base().bscPositions());
        assertTrue(BtdNetConfig.micro().bscPositions());
        String json = BtdNetConfig.micro().toJson();
        String older = json.replaceAll(",\\s*\"bscPositions\" : true", "");
        assertFalse(older.contains("bscPositions"), older);
        BtdNetConfig read = BtdNetConfig.fromJson(older);
        assertFalse(read.bscPositions());
        assertEquals(BtdNetConfig.micro().imageSize(), read.imageSize());
    }

    @Test
    void badInputIsRejected(@TempDir Path dir) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> BtdNetConfig.micro().withImageSize(100));
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"imageSize\": ");
        assertThrows(InvalidInputException.class, () -> BtdNetConfig.read(broken));
        assertThrows(InvalidInputException.class, () -> BtdNetConfig.read(dir.resolve("missing.json")));
        String json = BtdNetConfig.micro().toJson().replace("\"bscHeads\" : [ 2, 2, 4, 4 ]", "\"bscHeads\" : [ 2 ]");
        assertThrows(InvalidInputException.class, () -> BtdNetConfig.fromJson(json));
    }
}
