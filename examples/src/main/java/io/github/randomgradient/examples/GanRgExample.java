package io.github.randomgradient.examples;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.djl.DJLEngine;
import io.github.randomgradient.djl.rg.RandomGradientListener;
import io.github.randomgradient.djl.rg.RandomGradientLoss;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.rg.ConstantLossScale;
import io.github.randomgradient.rg.LossScale;
import io.github.randomgradient.rg.UniformLossScale;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Random Gradient in a GAN, as in the paper's pix2pix setting: two DJL {@link Trainer}s, Adam for
 * both (learning rate 2e-4, beta1 0.5, pix2pix's values), and the loss scale applied to the
 * generator's loss only. A small MLP-GAN learns Fashion-MNIST images (scaled to [-1, 1]).
 * <p>
 * Each iteration takes one discriminator (D) step, then one generator (G) step:
 * <ul>
 *     <li>D: \( \frac{1}{2}(\mathrm{BCE}(D(x), 1) + \mathrm{BCE}(D(G(z)), 0)) \), with the fake batch
 *     built under {@code stopGradient}, so D's backward leaves no gradient on G;</li>
 *     <li>G: \( u_t \cdot \mathrm{BCE}(D(G(z)), 1) \) through a {@link RandomGradientLoss}. G's loss
 *     flows through D, and in DJL a parameter's gradient is cleared only by the step of the
 *     optimiser that owns it, so D's parameters are frozen during G's step: otherwise D's next
 *     update would add gradients (scaled by \( u_t \)) from G's step.</li>
 * </ul>
 * Only one gradient collector is open at a time (DJL allows one per JVM).
 * <p>
 * Recorded per arm: D's and G's unscaled losses per step, G's {@link TrainingHistory}, a quality
 * proxy (mean Euclidean distance from generated images to their nearest training image, next to
 * the same figure for real test images) and an 8x8 PNG grid of samples.
 * <p>
 * Usage: {@code GanRgExample [DATA_DIR] [OUTPUT_DIR=gan-rg]}.
 */
public final class GanRgExample {

    /** Size of the latent noise vector. */
    static final int LATENT = 32;
    /** Hidden units of both networks. */
    static final int HIDDEN = 256;
    /** Adam learning rate (pix2pix). */
    static final float LEARNING_RATE = 2e-4f;
    /** Adam beta1 (pix2pix). */
    static final float BETA1 = 0.5f;
    private static final int GRID = 8;

    /**
     * Sizes of one comparison.
     * @param trainImages Training images.
     * @param epochs Epochs.
     * @param batchSize Mini-batch size.
     * @param seed Seed of DJL's initialisation, shuffling and noise, and of the loss-scale sampler.
     */
    record Settings(int trainImages, int epochs, int batchSize, long seed) {
    }

    /** About a minute on one CPU core. */
    static final Settings DEFAULT = new Settings(5000, 12, 32, 1);

    /**
     * One arm's results.
     * @param arm {@code baseline} or {@code rg}.
     * @param discriminatorLosses D's loss per step.
     * @param generatorLosses G's unscaled loss per step.
     * @param generatorHistory G's history from the {@link RandomGradientListener}.
     * @param nearestNeighbourDistance Mean distance from a generated image to its nearest training image.
     * @param grid The PNG grid of samples.
     */
    record Result(String arm, float[] discriminatorLosses, float[] generatorLosses, TrainingHistory generatorHistory,
                  double nearestNeighbourDistance, Path grid) {
    }

    private GanRgExample() {}

    /**
     * Entry point.
     * @param args [DATA_DIR] [OUTPUT_DIR].
     * @throws IOException If data cannot be read or results written.
     * @throws TranslateException If DJL fails to batch the data.
     */
    public static void main(String[] args) throws IOException, TranslateException {
        run(ExampleData.dir(args), Paths.get(args.length > 1 ? args[1] : "gan-rg"), DEFAULT, System.out);
    }

    /**
     * Trains the baseline and the RG generator and writes their results.
     * @param dir The data directory.
     * @param output The output directory.
     * @param settings The sizes.
     * @param out Where the figures go.
     * @return Baseline then RG.
     * @throws IOException If data cannot be read or results written.
     * @throws TranslateException If DJL fails to batch the data.
     */
    static List<Result> run(IdxDirectory dir, Path output, Settings settings, PrintStream out) throws IOException, TranslateException {
        DJLEngine.engine(1);
        FashionMnistArrays train = FashionMnistArrays.load(dir, "train", settings.trainImages());
        FashionMnistArrays test = FashionMnistArrays.load(dir, "t10k", 256);
        List<Result> results = new ArrayList<>();
        String[] arms = {"baseline", "rg"};
        LossScale[] scales = {new ConstantLossScale(1.0), new UniformLossScale(0, 1)};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray trainImages = signed(manager, train);
            double realDistance = nearestNeighbourDistance(signed(manager, test), trainImages);
            for (int a = 0; a < arms.length; a++) {
                Result r = train(arms[a], scales[a], trainImages, output, settings);
                results.add(r);
                out.printf(Locale.ROOT, "%-8s G loss scale %s: last 10%% of steps mean D loss %.4f, G loss %.4f; nearest-training-image "
                                + "distance of samples %.3f (real test images: %.3f); samples in %s%n", arms[a], scales[a].describe(),
                        tailMean(r.discriminatorLosses()), tailMean(r.generatorLosses()), r.nearestNeighbourDistance(),
                        realDistance, r.grid());
            }
        }
        return results;
    }

    private static Result train(String arm, LossScale scale, NDArray images, Path output, Settings settings)
            throws IOException, TranslateException {
        Engine.getInstance().setRandomSeed((int) settings.seed());
        int stepsPerEpoch = Math.toIntExact((images.getShape().get(0) + settings.batchSize() - 1) / settings.batchSize());
        float[] dLosses = new float[stepsPerEpoch * settings.epochs()];
        int step = 0;
        try (Gan gan = new Gan(scale, settings.seed(), settings.batchSize())) {
            ArrayDataset data = new ArrayDataset.Builder().setData(images)
                    .setSampling(settings.batchSize(), true).build();
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                for (Batch batch : gan.discriminatorTrainer.iterateDataset(data)) {
                    NDArray real = batch.getData().head();
                    long n = real.getShape().get(0);
                    dLosses[step++] = gan.discriminatorStep(real, gan.noise(n));
                    gan.generatorStep(gan.noise(n), true);
                    batch.close();
                }
                gan.generatorTrainer.notifyListeners(l -> l.onEpoch(gan.generatorTrainer));
            }
            TrainingHistory history = gan.listener.getTrainingHistory();
            float[] gLosses = new float[step];
            int pos = 0;
            for (var e : history.epochs()) {
                System.arraycopy(e.stepLosses(), 0, gLosses, pos, e.steps());
                pos += e.steps();
            }
            NDArray samples = gan.sample(256);
            double distance = nearestNeighbourDistance(samples, images);
            RunFiles files = RunFiles.of(output, arm, settings.seed());
            files.writeJson(RunFiles.HISTORY, history);
            Map<String, Object> losses = new LinkedHashMap<>();
            losses.put("discriminatorLoss", dLosses);
            losses.put("generatorLoss", gLosses);
            losses.put("generatorLossScale", gan.listener.getDraws());
            losses.put("nearestTrainingImageDistance", distance);
            files.writeJson("gan-losses.json", losses);
            Path grid = files.file("samples.png");
            writeGrid(samples.get("0:" + GRID * GRID).toFloatArray(), grid);
            return new Result(arm, dLosses, gLosses, history, distance, grid);
        }
    }

    /**
     * The two networks, their trainers and one iteration's steps.
     */
    static final class Gan implements AutoCloseable {
        final Model generator;
        final Model discriminator;
        final Trainer generatorTrainer;
        final Trainer discriminatorTrainer;
        final RandomGradientLoss generatorLoss;
        final RandomGradientListener listener;
        private final Loss bce = Loss.sigmoidBinaryCrossEntropyLoss();

        /**
         * Builds both networks and trainers; DJL's random seed must be set before.
         * @param generatorScale The generator's loss scale.
         * @param seed The loss-scale sampler's seed.
         * @param batchSize Mini-batch size used to initialise the networks.
         */
        Gan(LossScale generatorScale, long seed, int batchSize) {
            generator = Model.newInstance("generator");
            generator.setBlock(generatorBlock());
            discriminator = Model.newInstance("discriminator");
            discriminator.setBlock(discriminatorBlock());
            generatorLoss = RandomGradientLoss.builder().setLoss(Loss.sigmoidBinaryCrossEntropyLoss("GeneratorLoss"))
                    .setLossScale(generatorScale).optSeed(seed).build();
            listener = RandomGradientListener.builder().setLoss(generatorLoss).build();
            generatorTrainer = generator.newTrainer(new DefaultTrainingConfig(generatorLoss).optOptimizer(adam())
                    .addTrainingListeners(listener));
            discriminatorTrainer = discriminator.newTrainer(new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss("DiscriminatorLoss"))
                    .optOptimizer(adam()));
            generatorTrainer.initialize(new Shape(batchSize, LATENT));
            discriminatorTrainer.initialize(new Shape(batchSize, FashionMnistArrays.PIXELS));
        }

        private static Optimizer adam() {
            return Optimizer.adam().optLearningRateTracker(Tracker.fixed(LEARNING_RATE)).optBeta1(BETA1).build();
        }

        /** Standard normal noise {@code [n, LATENT]}, attached to the generator trainer's manager. */
        NDArray noise(long n) {
            return generatorTrainer.getManager().randomNormal(new Shape(n, LATENT));
        }

        /**
         * One discriminator step on real images and G(noise), the fake batch cut from G's graph.
         * @param real {@code [n, 784]} images in [-1, 1].
         * @param noise {@code [n, LATENT]}.
         * @return D's loss.
         */
        float discriminatorStep(NDArray real, NDArray noise) {
            try (NDManager scope = discriminatorTrainer.getManager().newSubManager()) {
                NDArray fake = generatorTrainer.forward(new NDList(noise)).head().stopGradient();
                fake.attach(scope);
                return discriminatorUpdate(real, fake);
            }
        }

        /**
         * One discriminator step on given real and fake images.
         * @param real {@code [n, 784]} real images in [-1, 1].
         * @param fake {@code [n, 784]} generated images, without a gradient graph.
         * @return D's loss.
         */
        float discriminatorUpdate(NDArray real, NDArray fake) {
            try (NDManager scope = discriminatorTrainer.getManager().newSubManager()) {
                float value;
                try (GradientCollector collector = discriminatorTrainer.newGradientCollector()) {
                    NDArray realLogits = discriminatorTrainer.forward(new NDList(real)).head();
                    NDArray fakeLogits = discriminatorTrainer.forward(new NDList(fake)).head();
                    NDArray loss = bce.evaluate(new NDList(scope.ones(realLogits.getShape())), new NDList(realLogits))
                            .add(bce.evaluate(new NDList(scope.zeros(fakeLogits.getShape())), new NDList(fakeLogits))).mul(0.5f);
                    loss.attach(scope);
                    realLogits.attach(scope);
                    fakeLogits.attach(scope);
                    collector.backward(loss);
                    value = loss.getFloat();
                }
                discriminatorTrainer.step();
                return value;
            }
        }

        /**
         * One generator step: \( u_t \cdot \mathrm{BCE}(D(G(z)), 1) \), then G's update only.
         * @param noise {@code [n, LATENT]}.
         * @param freezeDiscriminator Freeze D during the step (always, except in the test that shows why).
         */
        void generatorStep(NDArray noise, boolean freezeDiscriminator) {
            discriminator.getBlock().freezeParameters(freezeDiscriminator);
            try (NDManager scope = generatorTrainer.getManager().newSubManager()) {
                NDList labels;
                NDList logits;
                try (GradientCollector collector = generatorTrainer.newGradientCollector()) {
                    NDArray fake = generatorTrainer.forward(new NDList(noise)).head();
                    logits = discriminatorTrainer.forward(new NDList(fake));
                    labels = new NDList(scope.ones(logits.head().getShape()));
                    NDArray loss = generatorTrainer.getLoss().evaluate(labels, logits);
                    loss.attach(scope);
                    logits.attach(scope);
                    collector.backward(loss);
                }
                Device device = logits.head().getDevice();
                TrainingListener.BatchData batchData = new TrainingListener.BatchData(null, Map.of(device, labels), Map.of(device, logits));
                generatorTrainer.notifyListeners(l -> l.onTrainingBatch(generatorTrainer, batchData));
                generatorTrainer.step();
            } finally {
                discriminator.getBlock().freezeParameters(false);
            }
        }

        /** {@code n} generated images {@code [n, 784]} in [-1, 1], on the generator trainer's manager. */
        NDArray sample(int n) {
            return generatorTrainer.evaluate(new NDList(noise(n))).head();
        }

        @Override
        public void close() {
            generatorTrainer.close();
            discriminatorTrainer.close();
            generator.close();
            discriminator.close();
        }
    }

    /**
     * The generator: {@code [N, LATENT]} noise to {@code [N, 784]} images in [-1, 1] (tanh).
     * @return The block.
     */
    static Block generatorBlock() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(HIDDEN).build())
                .add(x -> Activation.leakyRelu(x, 0.2f))
                .add(Linear.builder().setUnits(FashionMnistArrays.PIXELS).build())
                .add(Activation::tanh);
    }

    /**
     * The discriminator: {@code [N, 784]} images to {@code [N, 1]} logits.
     * @return The block.
     */
    static Block discriminatorBlock() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(HIDDEN).build())
                .add(x -> Activation.leakyRelu(x, 0.2f))
                .add(Linear.builder().setUnits(1).build());
    }

    /** Images {@code [count, 784]} scaled to [-1, 1]. */
    private static NDArray signed(NDManager manager, FashionMnistArrays data) {
        return manager.create(data.pixels, new Shape(data.count, FashionMnistArrays.PIXELS)).mul(2).sub(1);
    }

    /**
     * Mean Euclidean distance from each row of {@code a} to its nearest row of {@code b}.
     * @param a {@code [n, d]}.
     * @param b {@code [m, d]}.
     * @return The mean distance (pixel units of the [-1, 1] scale).
     */
    static double nearestNeighbourDistance(NDArray a, NDArray b) {
        try (NDManager scope = a.getManager().newSubManager()) {
            NDArray aa = a.square().sum(new int[]{1}, true);
            NDArray bb = b.square().sum(new int[]{1}, true).transpose();
            NDArray d2 = aa.add(bb).sub(a.matMul(b.transpose()).mul(2)).maximum(0f);
            d2.attach(scope);
            NDArray nearest = d2.min(new int[]{1}).sqrt().mean();
            nearest.attach(scope);
            return nearest.getFloat();
        }
    }

    private static float tailMean(float[] xs) {
        int from = Math.max(0, xs.length - Math.max(1, xs.length / 10));
        double sum = 0;
        for (int i = from; i < xs.length; i++) {
            sum += xs[i];
        }
        return (float) (sum / (xs.length - from));
    }

    /** Writes {@code GRID x GRID} images in [-1, 1] as a grey PNG with 2-pixel gaps. */
    static void writeGrid(float[] pixels, Path file) throws IOException {
        int side = FashionMnistArrays.SIDE;
        int cell = side + 2;
        BufferedImage image = new BufferedImage(GRID * cell + 2, GRID * cell + 2, BufferedImage.TYPE_BYTE_GRAY);
        for (int k = 0; k < GRID * GRID; k++) {
            int top = 2 + (k / GRID) * cell;
            int left = 2 + (k % GRID) * cell;
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    float v = pixels[k * FashionMnistArrays.PIXELS + r * side + c];
                    int grey = Math.max(0, Math.min(255, Math.round((v + 1) * 127.5f)));
                    image.getRaster().setSample(left + c, top + r, 0, grey);
                }
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }
}
