package io.rrsis4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientsTest {

    /** loss = sum(w * x): its gradient is x, so a step that did not zero would show 2x, 3x, ... */
    @Test
    void eachStepSeesItsOwnGradientAndLeavesNoHandlesBehind() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            w.setArray(m.create(new float[] {1f, -2f, 0.5f}, new Shape(3)));
            w.getArray().setRequiresGradient(true);
            int afterFirst = -1;
            for (int step = 0; step < 50; step++) {
                try (NDManager sm = m.newSubManager()) {
                    float[] x = {step, 1f, -step};
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        Gradients.zero(List.of(w));
                        gc.backward(sm.create(x).mul(w.getArray()).sum()); // x first: the results belong to sm
                    }
                    try (NDArray g = w.getArray().getGradient()) {
                        assertArrayEquals(x, g.toFloatArray(), 0f, "gradient of step " + step);
                    }
                }
                if (step == 0) {
                    afterFirst = m.getManagedArrays().size();
                }
            }
            // DJL's GradientCollector.zeroGradients() leaves two handles per parameter per step here: 98 more
            assertEquals(afterFirst, m.getManagedArrays().size(), "arrays kept by the parameters' manager");
        }
    }

    @Test
    void aParameterBeforeItsFirstBackwardPassAndAFrozenOneAreLeftAsTheyAre() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter fresh = Parameter.builder().setName("fresh").setType(Parameter.Type.WEIGHT).build();
            Parameter frozen = Parameter.builder().setName("frozen").setType(Parameter.Type.WEIGHT).build();
            fresh.setArray(m.create(new float[] {1f, 2f}));
            fresh.getArray().setRequiresGradient(true);
            frozen.setArray(m.create(new float[] {3f, 4f}));
            int before = m.getManagedArrays().size();
            Gradients.zero(List.of(fresh, frozen));
            assertArrayEquals(new float[] {1f, 2f}, fresh.getArray().toFloatArray());
            assertArrayEquals(new float[] {3f, 4f}, frozen.getArray().toFloatArray());
            assertEquals(before, m.getManagedArrays().size());
        }
    }
}
