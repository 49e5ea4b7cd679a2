/**
 * Training BTDNet: {@link io.rrsis4j.train.TrainConfig} (the recipe, stored as RUN_DIR/config.json),
 * {@link io.rrsis4j.train.Trainer} (the loop), {@link io.rrsis4j.train.AdamW} and
 * {@link io.rrsis4j.train.PolyLearningRate} (the optimiser), {@link io.rrsis4j.train.TrainingBatches} (batches as a
 * pure function of (seed, step), prefetched), {@link io.rrsis4j.train.TrainingCheckpoint} (atomic checkpoints,
 * resume, and the model loader evaluate/segment/serve use).
 *
 * <p>Measured on 2 shared CPU cores with one native thread (micro, 96 px, batch 8, 200 synthetic scenes: 753 train
 * samples): about 11 images/s. lr 1e-3, 6 epochs (564 steps, 7 min): test oIoU 47.06 on unseen scenes, 8.26 when
 * each image gets another image's sentence. lr 1.5e-3, 12 epochs (1128 steps): val oIoU 45.6 after 8 epochs, best 46.2
 * after 10, then flat;
 * reaching 60 on held-out scenes needs longer training or a larger model than these minutes allow.
 * On a machine shared with other processes, run with {@code -Dai.djl.pytorch.num_threads=1}: PyTorch's spinning
 * worker threads made steps up to ten times slower there.
 */
package io.rrsis4j.train;
