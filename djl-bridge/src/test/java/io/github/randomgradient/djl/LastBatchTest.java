package io.github.randomgradient.djl;

import io.github.randomgradient.djl.block.BlockFactory;
import io.github.randomgradient.djl.block.CNNBlockFactory;
import io.github.randomgradient.djl.block.MobileNetV2BlockFactory;
import io.github.randomgradient.djl.block.ResNetBlockFactory;
import io.github.randomgradient.djl.convert.ImageConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.history.EpochRecord;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trailing mini-batch policy on the batch-normalised networks, with 33 images and mini-batch
 * 32, so the trailing mini-batch holds a single image: MERGE (the default) trains one mini-batch
 * of 33, DROP one of 32, and KEEP either trains two or, where batch normalisation cannot work on
 * one image (MobileNetV2), stops with an error naming lastBatch instead of a raw engine error.
 */
public class LastBatchTest {

    /** {@code n} random images {@code [c, h, w]} with pixel features "0".."c*h*w-1" and two labels. */
    private static Dataset<Label> images(int n, int c, int h, int w) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("images", factory), factory);
        SplittableRandom rng = new SplittableRandom(3L);
        String[] names = new String[c * h * w];
        for (int i = 0; i < names.length; i++) {
            names[i] = Integer.toString(i);
        }
        for (int e = 0; e < n; e++) {
            double[] values = new double[names.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = rng.nextDouble();
            }
            data.add(new ArrayExample<>(new Label(e % 2 == 0 ? "a" : "b"), names, values));
        }
        return data;
    }

    private static DJLTrainerBuilder<Label> trainer(BlockFactory factory, int c, int hw) {
        return DJLTrainer.builder(factory, new ImageConverter(hw, hw, c), new LabelConverter())
                .optBatchSize(32).optEpochs(1).optLearningRate(0.01f).optSeed(1L).optDevice("cpu");
    }

    /**
     * @param keepFails Whether the network cannot train on one image: MobileNetV2's batch
     *                  normalisation sees a single value per channel at its 1x1 stage; the CNN's and
     *                  ResNet's see a whole feature map, so KEEP trains a second mini-batch of one.
     */
    private static void checkPolicies(BlockFactory factory, int c, int hw, boolean keepFails) {
        Dataset<Label> data = images(33, c, hw, hw);
        DJLModel<Label> merged = trainer(factory, c, hw).build().train(data);
        EpochRecord m = merged.getTrainingHistory().epochs().get(0);
        assertEquals(1, m.steps(), factory + ": MERGE puts all 33 images into one mini-batch");
        assertTrue(Double.isFinite(m.meanLoss()), factory + ": loss " + m.meanLoss());
        DJLModel<Label> dropped = trainer(factory, c, hw).optLastBatch(LastBatch.DROP).build().train(data);
        assertEquals(1, dropped.getTrainingHistory().epochs().get(0).steps(), factory + ": DROP trains one mini-batch of 32");
        if (keepFails) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> trainer(factory, c, hw).optLastBatch(LastBatch.KEEP).build().train(data), factory.toString());
            assertTrue(e.getMessage().contains("lastBatch=MERGE or DROP") && e.getMessage().contains("1 example"), e.getMessage());
        } else {
            assertEquals(2, trainer(factory, c, hw).optLastBatch(LastBatch.KEEP).build().train(data)
                    .getTrainingHistory().epochs().get(0).steps(), factory + ": KEEP trains 32 + 1");
        }
    }

    @Test
    public void cnn() {
        checkPolicies(new CNNBlockFactory(true, 4, 8), 1, 28, false);
    }

    @Test
    public void resNet() {
        checkPolicies(new ResNetBlockFactory(20), 1, 28, false);
    }

    @Test
    public void mobileNetV2() {
        checkPolicies(new MobileNetV2BlockFactory(), 3, 32, true);
    }

    @Test
    public void dropWithFewerExamplesThanAMiniBatchIsRejectedBeforeTraining() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer(new CNNBlockFactory(true, 4), 1, 28)
                .optLastBatch(LastBatch.DROP).build().train(images(20, 1, 28, 28)));
        assertTrue(e.getMessage().contains("lastBatch=DROP") && e.getMessage().contains("20"), e.getMessage());
    }

    @Test
    public void mergeAndKeepWithoutBatchNormalisation() {
        // 33 examples, batch 32: MERGE 1 step of 33, KEEP 2 steps (32 + 1), DROP 1 step of 32.
        Dataset<Label> data = images(33, 1, 28, 28);
        CNNBlockFactory plain = new CNNBlockFactory(false, 4);
        assertEquals(2, trainer(plain, 1, 28).optLastBatch(LastBatch.KEEP).build().train(data)
                .getTrainingHistory().epochs().get(0).steps());
        assertEquals(1, trainer(plain, 1, 28).build().train(data).getTrainingHistory().epochs().get(0).steps());
    }
}
