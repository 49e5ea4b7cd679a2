package io.rrsis4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rrsis4j.data.TargetKind;
import io.rrsis4j.eval.Evaluator;
import io.rrsis4j.eval.GeneralizedMetrics;
import io.rrsis4j.eval.SegmentationMetrics;
import org.junit.jupiter.api.Test;

/** evaluate's JSON: GRES's keys at the top level (percent) only when the split has no-target or multi-target samples. */
class EvaluateGresJsonTest {
    @Test
    void generalizedSplitsGetGresKeysBesideTheClassicTable() {
        GeneralizedMetrics gres = new GeneralizedMetrics();
        SegmentationMetrics classic = new SegmentationMetrics();
        gres.add(TargetKind.SINGLE, 3, 4, 4); // IoU 0.75
        classic.add(3, 4);
        gres.add(TargetKind.NONE, 0, 0, 0); // right: IoU 1
        classic.add(0, 0);
        ObjectNode json = EvaluateCommand.reportNode(classic.report(), gres.report(), "testA", Evaluator.Resolution.MODEL);
        assertEquals(87.5, json.get("gIoU").asDouble(), 1e-9);
        assertEquals(75.0, json.get("cIoU").asDouble(), 1e-9);
        assertEquals(100.0, json.get("N_acc").asDouble(), 1e-9);
        assertEquals(100.0, json.get("T_acc").asDouble(), 1e-9);
        assertEquals(37.5, json.get("mIoU").asDouble(), 1e-9); // the classic table is as before: 0 for an empty union
        assertEquals(1, json.get("gres").get("none").get("samples").asInt());
        assertTrue(json.get("gres").get("none").get("T_acc").isNull(), "no target samples among the no-target ones");
        assertEquals(100.0, json.get("gres").get("single").get("Pr@0.7").asDouble(), 1e-9);
    }

    @Test
    void classicSplitsKeepTheirJsonAsItWas() {
        GeneralizedMetrics gres = new GeneralizedMetrics();
        SegmentationMetrics classic = new SegmentationMetrics();
        gres.add(TargetKind.SINGLE, 3, 4, 4);
        classic.add(3, 4);
        ObjectNode json = EvaluateCommand.reportNode(classic.report(), gres.report(), "test", Evaluator.Resolution.MODEL);
        assertEquals(EvaluateCommand.reportNode(classic.report(), "test", Evaluator.Resolution.MODEL), json);
        assertFalse(json.has("gIoU"));
    }
}
