package io.github.randomgradient.examples;

import io.github.randomgradient.rg.RandomGradientOptimiser;
import io.github.randomgradient.rg.UniformLossScale;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.optimisers.SGD;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.transformations.LinearScalingTransformation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RG on Tribuo's own {@link LinearSGDTrainer}: wrap its optimiser in a {@link RandomGradientOptimiser}.
 * Compared with the baseline and with the baseline at learning rate x E[u] (the lr-matched baseline),
 * because U[0, 1) also halves the mean step.
 * <p>
 * Run from the repository root: {@code java -cp "examples/target/tribuo-rg-examples.jar:examples/target/lib/*"
 * io.github.randomgradient.examples.LinearSgdRgExample [DATA_DIR]}.
 */
public final class LinearSgdRgExample {

    private LinearSgdRgExample() {}

    /**
     * Entry point.
     * @param args Optional IDX data directory (default: the bundled subset).
     */
    public static void main(String[] args) {
        Dataset<Label> train = ExampleData.train(args);
        Dataset<Label> test = ExampleData.test(args);
        double lr = 0.05;
        double expectedScale = UniformLossScale.paperDefault().expectedValue(); // E[u] = 0.5
        Map<String, StochasticGradientOptimiser> optimisers = new LinkedHashMap<>();
        optimisers.put("baseline", SGD.getSimpleSGD(lr, 0.9, SGD.Momentum.STANDARD));
        optimisers.put("RG U[0, 1)", new RandomGradientOptimiser(SGD.getSimpleSGD(lr, 0.9, SGD.Momentum.STANDARD),
                UniformLossScale.paperDefault(), 1L));
        optimisers.put("lr-matched baseline", SGD.getSimpleSGD(lr * expectedScale, 0.9, SGD.Momentum.STANDARD));
        // pixels 0-255 scaled to [0, 1] before the logistic regression
        TransformationMap scaling = new TransformationMap(List.of(new LinearScalingTransformation(0, 1)));
        for (Map.Entry<String, StochasticGradientOptimiser> e : optimisers.entrySet()) {
            LinearSGDTrainer linear = new LinearSGDTrainer(new LogMulticlass(), e.getValue(), 5, -1, 32, 1L);
            Model<Label> model = new TransformTrainer<>(linear, scaling).train(train);
            System.out.printf("%-20s test accuracy %.4f%n", e.getKey(), new LabelEvaluator().evaluate(model, test).accuracy());
        }
    }
}
