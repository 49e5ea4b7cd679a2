package io.rrsis4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.model.BtdNetConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelFlopsTest {

    /** Swin-T at 224 with window 7 is 4.5 G multiply-adds in the Swin paper (Table 1). */
    @Test
    void swinTinyAt224MatchesThePublishedCount() {
        BtdNetConfig c = BtdNetConfig.tiny();
        BtdNetConfig swin224 = new BtdNetConfig(224, c.maxTokens(), c.vocabSize(), 96, List.of(2, 2, 6, 2),
                List.of(3, 6, 12, 24), 7, 4.0, 0.2, c.bertHidden(), c.bertLayers(), c.bertHeads(), c.bertIntermediate(),
                c.bscHeads(), c.decoderChannels(), c.contextDilations(), c.reconstructionLayers(), true, true, true,
                0.5, 0.5, 0.1, c.ceClassWeights(), c.diceShare(), true);
        double swin = new ModelFlops(swin224).forwardByComponent().entrySet().stream()
                .filter(e -> e.getKey().startsWith("swin")).mapToDouble(Map.Entry::getValue).sum();
        double macs = swin / 2;
        assertEquals(4.5e9, macs, 0.1e9, "Swin-T 224 multiply-adds " + macs);
    }

    /** BERT-base over 20 tokens: 12 layers of 4 D^2 + 2 D I multiply-adds per token, plus attention. */
    @Test
    void bertBaseCountsEveryLayer() {
        double bert = new ModelFlops(BtdNetConfig.base()).forwardByComponent().get("bert (12 layers)");
        double perToken = 12 * (4.0 * 768 * 768 + 2.0 * 768 * 3072);
        double attention = 12 * 2.0 * 20 * 20 * 768;
        assertEquals(2 * (20 * perToken + attention), bert, 1e3);
    }

    @Test
    void baseIsHeavierThanTinyAndTrainingCountsTheErasedPass() {
        ModelFlops tiny = new ModelFlops(BtdNetConfig.tiny());
        ModelFlops base = new ModelFlops(BtdNetConfig.base());
        assertTrue(base.forwardTotal() > 1.5 * tiny.forwardTotal());
        assertTrue(tiny.trainingStepTotal() > 3 * tiny.forwardTotal());
        assertTrue(tiny.erasedPassTotal() < tiny.forwardTotal());
        // the stage-4 map of base at 480 is 15 x 15, padded to 24 x 24 windows of 12: attention runs over 576 tokens,
        // the projections over the 225 real ones
        double stage4 = base.forwardByComponent().get("swin stage4 (2 blocks, 15x15)");
        double c = 1024;
        double expected = 2 * (2 * 225 * c * 3 * c + 2 * 2 * 576 * 144 * c + 2 * 225 * c * c + 2 * 2 * 225 * c * 4 * c);
        assertEquals(expected, stage4, 1e3);
    }
}
