package io.github.randomgradient.djl;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import io.github.randomgradient.djl.block.CNNBlockFactory;
import io.github.randomgradient.djl.block.MLPBlockFactory;
import io.github.randomgradient.djl.block.ResNetBlockFactory;
import io.github.randomgradient.djl.convert.DenseFeatureConverter;
import io.github.randomgradient.djl.convert.ImageConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.djl.convert.RegressorConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.example.NonlinearGaussianDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invalid configurations are rejected with a message that names the field (and the value), at
 * config load time for bad values and at train time for bad combinations with the data or machine.
 */
public class InvalidConfigurationTest {

    @TempDir
    Path tmp;

    private static final String VALID_TRAINER = ""
            + "<component name=\"trainer\" type=\"io.github.randomgradient.djl.DJLTrainer\">\n"
            + "  <property name=\"blockFactory\" value=\"mlp\"/>\n"
            + "  <property name=\"featureConverter\" value=\"dense\"/>\n"
            + "  <property name=\"outputConverter\" value=\"labels\"/>\n"
            + "  %s\n"
            + "</component>\n"
            + "<component name=\"mlp\" type=\"io.github.randomgradient.djl.block.MLPBlockFactory\"/>\n"
            + "<component name=\"dense\" type=\"io.github.randomgradient.djl.convert.DenseFeatureConverter\"/>\n"
            + "<component name=\"labels\" type=\"io.github.randomgradient.djl.convert.LabelConverter\"/>\n";

    private PropertyException loadTrainerWith(String property) throws IOException {
        Path config = Files.createTempFile(tmp, "trainer", ".xml");
        Files.writeString(config, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + String.format(VALID_TRAINER, property) + "</config>\n");
        ConfigurationManager cm = new ConfigurationManager(config.toString());
        return assertThrows(PropertyException.class, () -> cm.lookup("trainer"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "learningRate, -0.1",
            "learningRate, 0.0",
            "learningRate, NaN",
            "momentum, -0.1",
            "momentum, 1.0",
            "beta1, 1.5",
            "beta2, -1",
            "weightDecay, -0.001",
            "lrPower, 0",
            "stepEpochs, 0",
            "stepGamma, 0",
            "epochs, 0",
            "batchSize, 0",
            "device, tpu",
            "device, gpu:x",
            "numDevices, 0",
            "numThreads, 0",
            "numThreads, 100000",
            "inferenceBatchSize, 0",
            "evaluationsPerEpoch, 0",
            "evaluationsPerEpoch, -4",
            "lastBatch, SOMETIMES",
            "optimiser, ADAMX",
    })
    public void badValueInXmlFailsAtLoadTimeNamingTheField(String field, String value) throws IOException {
        PropertyException e = loadTrainerWith("<property name=\"" + field + "\" value=\"" + value + "\"/>");
        assertTrue(e.getMessage().contains(field), "message should name " + field + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(value), "message should show " + value + ": " + e.getMessage());
    }

    @Test
    public void nesterovWithoutMomentumIsRefusedAsPyTorchDoes() throws IOException {
        PropertyException e = loadTrainerWith("<property name=\"optimiser\" value=\"NESTEROV\"/><property name=\"momentum\" value=\"0.0\"/>");
        assertTrue(e.getMessage().contains("momentum") && e.getMessage().contains("NESTEROV"), e.getMessage());
    }

    @Test
    public void badComponentValuesInXmlFailAtLoadTime() throws IOException {
        String[][] cases = {
                {"io.github.randomgradient.djl.block.MLPBlockFactory", "<propertylist name=\"hiddenSizes\"><item>0</item></propertylist>", "hiddenSizes"},
                {"io.github.randomgradient.djl.block.CNNBlockFactory", "<property name=\"kernelSize\" value=\"4\"/>", "kernelSize"},
                {"io.github.randomgradient.djl.block.CNNBlockFactory", "<property name=\"dropout\" value=\"1.0\"/>", "dropout"},
                {"io.github.randomgradient.djl.block.ResNetBlockFactory", "<property name=\"numLayers\" value=\"19\"/>", "numLayers"},
                {"io.github.randomgradient.djl.convert.ImageConverter", "<property name=\"width\" value=\"0\"/><property name=\"height\" value=\"28\"/>", "width"},
                {"io.github.randomgradient.djl.convert.ImageConverter", "<property name=\"width\" value=\"28\"/><property name=\"height\" value=\"28\"/>"
                        + "<propertylist name=\"std\"><item>0</item></propertylist>", "std"},
                {"io.github.randomgradient.djl.convert.ImageConverter", "<property name=\"width\" value=\"28\"/><property name=\"height\" value=\"28\"/>"
                        + "<propertylist name=\"mean\"><item>1</item><item>2</item></propertylist>", "mean"},
                {"io.github.randomgradient.rg.UniformLossScale", "<property name=\"high\" value=\"-1\"/>", "high"},
        };
        for (String[] c : cases) {
            Path config = Files.createTempFile(tmp, "component", ".xml");
            Files.writeString(config, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n<component name=\"c\" type=\""
                    + c[0] + "\">" + c[1] + "</component>\n</config>\n");
            ConfigurationManager cm = new ConfigurationManager(config.toString());
            PropertyException e = assertThrows(PropertyException.class, () -> cm.lookup("c"), c[0]);
            assertTrue(e.getMessage().contains(c[2]), "message should name " + c[2] + ": " + e.getMessage());
        }
    }

    private static void assertRejected(Executable train, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, train);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
    }

