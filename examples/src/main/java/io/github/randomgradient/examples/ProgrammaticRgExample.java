package io.github.randomgradient.examples;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import io.github.randomgradient.djl.DJLModel;
import io.github.randomgradient.djl.DJLTrainer;
import io.github.randomgradient.djl.block.CNNBlockFactory;
import io.github.randomgradient.djl.convert.ImageConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.rg.UniformLossScale;
import org.tribuo.Dataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;

import java.util.Map;

/**
 * The programmatic API: build a {@link DJLTrainer} with Random Gradient in Java, train a small CNN
 * on Fashion-MNIST, evaluate it with Tribuo, and print its provenance.
 * <p>
 * Run from the repository root: {@code java -cp "examples/target/tribuo-rg-examples.jar:examples/target/lib/*"
 * io.github.randomgradient.examples.ProgrammaticRgExample [DATA_DIR]}.
 */
public final class ProgrammaticRgExample {

    private ProgrammaticRgExample() {}

    /**
     * Entry point.
     * @param args Optional IDX data directory (default: the bundled subset).
     */
    public static void main(String[] args) {
        Dataset<Label> train = ExampleData.train(args);
        Dataset<Label> test = ExampleData.test(args);

        DJLTrainer<Label> trainer = DJLTrainer.builder(
                        new CNNBlockFactory(true, 16, 32),                                     // [batch, 1, 28, 28] -> 10 logits
                        new ImageConverter(28, 28, 1, new float[]{72.94f}, new float[]{90.02f}), // pixels "000".."783"
                        new LabelConverter())
                .optLossScale(UniformLossScale.paperDefault())  // RG: loss x u, u ~ U[0, 1), one draw per mini-batch
                .optLearningRate(0.05f)
                .optMomentum(0.9f)
                .optBatchSize(32)
                .optEpochs(1)
                .optSeed(42L)
                .build();

        DJLModel<Label> model = trainer.train(train, test, "test", Map.of());
        LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, test);
        System.out.printf("Test accuracy %.4f, macro-F1 %.4f, mean loss scale %.3f%n", evaluation.accuracy(),
                evaluation.macroAveragedF1(), model.getTrainingHistory().meanLossScale());
        System.out.println(ProvenanceUtil.formattedProvenanceString(model.getProvenance()));
    }
}
