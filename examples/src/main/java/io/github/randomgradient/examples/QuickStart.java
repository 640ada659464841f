package io.github.randomgradient.examples;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.djl.DJLModel;
import io.github.randomgradient.djl.DJLTrainer;
import io.github.randomgradient.djl.block.CNNBlockFactory;
import io.github.randomgradient.djl.convert.ImageConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.djl.optim.TorchSgd;
import io.github.randomgradient.rg.UniformLossScale;
import org.tribuo.Dataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.Map;

/**
 * The Java quick start of docs/java-api.md, compiled as written: a CNN trained with Random Gradient on the
 * bundled Fashion-MNIST subset (or the IDX directory given as the first argument), evaluated with
 * Tribuo, its provenance printed and the model saved. Run from the repository root.
 */
public final class QuickStart {

    private QuickStart() {}

    /**
     * Entry point.
     * @param args Optional IDX data directory (default: data/fashion-mnist-subset).
     * @throws IOException If the data cannot be read or the model cannot be written.
     */
    public static void main(String[] args) throws IOException {
        IdxDirectory data = IdxDirectory.of(Paths.get(args.length > 0 ? args[0] : "data/fashion-mnist-subset"));
        Dataset<Label> train = data.load("train");   // Tribuo's IDXDataSource, every pixel named (also those 0 in every image)
        Dataset<Label> test = data.load("t10k");

        DJLTrainer<Label> trainer = DJLTrainer.builder(
                        new CNNBlockFactory(true, 16, 32),                                       // [batch, 1, 28, 28] -> 10 logits
                        new ImageConverter(28, 28, 1, new float[]{72.94f}, new float[]{90.02f}), // pixels "000".."783"
                        new LabelConverter())
                .optLossScale(UniformLossScale.paperDefault())   // RG: loss x u, u ~ U[0, 1)
                .optOptimiser(new TorchSgd(0.9f, false, 0f))     // torch.optim.SGD(momentum=0.9)
                .optLearningRate(0.05f).optBatchSize(32).optEpochs(3).optSeed(1L)
                .build();
        DJLModel<Label> model = trainer.train(train, test, "test", Map.of());   // test accuracy recorded per epoch
        System.out.println(new LabelEvaluator().evaluate(model, test));
        System.out.println(ProvenanceUtil.formattedProvenanceString(model.getProvenance()));
        model.serializeToFile(Paths.get("cnn-rg.tribuo.pb"));            // Tribuo protobuf; Model.deserializeFromFile reads it
    }
}