    @Test
    public void javaBuilderRejectsBadValues() {
        assertRejected(() -> TestData.mlp().optLearningRate(-1f).build(), "learningRate", "-1.0");
        assertRejected(() -> TestData.mlp().optMomentum(1f).build(), "momentum", "1.0");
        assertRejected(() -> TestData.mlp().optBatchSize(0).build(), "batchSize", "0");
        assertRejected(() -> TestData.mlp().optEpochs(0).build(), "epochs", "0");
        assertRejected(() -> TestData.mlp().optDevice("cuda").build(), "device", "cuda");
        assertRejected(() -> TestData.mlp().optLossScale(new BeyondFloat32()).build(), "lossScale", "finite in float32", "1.0E39");
    }

    /** A user's loss scale whose factors leave float32: DJLTrainer rejects it whatever the class. */
    private static final class BeyondFloat32 implements io.github.randomgradient.rg.LossScale {
        @Override
        public Sampler newSampler(java.util.SplittableRandom rng) {
            return step -> 1e39;
        }

        @Override
        public double expectedValue() {
            return 1e39;
        }

        @Override
        public double min() {
            return 1e39;
        }

        @Override
        public double max() {
            return 1e39;
        }

        @Override
        public String describe() {
            return "1e39";
        }

        @Override
        public com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance getProvenance() {
            return new com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl(this, "LossScale");
        }
    }

    @Test
    public void gpuRequestedWithoutGpuExplainsHowToGetCudaLibtorch() {
        Dataset<Label> data = TestData.circles(50, 1L);
        assertRejected(() -> TestData.mlp().optDevice("gpu").build().train(data), "device=gpu", "PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR");
        assertRejected(() -> TestData.mlp().optDevice("gpu:1").build().train(data), "device=gpu:1");
        assertRejected(() -> TestData.mlp().optDevice("cpu").optNumDevices(2).build().train(data), "numDevices=2");
    }

    @Test
    public void emptyDatasetIsRejected() {
        Dataset<Label> empty = new MutableDataset<>(new ListDataSource<>(new ArrayList<>(), new LabelFactory(),
                new SimpleDataSourceProvenance("empty", new LabelFactory())));
        assertRejected(() -> TestData.mlp().build().train(empty), "empty");
    }

    @Test
    public void outputTypeMismatchIsRejected() {
        Dataset<Regressor> regression = new MutableDataset<>(new NonlinearGaussianDataSource(20, 1L));
        @SuppressWarnings({"unchecked", "rawtypes"})
        DJLTrainer<Regressor> labelTrainer = (DJLTrainer) TestData.mlp().build();
        assertRejected(() -> labelTrainer.train(regression), "LabelConverter", "Regressor");
        DJLTrainer<Label> regTrainer = castTrainer(DJLTrainer.builder(new MLPBlockFactory(MLPBlockFactory.ActivationType.RELU, 4),
                new DenseFeatureConverter(), new RegressorConverter()).build());
        assertRejected(() -> regTrainer.train(TestData.circles(20, 1L)), "RegressorConverter", "Label");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static DJLTrainer<Label> castTrainer(DJLTrainer t) {
        return (DJLTrainer<Label>) t;
    }

    @Test
    public void imageShapeThatDoesNotFitTheFeaturesIsRejected() {
        // 784 pixel features do not fit a 10x10 image
        DJLTrainer<Label> tooSmall = DJLTrainer.builder(new CNNBlockFactory(false, 4), new ImageConverter(10, 10, 1), new LabelConverter())
                .optEpochs(1).optDevice("cpu").build();
        assertRejected(() -> tooSmall.train(TestData.fashionTrain()), "width=10", "784");
        // circles' features are named "Variable1"... not pixel indices
        DJLTrainer<Label> notPixels = DJLTrainer.builder(new CNNBlockFactory(false, 4), new ImageConverter(28, 28, 1), new LabelConverter())
                .optEpochs(1).optDevice("cpu").build();
        assertRejected(() -> notPixels.train(TestData.circles(20, 1L)), "feature '", "not a pixel index");
        // a CNN needs [C, H, W] inputs
        DJLTrainer<Label> dense = DJLTrainer.builder(new CNNBlockFactory(false, 4), new DenseFeatureConverter(), new LabelConverter())
                .optEpochs(1).optDevice("cpu").build();
        assertRejected(() -> dense.train(TestData.circles(20, 1L)), "CNNBlockFactory needs image inputs");
        DJLTrainer<Label> resnet = DJLTrainer.builder(new ResNetBlockFactory(18), new DenseFeatureConverter(), new LabelConverter())
                .optEpochs(1).optDevice("cpu").build();
        assertRejected(() -> resnet.train(TestData.circles(20, 1L)), "ResNetBlockFactory needs image inputs");
    }
}
