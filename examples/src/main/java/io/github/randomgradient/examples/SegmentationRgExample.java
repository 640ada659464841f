package io.github.randomgradient.examples;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.djl.DJLEngine;
import io.github.randomgradient.djl.rg.RandomGradientListener;
import io.github.randomgradient.djl.rg.RandomGradientLoss;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.rg.ConstantLossScale;
import io.github.randomgradient.rg.LossScale;
import io.github.randomgradient.rg.UniformLossScale;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Random Gradient on a segmentation-style task with plain DJL ({@code EasyTrain.fit} and
 * {@link RandomGradientLoss}): every pixel of a Fashion-MNIST image is classified as background
 * (pixel value &lt;= {@value #FOREGROUND}), edge (a foreground pixel with a background
 * 4-neighbour or on the border) or body (other foreground), by a tiny fully-convolutional network
 * trained with per-pixel softmax cross-entropy on NCHW logits (class axis 1).
 * <p>
 * Baseline ({@code ConstantLossScale(1.0)}) and RG ({@code UniformLossScale(0, 1,
 * applyProbability 0.5)}, as the authors' segmentation code, which scales half of the
 * mini-batches; \( E[u] = 0.75 \)) are trained from the same seeds, and compared by mean
 * intersection-over-union (IoU) over the three classes on test images.
 * <p>
 * Usage: {@code SegmentationRgExample [DATA_DIR] [OUTPUT_DIR=segmentation-rg]}. Writes
 * {@code OUTPUT_DIR/runs/<arm>/seed-<seed>/history.json} (the project's {@link TrainingHistory})
 * and {@code rg-loss-provenance.json}, and {@code OUTPUT_DIR/summary.md}.
 */
public final class SegmentationRgExample {

    /** Number of pixel classes. */
    static final int CLASSES = 3;
    /** Background class. */
    static final int BACKGROUND = 0;
    /** Edge class. */
    static final int EDGE = 1;
    /** Body class. */
    static final int BODY = 2;
    /** Pixels above this value (in [0, 1]) are foreground. */
    static final float FOREGROUND = 0.1f;

    /**
     * Sizes of one comparison.
     * @param trainImages Training images.
     * @param testImages Test images.
     * @param epochs Epochs per run.
     * @param batchSize Mini-batch size.
     * @param learningRate SGD learning rate (momentum 0.9).
     * @param seeds Seeds (DJL initialisation and shuffling, and the loss-scale sampler).
     */
    record Settings(int trainImages, int testImages, int epochs, int batchSize, float learningRate, long[] seeds) {
    }

    /** About a minute on one CPU core. */
    static final Settings DEFAULT = new Settings(2000, 500, 3, 32, 0.05f, new long[]{1, 2, 3});

    /**
     * One trained run.
     * @param arm {@code baseline} or {@code rg}.
     * @param seed The seed.
     * @param classIoU IoU of background, edge and body on the test images.
     * @param history The run's history.
     */
    record Result(String arm, long seed, double[] classIoU, TrainingHistory history) {
        double meanIoU() {
            return (classIoU[0] + classIoU[1] + classIoU[2]) / CLASSES;
        }
    }

    private SegmentationRgExample() {}

    /**
     * Entry point.
     * @param args [DATA_DIR] [OUTPUT_DIR].
     * @throws IOException If data cannot be read or results written.
     * @throws TranslateException If DJL fails to batch the data.
     */
    public static void main(String[] args) throws IOException, TranslateException {
        Path output = Paths.get(args.length > 1 ? args[1] : "segmentation-rg");
        run(ExampleData.dir(args), output, DEFAULT, System.out);
    }

    /**
     * Trains baseline and RG for every seed and writes the results.
     * @param dir The data directory.
     * @param output The output directory.
     * @param settings The sizes.
     * @param out Where the table goes.
     * @return The runs, baseline first.
     * @throws IOException If data cannot be read or results written.
     * @throws TranslateException If DJL fails to batch the data.
     */
    static List<Result> run(IdxDirectory dir, Path output, Settings settings, PrintStream out)
            throws IOException, TranslateException {
        DJLEngine.engine(1);
        FashionMnistArrays train = FashionMnistArrays.load(dir, "train", settings.trainImages());
        FashionMnistArrays test = FashionMnistArrays.load(dir, "t10k", settings.testImages());
        List<Result> results = new ArrayList<>();
        String[] arms = {"baseline", "rg"};
        LossScale[] scales = {new ConstantLossScale(1.0), new UniformLossScale(0, 1, 0.5, false)};
        for (int a = 0; a < arms.length; a++) {
            for (long seed : settings.seeds()) {
                RandomGradientLoss loss = RandomGradientLoss.builder().setLoss(pixelCrossEntropy())
                        .setLossScale(scales[a]).optSeed(seed).build();
                Result result = train(arms[a], loss, train, test, settings, seed);
                results.add(result);
                RunFiles files = RunFiles.of(output, arms[a], seed);
                files.writeJson(RunFiles.HISTORY, result.history());
                files.writeText("rg-loss-provenance.json", new JsonProvenanceSerialization(true).marshalAndSerialize(loss.getProvenance()));
                out.printf(Locale.ROOT, "%-8s seed %d: mean IoU %.4f (background %.4f, edge %.4f, body %.4f), final loss %.4f%n",
                        arms[a], seed, result.meanIoU(), result.classIoU()[0], result.classIoU()[1], result.classIoU()[2],
                        result.history().finalLoss());
            }
        }
        String summary = summary(results, arms, settings);
        out.print(summary);
        RunFiles.at(output).writeText("summary.md", summary);
        return results;
    }

    private static String summary(List<Result> results, String[] arms, Settings settings) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n| arm | loss scale | seeds | mean IoU (mean ± sd over seeds) |%n| --- | --- | --- | --- |%n"));
        for (String arm : arms) {
            SummaryStatistics stats = new SummaryStatistics();
            for (Result r : results) {
                if (r.arm().equals(arm)) {
                    stats.addValue(r.meanIoU());
                }
            }
            String scale = arm.equals("rg") ? "U[0, 1) on half of the mini-batches, E[u] = 0.75" : "1.0";
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.4f ± %.4f |%n", arm, scale, stats.getN(),
                    stats.getMean(), stats.getStandardDeviation()));
        }
        sb.append(String.format(Locale.ROOT, "%n%d training and %d test images, %d epochs, batch %d, SGD lr %s momentum 0.9.%n",
                settings.trainImages(), settings.testImages(), settings.epochs(), settings.batchSize(), settings.learningRate()));
        return sb.toString();
    }

    /**
     * One run: EasyTrain.fit with the loss wrapper and its listener, then the test IoU.
     */
    static Result train(String arm, RandomGradientLoss loss, FashionMnistArrays train, FashionMnistArrays test,
                        Settings settings, long seed) throws IOException, TranslateException {
        Engine.getInstance().setRandomSeed((int) seed);
        try (NDManager manager = NDManager.newBaseManager();
             Model model = Model.newInstance("segmentation-" + arm)) {
            model.setBlock(network());
            NDArray x = images(manager, train);
            NDArray y = manager.create(masks(train.pixels, train.count), new Shape(train.count, 1, FashionMnistArrays.SIDE,
                    FashionMnistArrays.SIDE)).toType(DataType.INT64, false);
            ArrayDataset data = new ArrayDataset.Builder().setData(x).optLabels(y)
                    .setSampling(settings.batchSize(), true).build();
            Tracker lr = Tracker.fixed(settings.learningRate());
            RandomGradientListener listener = RandomGradientListener.builder().setLoss(loss)
                    .optMetric(new Accuracy("PixelAccuracy", 1)).optLearningRate(lr).build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(lr).optMomentum(0.9f).build())
                    .addTrainingListeners(listener);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(settings.batchSize(), 1, FashionMnistArrays.SIDE, FashionMnistArrays.SIDE));
                EasyTrain.fit(trainer, settings.epochs(), data, null);
                int[] predicted = predict(trainer, images(manager, test), settings.batchSize());
                return new Result(arm, seed, classIoU(predicted, masks(test.pixels, test.count)), listener.getTrainingHistory());
            }
        }
    }

    /** The images as {@code [count, 1, 28, 28]}. */
    private static NDArray images(NDManager manager, FashionMnistArrays data) {
        return manager.create(data.pixels, new Shape(data.count, 1, FashionMnistArrays.SIDE, FashionMnistArrays.SIDE));
    }

    private static int[] predict(Trainer trainer, NDArray x, int batchSize) {
        long n = x.getShape().get(0);
        int[] out = new int[Math.toIntExact(n * FashionMnistArrays.PIXELS)];
        int pos = 0;
        for (long from = 0; from < n; from += batchSize) {
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray batch = x.get(from + ":" + Math.min(n, from + batchSize));
                batch.attach(scope);
                NDList logits = trainer.evaluate(new NDList(batch));
                logits.attach(scope);
                long[] classes = logits.singletonOrThrow().argMax(1).toLongArray();
                for (long c : classes) {
                    out[pos++] = (int) c;
                }
            }
        }
        return out;
    }

    /**
     * The per-pixel class of each image.
     * @param pixels {@code [count * 784]} pixel values in [0, 1].
     * @param count Number of images.
     * @return {@code [count * 784]} classes: {@link #BACKGROUND}, {@link #EDGE} or {@link #BODY}.
     */
    static int[] masks(float[] pixels, int count) {
        int side = FashionMnistArrays.SIDE;
        int[] mask = new int[count * FashionMnistArrays.PIXELS];
        for (int i = 0; i < count; i++) {
            int base = i * FashionMnistArrays.PIXELS;
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    int p = base + r * side + c;
                    if (pixels[p] <= FOREGROUND) {
                        mask[p] = BACKGROUND;
                    } else {
                        boolean edge = r == 0 || c == 0 || r == side - 1 || c == side - 1
                                || pixels[p - side] <= FOREGROUND || pixels[p + side] <= FOREGROUND
                                || pixels[p - 1] <= FOREGROUND || pixels[p + 1] <= FOREGROUND;
                        mask[p] = edge ? EDGE : BODY;
                    }
                }
            }
        }
        return mask;
    }

    /**
     * A tiny fully-convolutional network: {@code [N, 1, 28, 28]} images to {@code [N, 3, 28, 28]}
     * logits (two 3x3 convolutions with 16 channels and ReLU, then a 1x1 convolution).
     * @return The block.
     */
    static Block network() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(16).build())
                .add(Activation::relu)
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(16).build())
                .add(Activation::relu)
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(CLASSES).build());
    }

    /**
     * Per-pixel softmax cross-entropy for NCHW logits: DJL's softmax cross-entropy takes the class
     * axis to be the last one by default, so it is set to 1 here. Labels are {@code [N, 1, H, W]}
     * class indices (DJL picks along the class axis, so the labels keep a size-1 class axis); the value is the mean over all pixels of \( -\log \mathrm{softmax}(z)_{y} \).
     * @return The loss.
     */
    static Loss pixelCrossEntropy() {
        return Loss.softmaxCrossEntropyLoss("PixelCrossEntropy", 1f, 1, true, true);
    }

    /**
     * Intersection over union of each class.
     * @param predicted Predicted classes.
     * @param truth True classes.
     * @return IoU per class, NaN for a class absent from both.
     */
    static double[] classIoU(int[] predicted, int[] truth) {
        long[] intersection = new long[CLASSES];
        long[] union = new long[CLASSES];
        for (int i = 0; i < truth.length; i++) {
            if (predicted[i] == truth[i]) {
                intersection[truth[i]]++;
                union[truth[i]]++;
            } else {
                union[truth[i]]++;
                union[predicted[i]]++;
            }
        }
        double[] iou = new double[CLASSES];
        for (int k = 0; k < CLASSES; k++) {
            iou[k] = union[k] == 0 ? Double.NaN : (double) intersection[k] / union[k];
        }
        return iou;
    }
}
