package io.github.randomgradient.examples;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.djl.DJLEngine;
import io.github.randomgradient.djl.DJLModel;
import io.github.randomgradient.djl.DJLTrainer;
import io.github.randomgradient.djl.block.CNNBlockFactory;
import io.github.randomgradient.djl.convert.ImageConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.djl.rg.RandomGradientListener;
import io.github.randomgradient.djl.rg.RandomGradientLoss;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.rg.UniformLossScale;
import org.tribuo.Dataset;
import org.tribuo.dataset.DatasetView;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The bundled CNN ({@link CNNBlockFactory}, channels 16 and 32 with batch normalisation) trained by
 * plain DJL, {@code EasyTrain.fit}, with {@link RandomGradientLoss} around DJL's softmax
 * cross-entropy, next to {@link DJLTrainer} with the same network, loss scale, learning rate,
 * momentum, batch size, epochs and seed.
 * <p>
 * The two results are close but not identical, and are not expected to be:
 * <ul>
 *     <li>initialisation and shuffling: DJLTrainer seeds DJL's engine and its own mini-batch
 *     shuffle from a {@code SplittableRandom} split of its seed; EasyTrain shuffles with DJL's
 *     {@code RandomSampler}, seeded here by {@code Engine.setRandomSeed(seed)};</li>
 *     <li>loss-scale factors: DJLTrainer draws them from another split of its seed, the wrapper
 *     from {@code new SplittableRandom(seed)}: same distribution, different sequence;</li>
 *     <li>update rule: DJLTrainer applies torch.optim's SGD, plain DJL applies DJL's own
 *     {@code Optimizer.sgd()}, whose momentum update is written differently.</li>
 * </ul>
 * Usage: {@code EasyTrainRgExample [DATA_DIR]}.
 */
public final class EasyTrainRgExample {

    /** Mean of Fashion-MNIST pixels on the 0-255 scale (as {@code ImageConverter} in the configs). */
    static final float PIXEL_MEAN = 72.94f;
    /** Standard deviation of Fashion-MNIST pixels on the 0-255 scale. */
    static final float PIXEL_STD = 90.02f;

    /**
     * Sizes and hyper-parameters shared by both trainers.
     * @param trainImages Training images.
     * @param testImages Test images.
     * @param epochs Epochs.
     * @param batchSize Mini-batch size.
     * @param learningRate SGD learning rate.
     * @param momentum SGD momentum.
     * @param seed Seed.
     * @param withDJLTrainer Also train DJLTrainer for comparison.
     */
    record Settings(int trainImages, int testImages, int epochs, int batchSize, float learningRate, float momentum,
                    long seed, boolean withDJLTrainer) {
    }

    /** About a minute on one CPU core. */
    static final Settings DEFAULT = new Settings(6000, 2000, 1, 32, 0.05f, 0.9f, 42, true);

    /**
     * The results.
     * @param easyTrainAccuracy Test accuracy after EasyTrain.fit.
     * @param history EasyTrain's history from the listener.
     * @param draws The loss-scale factors, one per optimiser step.
     * @param djlTrainerAccuracy DJLTrainer's test accuracy, NaN if not trained.
     */
    record Result(double easyTrainAccuracy, TrainingHistory history, double[] draws, double djlTrainerAccuracy) {
    }

    private EasyTrainRgExample() {}

    /**
     * Entry point.
     * @param args [DATA_DIR].
     * @throws IOException If the data cannot be read.
     * @throws TranslateException If DJL fails to batch the data.
     */
    public static void main(String[] args) throws IOException, TranslateException {
        run(ExampleData.dir(args), DEFAULT, System.out);
    }

