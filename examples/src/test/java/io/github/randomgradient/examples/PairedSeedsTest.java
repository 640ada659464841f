package io.github.randomgradient.examples;

import io.github.randomgradient.djl.DJLTrainer;
import io.github.randomgradient.djl.block.MLPBlockFactory;
import io.github.randomgradient.djl.convert.DenseFeatureConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.rg.ConstantLossScale;
import io.github.randomgradient.rg.LossScale;
import io.github.randomgradient.rg.UniformLossScale;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.example.ConcentricCirclesDataSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The comparison report pairs runs by seed because runs of different trainers with the same seed
 * share the initial weights and the mini-batch order. For DJLTrainer that holds when drawing the loss
 * scale leaves the weight-initialisation and shuffling streams alone: an RG trainer whose factors all
 * lie in [1, 1 + 1e-6) must then train (almost exactly) the baseline's model, while another seed
 * trains a visibly different one. (Tribuo's LinearSGDTrainer with RandomGradientOptimiser is checked
 * bit for bit in RandomGradientOptimiserTest.unitFactorIsBitForBitTheWrappedOptimiser.)
 */
public class PairedSeedsTest {

    /** A small MLP trainer; the builder's type is not named, so the test reads the same before and after its refactoring. */
    private static DJLTrainer<Label> mlp(long seed, LossScale lossScale) {
        return DJLTrainer.builder(new MLPBlockFactory(MLPBlockFactory.ActivationType.RELU, 16),
                        new DenseFeatureConverter(), new LabelConverter())
                .optLearningRate(0.1f).optMomentum(0.9f).optEpochs(2).optBatchSize(32).optSeed(seed).optDevice("cpu")
                .optLossScale(lossScale).build();
    }

    /** The largest absolute difference between two models' output scores over the data. */
    private static double maxScoreDifference(Model<Label> a, Model<Label> b, Dataset<Label> data) {
        List<Prediction<Label>> pa = a.predict(data);
        List<Prediction<Label>> pb = b.predict(data);
        double max = 0;
        for (int i = 0; i < pa.size(); i++) {
            for (String label : pa.get(i).getOutputScores().keySet()) {
                max = Math.max(max, Math.abs(pa.get(i).getOutputScores().get(label).getScore()
                        - pb.get(i).getOutputScores().get(label).getScore()));
            }
        }
        return max;
    }

    @Test
    public void sameSeedSharesInitialWeightsAndMiniBatchOrder() {
        Dataset<Label> train = new MutableDataset<>(new ConcentricCirclesDataSource(200, 1L, 0.5, 0.5));
        Model<Label> baseline = mlp(3L, ConstantLossScale.baseline()).train(train);
        Model<Label> nearUnitRg = mlp(3L, new UniformLossScale(1.0, 1.0 + 1e-6)).train(train);
        Model<Label> otherSeed = mlp(4L, ConstantLossScale.baseline()).train(train);
        double paired = maxScoreDifference(baseline, nearUnitRg, train);
        double unpaired = maxScoreDifference(baseline, otherSeed, train);
        assertTrue(paired < 1e-4, "same seed, factors within 1e-6 of 1: scores differ by " + paired);
        assertTrue(unpaired > 1e-2, "another seed should train another model: scores differ by " + unpaired);
    }
}
