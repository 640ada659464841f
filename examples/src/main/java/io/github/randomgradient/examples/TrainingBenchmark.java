package io.github.randomgradient.examples;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.randomgradient.djl.DJLEngine;
import io.github.randomgradient.djl.DJLTrainer;
import io.github.randomgradient.djl.LastBatch;
import io.github.randomgradient.djl.MemoryFormat;
import io.github.randomgradient.djl.block.CNNBlockFactory;
import io.github.randomgradient.djl.convert.FeatureConverter;
import io.github.randomgradient.djl.convert.ImageConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.data.DataChecks;
import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.djl.train.TensorData;
import io.github.randomgradient.rg.ConstantLossScale;
import io.github.randomgradient.rg.LossScale;
import io.github.randomgradient.rg.UniformLossScale;
import org.tribuo.Dataset;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Training throughput of {@link DJLTrainer} against a bare DJL loop, for the same CNN (the configs'
 * {@code cnn}: channels 16 and 32, batch normalisation, 128 hidden units), the same data (the bundled
 * 10,000 Fashion-MNIST images, or a directory given as the first argument), the same mini-batch size
 * (32) and the same number of steps (one epoch). It prints samples per second (median of
 * {@code repeats} timed runs after one warm-up), the RG/baseline time ratio, the DJLTrainer/bare-loop
 * ratio, and the resident memory after each run (flat if native memory is released every step).
 * First it prints the data figure: the seconds to load and convert the training data by the fast
 * path ({@code IdxImageDataSource}) and by Tribuo's {@code IDXDataSource} ({@link #dataLoad}).
 * <p>
 * The bare loop runs on tensors built beforehand: shuffled mini-batches gathered from one
 * {@code [N, 1, 28, 28]} tensor, forward, softmax cross-entropy, backward, SGD step, in a per-step
 * {@code NDManager}. DJLTrainer also converts the Tribuo dataset, draws the loss scale, keeps the
 * unscaled loss and training accuracy per step, checks the loss, gradients and updated parameters
 * are finite, and applies the torch.optim update itself.
 * <p>
 * Run from the repository root: {@code java -cp "examples/target/tribuo-rg-examples.jar:examples/target/lib/*"
 * io.github.randomgradient.examples.TrainingBenchmark [DATA_DIR [repeats [threads]]]}.
 */
public final class TrainingBenchmark {

    private static final int BATCH = 32;
    private static final float LEARNING_RATE = 0.05f;
    private static final float MOMENTUM = 0.9f;

    private TrainingBenchmark() {}

    private static final CNNBlockFactory CNN = new CNNBlockFactory(new int[]{16, 32}, 3, true, 128, 0f);
    private static final long[] EXAMPLE = {1, 28, 28};
    private static final ImageConverter IMAGES = new ImageConverter(28, 28, 1, new float[]{72.94f}, new float[]{90.02f});

    /**
     * Entry point.
     * @param args [DATA_DIR [repeats [threads [MEMORY_FORMAT]]]]; defaults: the bundled subset, 3, 1, CONTIGUOUS
     *             (CHANNELS_LAST runs DJLTrainer and the bare loop channels-last).
     * @throws IOException If /proc cannot be read.
     */
    public static void main(String[] args) throws IOException {
        String[] dataArgs = args.length > 0 ? new String[]{args[0]} : new String[0];
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        dataLoad(ExampleData.dir(dataArgs));
        MemoryFormat format = args.length > 3 ? MemoryFormat.valueOf(args[3]) : MemoryFormat.CONTIGUOUS;
        Dataset<Label> train = ExampleData.train(dataArgs);
        int n = train.size();
        int steps = (n + BATCH - 1) / BATCH;
        System.out.printf("Benchmark: CNN %s, %d examples, batch %d, %d steps (1 epoch) per run, %d timed runs, %d PyTorch thread(s), "
                + "memory format %s%n", CNN, n, BATCH, steps, repeats, threads, format);
        DJLEngine.engine(threads);

        double rg = median(time(repeats, () -> trainer(UniformLossScale.paperDefault(), threads, format).train(train)), n, "DJLTrainer, RG U[0,1)");
        double base = median(time(repeats, () -> trainer(ConstantLossScale.baseline(), threads, format).train(train)), n, "DJLTrainer, baseline");
        float[] nchw = new float[n * 784];
        FeatureConverter.Plan plan = IMAGES.plan(train.getFeatureIDMap());
        plan.fill(train.getData(), nchw);
        float[] x = format.toStored(nchw, EXAMPLE);
        float[] y = new float[n];
        new LabelConverter().fillTargets(train.getData(), train.getOutputIDInfo(), y);
        double bare = median(time(repeats, () -> bareLoop(x, y, n, format)), n, "bare DJL loop");

        System.out.printf("%nRG / baseline time ratio:            %.3f (1.0 = RG costs nothing)%n", base / rg);
        System.out.printf("DJLTrainer (baseline) / bare loop:   %.3f (time ratio; 1.0 = no overhead)%n", bare / base);
        System.out.printf("DJLTrainer (RG) / bare loop:         %.3f%n", bare / rg);
    }

