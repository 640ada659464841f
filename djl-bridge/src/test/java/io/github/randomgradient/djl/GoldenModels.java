package io.github.randomgradient.djl;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.randomgradient.djl.block.CNNBlockFactory;
import io.github.randomgradient.djl.block.MLPBlockFactory;
import io.github.randomgradient.djl.convert.DenseFeatureConverter;
import io.github.randomgradient.djl.convert.ImageConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.rg.UniformLossScale;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.example.ConcentricCirclesDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.provenance.TrainerProvenance;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Writes the golden model files that {@link GoldenModelTest} loads: a tiny MLP and a tiny CNN,
 * each as Tribuo protobuf ({@code Model.serializeToFile}, the way the CLI writes models), as Java
 * serialisation, and an {@code .expected.txt} with their predictions for a few fixed inputs as
 * exact hex floats, their provenance class and a few provenance values.
 * <p>
 * Run it on the classpath of the build whose format you want to keep (see
 * {@code src/test/resources/io/github/randomgradient/djl/golden/README.md}):
 * <pre>
 * OPT_OUT_TRACKING=true java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
 *     -cp "djl-bridge/target/test-classes:examples/target/lib/*" io.github.randomgradient.djl.GoldenModels \
 *     djl-bridge/src/test/resources/io/github/randomgradient/djl/golden/format&lt;N&gt;-&lt;commit&gt; "commit &lt;commit&gt; (format &lt;N&gt;)"
 * </pre>
 * It uses only API that has existed since the first format (the trainer builder, the block
 * factories, the converters), so the same source compiles against earlier builds.
 */
public final class GoldenModels {

    private GoldenModels() {}

    /**
     * Writes {@code mlp.*} and {@code cnn.*} into the given directory.
     * @param args The output directory, then an optional note recorded in the expected files
     *             (e.g. the commit that wrote them).
     * @throws IOException If a file cannot be written.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Paths.get(args[0]);
        String note = args.length > 1 ? args[1] : "";
        Files.createDirectories(dir);

        Dataset<Label> circles = new MutableDataset<>(new ConcentricCirclesDataSource(64, 1L, 1.0, 0.5));
        Model<Label> mlp = DJLTrainer.builder(new MLPBlockFactory(MLPBlockFactory.ActivationType.RELU, 8),
                        new DenseFeatureConverter(), new LabelConverter())
                .optLossScale(new UniformLossScale(0.5, 1.5))
                .optLearningRate(0.1f).optMomentum(0.9f).optEpochs(3).optBatchSize(16).optSeed(7L)
                .optDevice("cpu").optNumThreads(1)
                .build().train(circles);
        List<Example<Label>> mlpInputs = new ArrayList<>();
        double[][] points = {{0.0, 0.0}, {0.5, -0.25}, {-0.75, 0.75}, {1.5, 1.0}};
        List<String> names = new ArrayList<>();
        mlp.getFeatureIDMap().forEach(f -> names.add(f.getName()));
        for (double[] p : points) {
            mlpInputs.add(new ArrayExample<>(new Label("?"), names.toArray(new String[0]), p));
        }
        write(dir, "mlp", mlp, mlpInputs, note);

        Dataset<Label> images = images(64, 11L);
        Model<Label> cnn = DJLTrainer.builder(new CNNBlockFactory(new int[]{4}, 3, true, 8, 0.0f),
                        new ImageConverter(8, 8, 1), new LabelConverter())
                .optLossScale(new UniformLossScale(0.5, 1.5))
                .optLearningRate(0.05f).optMomentum(0.9f).optEpochs(2).optBatchSize(16).optSeed(7L)
                .optDevice("cpu").optNumThreads(1)
                .build().train(images);
        List<Example<Label>> cnnInputs = new ArrayList<>();
        images(3, 99L).forEach(cnnInputs::add);
        write(dir, "cnn", cnn, cnnInputs, note);
    }

    /**
     * Synthetic 1x8x8 images, every pixel non-zero (so every pixel index is in the feature map):
     * label "top" if the top half is the brighter one, else "bottom".
     */
    private static Dataset<Label> images(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("golden 8x8 images", factory), factory);
        String[] names = new String[64];
        for (int i = 0; i < 64; i++) {
            names[i] = String.format("%02d", i);
        }
        for (int e = 0; e < n; e++) {
            boolean top = rng.nextBoolean();
            double[] values = new double[64];
            for (int i = 0; i < 64; i++) {
                boolean bright = (i < 32) == top;
                values[i] = 0.25 + rng.nextDouble() + (bright ? 1.0 : 0.0);
            }
            data.add(new ArrayExample<>(new Label(top ? "top" : "bottom"), names, values));
        }
        return data;
    }

    private static void write(Path dir, String name, Model<Label> model, List<Example<Label>> inputs, String note) throws IOException {
        model.serializeToFile(dir.resolve(name + ".tribuo"));
        try (OutputStream os = Files.newOutputStream(dir.resolve(name + ".ser"));
             ObjectOutputStream oos = new ObjectOutputStream(os)) {
            oos.writeObject(model);
        }
        StringBuilder b = new StringBuilder();
        b.append("# Golden predictions of ").append(name).append(".tribuo (protobuf) and ").append(name)
                .append(".ser (Java serialisation), written by GoldenModels").append(note.isEmpty() ? "" : " at " + note)
                .append(".\n# Values are Java hex floating-point literals (Double.toHexString); see README.md.\n");
        TrainerProvenance tp = model.getProvenance().getTrainerProvenance();
        b.append("provenance-class ").append(tp.getClass().getName()).append('\n');
        b.append("trainer-class ").append(tp.getClassName()).append('\n');
        Map<String, Provenance> configured = tp.getConfiguredParameters();
        for (String key : new String[]{"seed", "epochs", "batchSize", "learningRate", "momentum"}) {
            if (!configured.containsKey(key)) {
                continue; // momentum is the torchOptimiser component's since the optimiser became a component
            }
            b.append("configured ").append(key).append(' ').append(((PrimitiveProvenance<?>) configured.get(key)).getValue()).append('\n');
        }
        b.append("component lossScale ").append(((ConfiguredObjectProvenance) configured.get("lossScale")).getClassName()).append('\n');
        b.append("component blockFactory ").append(((ConfiguredObjectProvenance) configured.get("blockFactory")).getClassName()).append('\n');
        for (Map.Entry<String, PrimitiveProvenance<?>> e : new TreeMap<>(tp.getInstanceValues()).entrySet()) {
            b.append("instance ").append(e.getKey()).append(' ').append(e.getValue().getValue()).append('\n');
        }
        for (Example<Label> example : inputs) {
            b.append("input");
            example.forEach(f -> b.append(' ').append(f.getName()).append('=').append(Double.toHexString(f.getValue())));
            b.append('\n');
            Prediction<Label> p = model.predict(example);
            b.append("output ").append(p.getOutput().getLabel());
            new TreeMap<>(p.getOutputScores()).forEach((label, score) ->
                    b.append(' ').append(label).append('=').append(Double.toHexString(score.getScore())));
            b.append('\n');
        }
        Files.write(dir.resolve(name + ".expected.txt"), b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
