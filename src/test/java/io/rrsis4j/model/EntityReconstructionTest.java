package io.rrsis4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class EntityReconstructionTest {
    @Test
    void logitsOverTheVocabularyReadTheImageAndTheTiedEmbeddings() {
        try (NDManager m = NDManager.newBaseManager()) {
            EntityReconstruction head = BlockTesting.init(new EntityReconstruction(40, 16, 2, 32, 2, 50), m,
                    new Shape(2, 5, 16), new Shape(2, 40, 3, 3), new Shape(50, 16));
            NDArray words = m.randomNormal(new Shape(2, 5, 16));
            NDArray visual = m.randomNormal(new Shape(2, 40, 3, 3));
            NDArray embedding = m.randomNormal(new Shape(50, 16));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray logits = head.forward(ps, new NDList(words, visual, embedding), false).singletonOrThrow();
            assertEquals(new Shape(2, 5, 50), logits.getShape());
            NDArray otherImage = head.forward(ps, new NDList(words, visual.mul(-1), embedding), false).singletonOrThrow();
            assertTrue(BlockTesting.maxAbsDiff(logits, otherImage) > 1e-3, "the prediction must depend on the image");
            // tied output projection: scaling the embedding matrix scales the logits (bias is 0 at the start)
            NDArray scaled = head.forward(ps, new NDList(words, visual, embedding.mul(2)), false).singletonOrThrow();
            assertTrue(BlockTesting.maxAbsDiff(scaled, logits.mul(2)) < 1e-3);
            // memory proj + norm, 2 x (4 attention linears + 2 feed-forward linears + 2 norms), transform + norm, vocab bias
            assertEquals(2 + 2 + 2 * (4 * 2 + 2 * 2 + 2 * 2) + 2 + 2 + 1, ParameterPaths.of(head).size());
        }
    }
}