    /**
     * The data figure: wall seconds to load the training split and convert it into the training
     * tensor's floats, by the fast path ({@code IdxImageDataSource}, a {@code DenseImageDataset} read
     * by the converter from its pixel array) and by Tribuo's {@code IDXDataSource} and
     * {@code MutableDataset} converted example by example (what every command did before), with the
     * Java heap in use after each. The fast path runs first, so the other's garbage does not slow it.
     */
    private static void dataLoad(IdxDirectory dir) {
        LabelConverter labels = new LabelConverter();
        System.out.println("Data: load the training split and convert it to the training tensor's floats");
        for (String path : new String[]{"IdxImageDataSource + DenseImageDataset", "IDXDataSource + MutableDataset"}) {
            System.gc();
            long start = System.nanoTime();
            Dataset<Label> data = path.startsWith("Idx") ? dir.load("train")
                    : DataChecks.load(dir.train(), "training data", Optional.of(dir.check("train")));
            double load = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            TensorData.of(data, IMAGES.plan(data.getFeatureIDMap()), labels, data.getOutputIDInfo(), "training");
            double convert = (System.nanoTime() - start) / 1e9;
            Runtime rt = Runtime.getRuntime();
            System.out.printf("  %-40s load %6.2f s + convert %5.2f s = %6.2f s (%d images; Java heap in use %d MiB)%n", path, load,
                    convert, load + convert, data.size(), (rt.totalMemory() - rt.freeMemory()) >> 20);
        }
    }

    private static DJLTrainer<Label> trainer(LossScale scale, int threads, MemoryFormat format) {
        return DJLTrainer.builder(CNN, IMAGES, new LabelConverter()).optLossScale(scale).optLearningRate(LEARNING_RATE)
                .optMomentum(MOMENTUM).optBatchSize(BATCH).optLastBatch(LastBatch.KEEP) // the bare loop keeps the short last mini-batch too
                .optEpochs(1).optSeed(1L).optDevice("cpu").optNumThreads(threads).optMemoryFormat(format).build();
    }

    /** One epoch of a plain DJL training loop on pre-built tensors (features in {@code format}'s stored order). */
    private static void bareLoop(float[] features, float[] labels, int n, MemoryFormat format) {
        try (Model model = Model.newInstance("bare", Device.cpu(), DJLEngine.ENGINE_NAME)) {
            model.setBlock(CNN.newBlock(new long[]{1, 28, 28}, 10));
            Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(LEARNING_RATE)).optMomentum(MOMENTUM).build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(sgd))) {
                trainer.initialize(new Shape(1, 1, 28, 28));
                NDManager data = trainer.getManager().newSubManager();
                NDArray x = data.create(features, new Shape(format.storedShape(n, EXAMPLE)));
                NDArray y = data.create(labels, new Shape(n)).toType(DataType.INT64, false);
                long[] order = new long[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                SplittableRandom rng = new SplittableRandom(1L);
                for (int i = n - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    long t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                for (int from = 0; from < n; from += BATCH) {
                    try (NDManager step = trainer.getManager().newSubManager()) {
                        NDArray index = step.create(Arrays.copyOfRange(order, from, Math.min(n, from + BATCH)));
                        NDArray stored = x.get(index);
                        stored.attach(step);
                        NDArray xb = format.toInput(stored, EXAMPLE);
                        xb.attach(step);
                        NDArray yb = y.get(index);
                        yb.attach(step);
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDList predictions = trainer.forward(new NDList(xb));
                            collector.backward(trainer.getLoss().evaluate(new NDList(yb), predictions));
                        }
                        trainer.step();
                    }
                }
                data.close();
            }
        }
    }

    private static List<Double> time(int repeats, Runnable run) throws IOException {
        run.run(); // warm-up
        Double[] seconds = new Double[repeats];
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            run.run();
            seconds[r] = (System.nanoTime() - start) / 1e9;
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("    run %d: %.2f s, resident memory %d MiB (Java heap used %d MiB)%n", r + 1, seconds[r], residentMiB(),
                    (rt.totalMemory() - rt.freeMemory()) >> 20);
        }
        return Arrays.asList(seconds);
    }

    private static double median(List<Double> seconds, int n, String name) {
        double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double m = s[s.length / 2];
        System.out.printf("%-24s %8.0f samples/s (median %.2f s per epoch)%n", name, n / m, m);
        return n / m;
    }

    private static long residentMiB() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