    /**
     * Trains with EasyTrain and (optionally) DJLTrainer.
     * @param dir The data directory.
     * @param settings The settings.
     * @param out Where the figures go.
     * @return The results.
     * @throws IOException If the data cannot be read.
     * @throws TranslateException If DJL fails to batch the data.
     */
    static Result run(IdxDirectory dir, Settings settings, PrintStream out) throws IOException, TranslateException {
        DJLEngine.engine(1);
        FashionMnistArrays train = FashionMnistArrays.load(dir, "train", settings.trainImages());
        FashionMnistArrays test = FashionMnistArrays.load(dir, "t10k", settings.testImages());
        UniformLossScale scale = UniformLossScale.paperDefault();
        RandomGradientLoss loss = RandomGradientLoss.builder().setLoss(Loss.softmaxCrossEntropyLoss())
                .setLossScale(scale).optSeed(settings.seed()).build();
        RandomGradientListener listener = RandomGradientListener.builder().setLoss(loss)
                .optMetric(new Accuracy()).optHeldOutData("test").build();

        Engine.getInstance().setRandomSeed((int) settings.seed());
        try (NDManager manager = NDManager.newBaseManager();
             Model model = Model.newInstance("cnn")) {
            model.setBlock(new CNNBlockFactory(true, 16, 32).newBlock(new long[]{1, 28, 28}, 10));
            ArrayDataset trainData = dataset(manager, train, settings.batchSize(), true);
            ArrayDataset testData = dataset(manager, test, settings.batchSize(), false);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(settings.learningRate()))
                            .optMomentum(settings.momentum()).build())
                    .addEvaluator(new Accuracy())
                    .addTrainingListeners(TrainingListener.Defaults.basic())
                    .addTrainingListeners(listener);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(settings.batchSize(), 1, 28, 28));
                EasyTrain.fit(trainer, settings.epochs(), trainData, testData);
            }
        }
        TrainingHistory history = listener.getTrainingHistory();
        double easyTrainAccuracy = history.epochs().get(history.epochs().size() - 1).heldOutMetric();
        out.printf(Locale.ROOT, "EasyTrain.fit + RandomGradientLoss: test accuracy %.4f, final mean loss %.4f, %d draws, "
                        + "mean factor %.4f (E[u] = %.2f)%n", easyTrainAccuracy, history.finalLoss(), listener.getDraws().length,
                history.meanLossScale(), listener.getExpectedLossScale());

        double djlAccuracy = Double.NaN;
        if (settings.withDJLTrainer()) {
            DJLTrainer<Label> trainer = DJLTrainer.builder(new CNNBlockFactory(true, 16, 32),
                            new ImageConverter(28, 28, 1, new float[]{PIXEL_MEAN}, new float[]{PIXEL_STD}), new LabelConverter())
                    .optLossScale(scale).optLearningRate(settings.learningRate()).optMomentum(settings.momentum())
                    .optBatchSize(settings.batchSize()).optEpochs(settings.epochs()).optSeed(settings.seed()).build();
            // Loaded by tribuo-rg's policy (every pixel named, value 0 where absent in the whole split).
            Dataset<Label> tribuoTest = first(dir.load("t10k"), settings.testImages());
            DJLModel<Label> model = trainer.train(first(dir.load("train"), settings.trainImages()));
            djlAccuracy = new LabelEvaluator().evaluate(model, tribuoTest).accuracy();
            out.printf(Locale.ROOT, "DJLTrainer (same network, loss scale, lr, momentum, batch, epochs, seed): test accuracy %.4f, "
                    + "final mean loss %.4f, mean factor %.4f%n", djlAccuracy, model.getTrainingHistory().finalLoss(),
                    model.getTrainingHistory().meanLossScale());
            out.println("Not bitwise equal by design: different initialisation/shuffling streams, factor sequences and "
                    + "SGD implementations (see EasyTrainRgExample's Javadoc).");
        }
        return new Result(easyTrainAccuracy, history, listener.getDraws(), djlAccuracy);
    }

    /** Standardised images {@code [n, 1, 28, 28]} with their class indices. */
    private static ArrayDataset dataset(NDManager manager, FashionMnistArrays data, int batchSize, boolean shuffle) {
        NDArray x = manager.create(data.pixels, new Shape(data.count, 1, 28, 28)).mul(255f).sub(PIXEL_MEAN).div(PIXEL_STD);
        NDArray y = manager.create(data.labels).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        return new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(batchSize, shuffle).build();
    }

    /**
     * The first {@code n} examples of a dataset, in order, as a Tribuo {@link DatasetView}: a view keeps
     * the whole dataset's feature domain, so the subset still names every pixel (a new dataset of the
     * first {@code n} images would lack the pixels that are 0 in all of them, and ImageConverter's exact
     * shape check would refuse it).
     */
    private static Dataset<Label> first(Dataset<Label> data, int n) {
        return new DatasetView<>(data, java.util.stream.IntStream.range(0, Math.min(n, data.size())).toArray(), "first " + n);
    }
}
