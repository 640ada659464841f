package io.github.randomgradient.examples;

import io.github.randomgradient.cli.ReportCommand;
import io.github.randomgradient.djl.DJLTrainer;
import io.github.randomgradient.djl.block.MLPBlockFactory;
import io.github.randomgradient.djl.convert.ImageConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.rg.ConstantLossScale;
import io.github.randomgradient.rg.LossScale;
import io.github.randomgradient.rg.UniformLossScale;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A report from two saved models: train a baseline and an RG MLP, save both as Tribuo protobuf
 * models, then build the comparison report from the saved files alone (as
 * {@code tribuo-rg report --models a.pb,b.pb --data DIR --output-dir OUT} does).
 * <p>
 * Run from the repository root: {@code java -cp "examples/target/tribuo-rg-examples.jar:examples/target/lib/*"
 * io.github.randomgradient.examples.ReportFromSavedModelsExample [DATA_DIR]}; the files go to
 * {@code runs/saved-models-example}.
 */
public final class ReportFromSavedModelsExample {

    private ReportFromSavedModelsExample() {}

    /**
     * Entry point.
     * @param args Optional IDX data directory (default: the bundled subset).
     * @throws IOException If a model cannot be saved.
     */
    public static void main(String[] args) throws IOException {
        Path out = Paths.get("runs", "saved-models-example");
        Files.createDirectories(out);
        Dataset<Label> train = ExampleData.train(args);
        String[] names = {"mlp-baseline", "mlp-rg"};
        LossScale[] scales = {ConstantLossScale.baseline(), UniformLossScale.paperDefault()};
        StringBuilder models = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            Model<Label> model = DJLTrainer.builder(new MLPBlockFactory(MLPBlockFactory.ActivationType.RELU, 256, 128),
                            new ImageConverter(28, 28, 1, new float[]{72.94f}, new float[]{90.02f}), new LabelConverter())
                    .optLossScale(scales[i]).optLearningRate(0.05f).optMomentum(0.9f).optBatchSize(32).optEpochs(2).optSeed(1L)
                    .build().train(train);
            Path file = out.resolve(names[i] + ".tribuo.pb");
            model.serializeToFile(file);
            models.append(models.length() == 0 ? "" : ",").append(file);
        }
        String dataDir = args.length > 0 ? args[0] : ExampleData.BUNDLED.toString();
        ReportCommand.run(new String[]{"--models", models.toString(), "--data", dataDir,
                "--output-dir", out.resolve("report").toString(), "--title", "Two saved models"}, System.out);
    }
}
