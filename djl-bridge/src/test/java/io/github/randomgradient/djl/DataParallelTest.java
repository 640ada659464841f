package io.github.randomgradient.djl;

import ai.djl.engine.Engine;
import io.github.randomgradient.djl.optim.OptimiserType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.tribuo.Dataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The data-parallel path gives the single-device update: each split back-propagates its mean loss
 * weighted by its share of the mini-batch into its own replica's gradients, and the replicas'
 * gradients are summed before the check and the update.
 * <p>
 * On the CPU the replicas are distinct arrays on one device (the trainer's splits-per-device test
 * hook), so a skipped or wrong reduction changes the result here as it would on several GPUs. The
 * two-GPU test runs where DJL's engine reports at least two CUDA devices, and is skipped (visibly)
 * elsewhere.
 */
public class DataParallelTest {

    private static final Dataset<Label> TRAIN = TestData.circles(200, 1L);
    private static final Dataset<Label> TEST = TestData.circles(100, 2L);

    private static void assertSamePredictions(DJLModel<Label> expected, DJLModel<Label> actual, double tolerance) {
        List<Prediction<Label>> pa = expected.predict(TEST);
        List<Prediction<Label>> pb = actual.predict(TEST);
        for (int i = 0; i < pa.size(); i++) {
            for (Map.Entry<String, Label> e : pa.get(i).getOutputScores().entrySet()) {
                assertEquals(e.getValue().getScore(), pb.get(i).getOutputScores().get(e.getKey()).getScore(), tolerance,
                        "prediction " + i + ", " + e.getKey());
            }
        }
    }

    @Test
    public void unevenSplitsOnDistinctReplicasGiveTheSingleDeviceUpdate() {
        // 200 examples, batch 32, lastBatch=MERGE: five mini-batches of 32 split 10/11/11 (or 16/16)
        // and a merged last one of 40 split 13/13/14 (or 20/20). Adam is not linear in the gradient,
        // so a mis-scaled reduction shows even where plain SGD might hide it in the momentum.
        for (OptimiserType rule : new OptimiserType[]{OptimiserType.SGD, OptimiserType.ADAM}) {
            DJLModel<Label> whole = TestData.mlp().optEpochs(2).optOptimiser(rule).optLearningRate(0.01f).build().train(TRAIN);
            for (int splits : new int[]{2, 3}) {
                DJLTrainer<Label> split = TestData.mlp().optEpochs(2).optOptimiser(rule).optLearningRate(0.01f).build();
                split.setSplitsPerDeviceForTesting(splits);
                assertSamePredictions(whole, split.train(TRAIN), 1e-4);
            }
        }
    }

    /**
     * Whether DJL's PyTorch engine reports at least two CUDA devices; false (never an error) on a
     * machine without them.
     * @return True when the two-GPU test can run.
     */
    static boolean twoGpus() {
        try {
            Engine engine = DJLEngine.engine();
            return engine.getGpuCount() >= 2;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Test
    @EnabledIf("twoGpus")
    public void twoGpusTrainAsOneGpu() {
        // Tolerance: GPU kernels sum in a different order from one device to two.
        DJLModel<Label> one = TestData.mlp().optEpochs(2).optDevice("gpu:0").optNumDevices(1).build().train(TRAIN);
        DJLModel<Label> two = TestData.mlp().optEpochs(2).optDevice("gpu:0").optNumDevices(2).build().train(TRAIN);
        assertSamePredictions(one, two, 1e-4);
    }
}
