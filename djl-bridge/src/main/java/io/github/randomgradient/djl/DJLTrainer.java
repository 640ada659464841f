package io.github.randomgradient.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import io.github.randomgradient.config.ConfigChecks;
import io.github.randomgradient.config.PreflightCheckable;
import io.github.randomgradient.djl.block.BlockFactory;
import io.github.randomgradient.djl.convert.FeatureConverter;
import io.github.randomgradient.djl.convert.OutputConverter;
import io.github.randomgradient.djl.optim.LearningRateSchedule;
import io.github.randomgradient.djl.optim.OptimiserType;
import io.github.randomgradient.djl.optim.Optimisers;
import io.github.randomgradient.history.DivergedRunException;
import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.history.HeldOutEvaluatingTrainer;
import io.github.randomgradient.rg.ConstantLossScale;
import io.github.randomgradient.rg.LossScale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Output;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SkeletalTrainerProvenance;
import org.tribuo.provenance.TrainerProvenance;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * A Tribuo {@link org.tribuo.Trainer} that trains a DJL network on DJL's PyTorch engine, with a
 * configurable loss scale: Random Gradient (RG) when {@code lossScale} is a
 * {@link io.github.randomgradient.rg.UniformLossScale}, the baseline when it is
 * {@code ConstantLossScale(1.0)} (the default).
 * <p>
 * The dataset is converted once into dense float tensors ({@code [N, ...exampleShape]} inputs,
 * {@code [N, targetWidth]} targets). Each epoch the examples are shuffled from the seed and cut into
 * mini-batches of {@code batchSize}. For each mini-batch the trainer runs the forward pass,
 * computes the mean loss, keeps the <em>unscaled</em> loss for the history, back-propagates
 * {@code loss * u} with one loss-scale draw {@code u} per mini-batch, and takes the optimiser step.
 * Each step has its own {@link NDManager} scope, so native memory stays flat. Weight decay is the
 * optimiser's, so it is not scaled by {@code u}; RG's mean factor \( E[u] \) scales the mean step,
 * so compare against a baseline at {@code learningRate * E[u]}.
 * <p>
 * With {@code numDevices > 1} each mini-batch is split across the devices (DJL data parallelism):
 * every split's loss is weighted by its share of the mini-batch before {@code backward}, DJL's
 * parameter server sums the gradients, and the update equals the single-device one. The splits run
 * sequentially inside one gradient collector, avoiding the executor path of DJL's
 * {@code EasyTrain} whose gradients can be lost (DJL issue #2459).
 * <p>
 * A NaN or infinite loss is handled by {@code divergencePolicy}: {@code FAIL} throws a
 * {@link DivergedRunException} naming the epoch, step, loss, learning rate and loss scale;
 * {@code STOP} returns a model with the last finite parameters, flagged as diverged. DJL allows one
 * gradient collector per JVM, so concurrent {@code train} calls queue on a JVM-wide lock.
 * <p>
 * Every setting is an OLCUT {@code @Config} field, so the model's provenance records the loss
 * scale and its range, learning rate, momentum, optimiser, schedule, seed and device; the trainer
 * provenance adds the DJL and PyTorch versions, the devices used and the thread count.
 * <pre>
 * Reference: "Fast, Better Training Trick: Random Gradient", section 4 (RG) and section 5
 * (SGD, lr 0.1, momentum 0.5 on CIFAR; poly lr with power 0.9 on Pascal VOC).
 * </pre>
 *
 * @param <T> The output type.
 */
public final class DJLTrainer<T extends Output<T>> implements HeldOutEvaluatingTrainer<T>, PreflightCheckable<T> {

    private static final Logger logger = Logger.getLogger(DJLTrainer.class.getName());

    /** DJL allows one gradient collector per JVM: training runs hold this lock. */
    private static final ReentrantLock TRAINING_LOCK = new ReentrantLock(true);

    @Config(mandatory = true, description = "Builds the network.")
    private BlockFactory blockFactory;

    @Config(mandatory = true, description = "Converts features into the network input.")
    private FeatureConverter featureConverter;

    @Config(mandatory = true, description = "Converts outputs into targets and network outputs into predictions; chooses the loss.")
    private OutputConverter<T> outputConverter;

    @Config(description = "Loss scale drawn once per mini-batch; ConstantLossScale(1.0), the baseline, by default.")
    private LossScale lossScale = ConstantLossScale.baseline();

    @Config(description = "Optimiser: SGD, NESTEROV or ADAM.")
    private OptimiserType optimiser = OptimiserType.SGD;

    @Config(description = "Base learning rate (per step), > 0.")
    private float learningRate = 0.1f;

    @Config(description = "Momentum for SGD and NESTEROV, in [0, 1).")
    private float momentum = 0.9f;

    @Config(description = "Adam's first-moment decay, in [0, 1).")
    private float beta1 = 0.9f;

    @Config(description = "Adam's second-moment decay, in [0, 1).")
    private float beta2 = 0.999f;

    @Config(description = "The optimiser's L2 weight decay, >= 0 (not scaled by the loss scale).")
    private float weightDecay = 0.0f;

    @Config(description = "Learning-rate schedule: FIXED, POLY, STEP or COSINE.")
    private LearningRateSchedule lrSchedule = LearningRateSchedule.FIXED;

    @Config(description = "Exponent of the POLY schedule, > 0.")
    private float lrPower = 0.9f;

    @Config(description = "Period in epochs of the STEP schedule, >= 1.")
    private int stepEpochs = 10;

    @Config(description = "Factor of the STEP schedule, in (0, 1].")
    private float stepGamma = 0.1f;

    @Config(description = "Number of passes over the training data, >= 1.")
    private int epochs = 10;

    @Config(description = "Mini-batch size (examples per optimiser step), >= 1.")
    private int batchSize = 64;

    @Config(description = "Seed for parameter initialisation, shuffling and the loss scale.")
    private long seed = org.tribuo.Trainer.DEFAULT_SEED;

    @Config(description = "Device: auto (a GPU if DJL finds one, else the CPU), cpu, gpu or gpu:N.")
    private String device = "auto";

    @Config(description = "Devices for data parallelism (GPUs), >= 1.")
    private int numDevices = 1;

    @Config(description = "PyTorch intra-op threads, >= 1.")
    private int numThreads = 1;

    @Config(description = "What to do on a NaN or infinite loss: FAIL (throw) or STOP (return the last finite parameters).")
    private DivergencePolicy divergencePolicy = DivergencePolicy.FAIL;

    @Config(description = "Examples per forward pass when predicting, >= 1.")
    private int inferenceBatchSize = 256;

    private SplittableRandom rng;

    private int trainInvocationCounter = 0;

    /** Splits per device of each mini-batch; more than 1 only in tests of the data-parallel path. */
    private int splitsPerDevice = 1;

    /**
     * For OLCUT.
     */
    private DJLTrainer() {}

    private DJLTrainer(Builder<T> b) {
        this.blockFactory = b.blockFactory;
        this.featureConverter = b.featureConverter;
        this.outputConverter = b.outputConverter;
        this.lossScale = b.lossScale;
        this.optimiser = b.optimiser;
        this.learningRate = b.learningRate;
        this.momentum = b.momentum;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.weightDecay = b.weightDecay;
        this.lrSchedule = b.lrSchedule;
        this.lrPower = b.lrPower;
        this.stepEpochs = b.stepEpochs;
        this.stepGamma = b.stepGamma;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.device = b.device;
        this.numDevices = b.numDevices;
        this.numThreads = b.numThreads;
        this.divergencePolicy = b.divergencePolicy;
        this.inferenceBatchSize = b.inferenceBatchSize;
    }

    /**
     * Starts building a trainer (DJL style: {@code set} for what is required, {@code opt} for the rest).
     * @param blockFactory Builds the network.
     * @param featureConverter Converts features to the network input.
     * @param outputConverter Converts outputs and chooses the loss.
     * @param <T> The output type.
     * @return A builder with the defaults of the {@code @Config} fields.
     */
    public static <T extends Output<T>> Builder<T> builder(BlockFactory blockFactory, FeatureConverter featureConverter,
                                                           OutputConverter<T> outputConverter) {
        return new Builder<T>().setBlockFactory(blockFactory).setFeatureConverter(featureConverter).setOutputConverter(outputConverter);
    }

    /**
     * Test hook for the data-parallel path on a machine without several GPUs: each mini-batch is
     * split {@code splits} times per device, exactly as it is split across devices, so the
     * accumulation and weighting of split gradients can be checked against the unsplit update.
     * @param splits Splits per device, at least 1.
     */
    void setSplitsPerDeviceForTesting(int splits) {
        if (splits < 1) {
            throw new IllegalArgumentException("splits must be >= 1, found " + splits);
        }
        this.splitsPerDevice = splits;
    }

    /**
     * Validates the configuration and seeds the trainer's random number generator.
     * @throws PropertyException If a field is missing or out of range; the message names the field and value.
     */
    @Override
    public synchronized void postConfig() {
        requireSet("blockFactory", blockFactory);
        requireSet("featureConverter", featureConverter);
        requireSet("outputConverter", outputConverter);
        requireSet("lossScale", lossScale);
        requireSet("optimiser", optimiser);
        requireSet("lrSchedule", lrSchedule);
        requireSet("divergencePolicy", divergencePolicy);
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw bad("learningRate", learningRate, "must be finite and > 0");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw bad("momentum", momentum, "must be in [0, 1)");
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw bad("beta1", beta1, "must be in [0, 1)");
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw bad("beta2", beta2, "must be in [0, 1)");
        }
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw bad("weightDecay", weightDecay, "must be finite and >= 0");
        }
        if (!(lrPower > 0) || !Float.isFinite(lrPower)) {
            throw bad("lrPower", lrPower, "must be finite and > 0");
        }
        if (stepEpochs < 1) {
            throw bad("stepEpochs", stepEpochs, "must be >= 1");
        }
        if (!(stepGamma > 0 && stepGamma <= 1)) {
            throw bad("stepGamma", stepGamma, "must be in (0, 1]");
        }
        if (epochs < 1) {
            throw bad("epochs", epochs, "must be >= 1");
        }
        if (batchSize < 1) {
            throw bad("batchSize", batchSize, "must be >= 1");
        }
        if (!DJLEngine.isValidDevice(device)) {
            throw bad("device", "'" + device + "'", "must be auto, cpu, gpu or gpu:N");
        }
        if (numDevices < 1) {
            throw bad("numDevices", numDevices, "must be >= 1");
        }
        if (numThreads < 1) {
            throw bad("numThreads", numThreads, "must be >= 1");
        }
        if (inferenceBatchSize < 1) {
            throw bad("inferenceBatchSize", inferenceBatchSize, "must be >= 1");
        }
        rng = new SplittableRandom(seed);
    }

    private static void requireSet(String field, Object value) {
        if (value == null) {
            throw new PropertyException("", field, field + " must be set, found null");
        }
    }

    private static PropertyException bad(String field, Object value, String rule) {
        return new PropertyException("", field, field + " " + rule + ", found " + value);
    }

    /**
     * {@inheritDoc}
     * <p>
     * Runs {@code outputConverter.validate}, {@code featureConverter.plan} and, when a GPU or several
     * devices are requested, resolves the devices (which starts the PyTorch engine).
     */
    @Override
    public long[] checkBeforeTraining(ImmutableFeatureMap featureMap, ImmutableOutputInfo<T> outputInfo) {
        try {
            outputConverter.validate(outputInfo);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("outputConverter " + outputConverter + ": " + e.getMessage(), e);
        }
        try {
            featureConverter.plan(featureMap);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("featureConverter " + featureConverter + ": " + e.getMessage(), e);
        }
        if (numDevices > 1 || !device.equals("auto") && !device.equals("cpu")) {
            DJLEngine.resolve(DJLEngine.engine(numThreads), device, numDevices);
        }
        return featureConverter.exampleShape(featureMap);
    }

    @Override
    public DJLModel<T> train(Dataset<T> examples) {
        return train(examples, Collections.emptyMap());
    }

    @Override
    public DJLModel<T> train(Dataset<T> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    /**
     * Trains a model.
     * @param examples The training data.
     * @param runProvenance Extra provenance for this run.
     * @param invocationCount The invocation count to use, or {@link #INCREMENT_INVOCATION_COUNT}.
     * @return The trained model.
     * @throws IllegalArgumentException If the dataset is empty or does not fit the converters or block
     *                                  factory, or the device is unavailable; the message names the field.
     * @throws DivergedRunException If a loss is NaN or infinite and {@code divergencePolicy=FAIL}.
     */
    @Override
    public DJLModel<T> train(Dataset<T> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        return train(examples, null, "", runProvenance, invocationCount);
    }

    /**
     * Trains a model, measuring the metric on {@code heldOut} at the end of every epoch.
     * @param train The training data.
     * @param heldOut Held-out data, evaluated after each epoch; never used for updates.
     * @param heldOutName What the held-out data is ({@code test}, {@code validation}); recorded in the history and logged.
     * @param runProvenance Extra provenance for this run.
     * @return The trained model.
     * @throws IllegalArgumentException As {@link #train(Dataset, Map, int)}, or if the held-out set is empty or its name blank.
     * @throws DivergedRunException If a loss is NaN or infinite and {@code divergencePolicy=FAIL}.
     */
    @Override
    public DJLModel<T> train(Dataset<T> train, Dataset<T> heldOut, String heldOutName, Map<String, Provenance> runProvenance) {
        Objects.requireNonNull(heldOut, "heldOut");
        if (heldOutName == null || heldOutName.isBlank()) {
            throw new IllegalArgumentException("heldOutName must name the held-out data (e.g. test), found '" + heldOutName + "'");
        }
        return train(train, heldOut, heldOutName, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    /** Dense tensors of a dataset, built once per dataset. */
    private static final class DenseData {
        final float[] features;
        final float[] targets;
        final int size;

        DenseData(float[] features, float[] targets, int size) {
            this.features = features;
            this.targets = targets;
            this.size = size;
        }
    }

    private DenseData convert(Dataset<T> data, FeatureConverter.Plan plan, ImmutableOutputInfo<T> outputInfo, String which) {
        List<Example<T>> list = new ArrayList<>(data.size());
        for (Example<T> e : data) {
            list.add(e);
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("the " + which + " dataset is empty: DJLTrainer needs at least one example");
        }
        float[] x = new float[Math.multiplyExact(list.size(), plan.exampleSize())];
        plan.fill(list, x);
        float[] y = new float[list.size() * outputConverter.targetWidth(outputInfo)];
        outputConverter.fillTargets(list, outputInfo, y);
        return new DenseData(x, y, list.size());
    }

    private DJLModel<T> train(Dataset<T> examples, Dataset<T> validation, String heldOutName, Map<String, Provenance> runProvenance, int invocationCount) {
        if (examples.size() == 0) {
            throw new IllegalArgumentException("the training dataset is empty: DJLTrainer needs at least one example");
        }
        if (examples.getOutputInfo().getUnknownCount() > 0) {
            throw new IllegalArgumentException("the training dataset contains unknown outputs; DJLTrainer is supervised");
        }
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        ImmutableOutputInfo<T> outputInfo = examples.getOutputIDInfo();
        outputConverter.validate(outputInfo);
        long[] exampleShape = featureConverter.exampleShape(featureMap);
        FeatureConverter.Plan plan = featureConverter.plan(featureMap);
        int numOutputs = outputConverter.numOutputs(outputInfo);

        // Convert once, before taking the engine.
        DenseData trainData = convert(examples, plan, outputInfo, "training");
        DenseData validData = validation == null ? null : convert(validation, plan, outputInfo, heldOutName);

        Engine engine = DJLEngine.engine(numThreads);
        Device[] devices = DJLEngine.resolve(engine, device, numDevices);

        TrainerProvenance trainerProvenance;
        SplittableRandom localRNG;
        synchronized (this) {
            if (invocationCount != INCREMENT_INVOCATION_COUNT) {
                setInvocationCount(invocationCount);
            }
            localRNG = rng.split();
            trainerProvenance = getProvenance();
            trainInvocationCounter++;
        }

        TRAINING_LOCK.lock();
        try {
            return trainLocked(examples, trainData, validData, featureMap, outputInfo, exampleShape, numOutputs, engine,
                    devices, localRNG, trainerProvenance, runProvenance, heldOutName);
        } finally {
            TRAINING_LOCK.unlock();
        }
    }

    private DJLModel<T> trainLocked(Dataset<T> examples, DenseData data, DenseData validData, ImmutableFeatureMap featureMap,
                                    ImmutableOutputInfo<T> outputInfo, long[] exampleShape, int numOutputs, Engine engine,
                                    Device[] devices, SplittableRandom localRNG, TrainerProvenance trainerProvenance,
                                    Map<String, Provenance> runProvenance, String heldOutName) {
        // Grad mode is thread-local in libtorch: make sure it is off outside the gradient collector.
        JniUtils.setGradMode(false);
        SplittableRandom initRNG = localRNG.split();
        SplittableRandom shuffleRNG = localRNG.split();
        LossScale.Sampler sampler = lossScale.newSampler(localRNG.split());
        engine.setRandomSeed(initRNG.nextInt());

        int n = data.size;
        int stepsPerEpoch = (n + batchSize - 1) / batchSize;
        int totalSteps = Math.multiplyExact(stepsPerEpoch, epochs);
        Tracker tracker = Optimisers.learningRateTracker(lrSchedule, learningRate, totalSteps, stepsPerEpoch, lrPower,
                stepEpochs, stepGamma);
        Optimizer djlOptimiser = Optimisers.optimiser(optimiser, tracker, momentum, beta1, beta2, weightDecay);
        Block block = blockFactory.newBlock(exampleShape, numOutputs);

        long[] batchShape = new long[exampleShape.length + 1];
        batchShape[0] = 1;
        System.arraycopy(exampleShape, 0, batchShape, 1, exampleShape.length);

        List<EpochRecord> records = new ArrayList<>();
        Divergence divergence = null;
        byte[] parameterBytes;
        try (ai.djl.Model djlModel = ai.djl.Model.newInstance("tribuo-rg", devices[0], DJLEngine.ENGINE_NAME)) {
            djlModel.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(outputConverter.loss())
                    .optOptimizer(djlOptimiser)
                    .optDevices(devices);
            try (Trainer trainer = djlModel.newTrainer(config)) {
                trainer.initialize(new Shape(batchShape));
                NDManager dataManager = trainer.getManager().newSubManager();
                Map<Device, NDArray[]> onDevice = new HashMap<>();
                for (Device d : devices) {
                    onDevice.put(d, toTensors(dataManager, d, data, exampleShape, outputInfo));
                }
                NDArray[] validTensors = validData == null ? null : toTensors(dataManager, devices[0], validData, exampleShape, outputInfo);

                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                Device[] splitDevices = new Device[devices.length * splitsPerDevice];
                for (int i = 0; i < splitDevices.length; i++) {
                    splitDevices[i] = devices[i % devices.length];
                }
                long globalStep = 0;
                byte[] epochStart = null;
                double trainSeconds = 0;
                for (int epoch = 1; epoch <= epochs && divergence == null; epoch++) {
                    if (divergencePolicy == DivergencePolicy.STOP) {
                        epochStart = saveParameters(block);
                    }
                    shuffle(order, shuffleRNG);
                    float[] stepLosses = new float[stepsPerEpoch];
                    double scaleSum = 0;
                    double metricSum = 0;
                    int completed = 0;
                    long start = System.nanoTime();
                    try (ProgressBar bar = progressBar(epoch, stepsPerEpoch)) {
                        for (int s = 0; s < stepsPerEpoch; s++) {
                            int from = s * batchSize;
                            int to = Math.min(n, from + batchSize);
                            double u = sampler.scale(globalStep);
                            StepResult r = trainStep(trainer, onDevice, splitDevices, order, from, to, u);
                            if (!Double.isFinite(r.loss)) {
                                divergence = new Divergence(epoch, globalStep, r.loss, decimal(tracker.getNewValue((int) globalStep + 1)), u);
                                break;
                            }
                            stepLosses[s] = (float) r.loss;
                            scaleSum += u;
                            metricSum += r.metricSum;
                            completed++;
                            globalStep++;
                            if (bar != null) {
                                bar.step();
                                bar.setExtraMessage(String.format(" loss %.4f", r.loss));
                            }
                        }
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    trainSeconds += seconds;
                    if (divergence != null) {
                        if (divergencePolicy == DivergencePolicy.FAIL) {
                            throw new DivergedRunException(divergence);
                        }
                        logger.warning("Training stopped (divergencePolicy=STOP): " + divergence.describe());
                        if (completed > 0) {
                            records.add(epochRecord(epoch, completed, Arrays.copyOf(stepLosses, completed), scaleSum, metricSum,
                                    Math.min(n, completed * batchSize), Double.NaN, seconds, tracker, globalStep, outputInfo));
                        }
                        break;
                    }
                    double validMetric = validTensors == null ? Double.NaN : evaluate(trainer, validTensors, validData.size, outputInfo);
                    EpochRecord record = epochRecord(epoch, completed, stepLosses, scaleSum, metricSum, n, validMetric, seconds,
                            tracker, globalStep, outputInfo);
                    records.add(record);
                    logEpoch(record, n, trainSeconds, heldOutName);
                }
                parameterBytes = saveParameters(block);
                if (divergence != null && !allFinite(block)) {
                    logger.warning("Parameters are not finite after divergence; keeping those from the start of epoch " + divergence.epoch());
                    parameterBytes = epochStart;
                }
                dataManager.close();
            }
        }

        TrainingHistory history = new TrainingHistory(outputConverter.metricName(), heldOutName, records, divergence);
        Map<String, Provenance> run = new HashMap<>(runProvenance);
        if (divergence != null) {
            run.put("diverged", new BooleanProvenance("diverged", true));
            run.put("divergence", new StringProvenance("divergence", divergence.describe()));
        }
        ModelProvenance provenance = new ModelProvenance(DJLModel.class.getName(), OffsetDateTime.now(),
                examples.getProvenance(), trainerProvenance, run);
        return new DJLModel<>("djl-model", provenance, featureMap, outputInfo, blockFactory, featureConverter, outputConverter,
                exampleShape, numOutputs, parameterBytes, inferenceBatchSize, history);
    }

    /** The unscaled loss and metric contribution of one mini-batch. */
    private static final class StepResult {
        final double loss;
        final double metricSum;

        StepResult(double loss, double metricSum) {
            this.loss = loss;
            this.metricSum = metricSum;
        }
    }

    /**
     * One optimiser step on examples {@code order[from, to)}: the mini-batch is split across the
     * devices, each split's mean loss weighted by its share of the mini-batch and by the loss scale
     * {@code u} before {@code backward}, then one optimiser step. Nothing is stepped if a loss is
     * not finite.
     */
    private StepResult trainStep(Trainer trainer, Map<Device, NDArray[]> onDevice, Device[] devices, int[] order,
                                 int from, int to, double u) {
        int size = to - from;
        int parts = Math.min(devices.length, size);
        double loss = 0;
        double metric = 0;
        try (NDManager step = trainer.getManager().newSubManager()) {
            try (GradientCollector collector = trainer.newGradientCollector()) {
                for (int p = 0; p < parts; p++) {
                    int lo = from + (int) ((long) size * p / parts);
                    int hi = from + (int) ((long) size * (p + 1) / parts);
                    Device d = devices[p];
                    NDArray[] tensors = onDevice.get(d);
                    long[] idx = new long[hi - lo];
                    for (int i = lo; i < hi; i++) {
                        idx[i - lo] = order[i];
                    }
                    NDArray index = step.create(idx).toDevice(d, false);
                    index.attach(step);
                    NDArray x = tensors[0].get(index);
                    x.attach(step);
                    NDArray y = tensors[1].get(index);
                    y.attach(step);
                    NDList predictions = trainer.forward(new NDList(x));
                    NDArray lossArray = trainer.getLoss().evaluate(new NDList(y), predictions);
                    double share = (double) (hi - lo) / size;
                    double partLoss = lossArray.getFloat();
                    loss += partLoss * share;
                    if (!Double.isFinite(partLoss)) {
                        return new StepResult(partLoss, 0);
                    }
                    double factor = u * share;
                    collector.backward(factor == 1.0 ? lossArray : lossArray.mul((float) factor));
                    metric += outputConverter.metricSum(predictions.singletonOrThrow(), y);
                }
            }
            trainer.step();
        }
        return new StepResult(loss, metric);
    }

    private NDArray[] toTensors(NDManager manager, Device d, DenseData data, long[] exampleShape, ImmutableOutputInfo<T> outputInfo) {
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = data.size;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        NDArray x = manager.create(data.features, new Shape(shape)).toDevice(d, false);
        int width = outputConverter.targetWidth(outputInfo);
        Shape targetShape = width == 1 ? new Shape(data.size) : new Shape(data.size, width);
        NDArray y = manager.create(data.targets, targetShape).toType(outputConverter.targetDataType(), false).toDevice(d, false);
        x.attach(manager);
        y.attach(manager);
        return new NDArray[]{x, y};
    }

    private double evaluate(Trainer trainer, NDArray[] tensors, int size, ImmutableOutputInfo<T> outputInfo) {
        double sum = 0;
        for (int from = 0; from < size; from += inferenceBatchSize) {
            int to = Math.min(size, from + inferenceBatchSize);
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = tensors[0].get(from + ":" + to);
                x.attach(scope);
                NDArray y = tensors[1].get(from + ":" + to);
                y.attach(scope);
                NDList out = trainer.evaluate(new NDList(x));
                sum += outputConverter.metricSum(out.singletonOrThrow(), y);
            }
        }
        return outputConverter.finishMetric(sum, size, outputInfo);
    }

    private EpochRecord epochRecord(int epoch, int steps, float[] stepLosses, double scaleSum, double metricSum, int examples,
                                    double validMetric, double seconds, Tracker tracker, long globalStep,
                                    ImmutableOutputInfo<T> outputInfo) {
        double lossSum = 0;
        for (float l : stepLosses) {
            lossSum += l;
        }
        return new EpochRecord(epoch, steps, steps == 0 ? Double.NaN : lossSum / steps, steps == 0 ? Double.NaN : scaleSum / steps,
                outputConverter.finishMetric(metricSum, examples, outputInfo), validMetric, seconds,
                decimal(tracker.getNewValue((int) Math.max(1, globalStep))), stepLosses);
    }

    /** A float learning rate as the double it prints as (0.05f becomes 0.05, not 0.05000000074505806). */
    private static double decimal(float value) {
        return Double.parseDouble(Float.toString(value));
    }

    private void logEpoch(EpochRecord r, int examples, double trainSeconds, String heldOutName) {
        double eta = trainSeconds / r.epoch() * (epochs - r.epoch());
        String valid = Double.isNaN(r.heldOutMetric()) ? "" : String.format(", %s %s %.4f", heldOutName, outputConverter.metricName(), r.heldOutMetric());
        logger.info(String.format("epoch %d/%d: loss %.4f (mean loss scale %.3f), %s %.4f%s, %.0f samples/s, %.1f s, ETA %.0f s",
                r.epoch(), epochs, r.meanLoss(), r.meanLossScale(), outputConverter.metricName(), r.trainingMetric(), valid,
                r.samplesPerSecond(examples), r.wallSeconds(), eta));
    }

    /** A progress bar over the steps of an epoch when a terminal is attached; null otherwise (per-epoch log lines only). */
    private ProgressBar progressBar(int epoch, int steps) {
        if (System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName("epoch " + epoch + "/" + epochs)
                .setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" steps", 1)
                .showSpeed()
                .build();
    }

    private static void shuffle(int[] order, SplittableRandom rng) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    private static byte[] saveParameters(Block block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the network's parameters", e);
        }
        return bytes.toByteArray();
    }

    private static boolean allFinite(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            try (NDArray bad = a.isNaN().logicalOr(a.isInfinite()); NDArray any = bad.any()) {
                if (any.getBoolean()) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int getInvocationCount() {
        return trainInvocationCounter;
    }

    @Override
    public synchronized void setInvocationCount(int invocationCount) {
        if (invocationCount < 0) {
            throw new IllegalArgumentException("The supplied invocationCount is less than zero.");
        }
        rng = new SplittableRandom(seed);
        for (trainInvocationCounter = 0; trainInvocationCounter < invocationCount; trainInvocationCounter++) {
            rng.split();
        }
    }

    /**
     * The loss scale.
     * @return The loss scale.
     */
    public LossScale getLossScale() {
        return lossScale;
    }

    /**
     * The base learning rate.
     * @return The learning rate (per step).
     */
    public float getLearningRate() {
        return learningRate;
    }

    @Override
    public String toString() {
        return "DJLTrainer(blockFactory=" + blockFactory + ",featureConverter=" + featureConverter + ",outputConverter="
                + outputConverter + ",lossScale=" + lossScale + ",optimiser=" + optimiser + ",learningRate=" + learningRate
                + ",momentum=" + momentum + ",beta1=" + beta1 + ",beta2=" + beta2 + ",weightDecay=" + weightDecay
                + ",lrSchedule=" + lrSchedule + ",lrPower=" + lrPower + ",stepEpochs=" + stepEpochs + ",stepGamma=" + stepGamma
                + ",epochs=" + epochs + ",batchSize=" + batchSize + ",seed=" + seed + ",device=" + device
                + ",numDevices=" + numDevices + ",numThreads=" + numThreads + ",divergencePolicy=" + divergencePolicy
                + ",inferenceBatchSize=" + inferenceBatchSize + ")";
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new DJLTrainerProvenance(this);
    }

    /**
     * Provenance of a {@link DJLTrainer}: every {@code @Config} field, plus instance values for the
     * DJL version, the PyTorch version, the devices used and the PyTorch thread count.
     */
    public static final class DJLTrainerProvenance extends SkeletalTrainerProvenance {
        private static final long serialVersionUID = 1L;

        /** DJL version key. */
        public static final String DJL_VERSION = "djl-version";
        /** Engine (PyTorch) version key. */
        public static final String ENGINE_VERSION = "pytorch-version";
        /** Devices key, e.g. {@code cpu()}. */
        public static final String DEVICES = "devices";
        /** Intra-op thread count key. */
        public static final String THREADS = "pytorch-threads";

        private final StringProvenance djlVersion;
        private final StringProvenance engineVersion;
        private final StringProvenance devices;
        private final IntProvenance threads;

        <T extends Output<T>> DJLTrainerProvenance(DJLTrainer<T> host) {
            super(host);
            Engine engine = DJLEngine.engine();
            this.djlVersion = new StringProvenance(DJL_VERSION, Engine.getDjlVersion());
            this.engineVersion = new StringProvenance(ENGINE_VERSION, engine.getVersion());
            this.devices = new StringProvenance(DEVICES, DJLEngine.describe(engine, host.device, host.numDevices));
            this.threads = new IntProvenance(THREADS, JniUtils.getNumThreads());
        }

        /**
         * Rebuilds the provenance from its marshalled form.
         * @param map The provenance map.
         */
        public DJLTrainerProvenance(Map<String, Provenance> map) {
            this(extractDJLInfo(map));
        }

        private DJLTrainerProvenance(ExtractedInfo info) {
            super(info);
            this.djlVersion = (StringProvenance) info.instanceValues.get(DJL_VERSION);
            this.engineVersion = (StringProvenance) info.instanceValues.get(ENGINE_VERSION);
            this.devices = (StringProvenance) info.instanceValues.get(DEVICES);
            this.threads = (IntProvenance) info.instanceValues.get(THREADS);
        }

        private static ExtractedInfo extractDJLInfo(Map<String, Provenance> map) {
            ExtractedInfo info = SkeletalTrainerProvenance.extractProvenanceInfo(map);
            String host = DJLTrainerProvenance.class.getSimpleName();
            info.instanceValues.put(DJL_VERSION, ObjectProvenance.checkAndExtractProvenance(info.configuredParameters, DJL_VERSION, StringProvenance.class, host));
            info.instanceValues.put(ENGINE_VERSION, ObjectProvenance.checkAndExtractProvenance(info.configuredParameters, ENGINE_VERSION, StringProvenance.class, host));
            info.instanceValues.put(DEVICES, ObjectProvenance.checkAndExtractProvenance(info.configuredParameters, DEVICES, StringProvenance.class, host));
            info.instanceValues.put(THREADS, ObjectProvenance.checkAndExtractProvenance(info.configuredParameters, THREADS, IntProvenance.class, host));
            return info;
        }

        @Override
        public Map<String, PrimitiveProvenance<?>> getInstanceValues() {
            Map<String, PrimitiveProvenance<?>> map = super.getInstanceValues();
            map.put(DJL_VERSION, djlVersion);
            map.put(ENGINE_VERSION, engineVersion);
            map.put(DEVICES, devices);
            map.put(THREADS, threads);
            return map;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (o == null || getClass() != o.getClass() || !super.equals(o)) {
                return false;
            }
            DJLTrainerProvenance other = (DJLTrainerProvenance) o;
            return djlVersion.equals(other.djlVersion) && engineVersion.equals(other.engineVersion)
                    && devices.equals(other.devices) && threads.equals(other.threads);
        }

        @Override
        public int hashCode() {
            return Objects.hash(super.hashCode(), djlVersion, engineVersion, devices, threads);
        }
    }

    /**
     * Builds a {@link DJLTrainer} from Java, with the same defaults as the {@code @Config} fields.
     * @param <T> The output type.
     */
    public static final class Builder<T extends Output<T>> {
        private BlockFactory blockFactory;
        private FeatureConverter featureConverter;
        private OutputConverter<T> outputConverter;
        private LossScale lossScale = ConstantLossScale.baseline();
        private OptimiserType optimiser = OptimiserType.SGD;
        private float learningRate = 0.1f;
        private float momentum = 0.9f;
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float weightDecay = 0.0f;
        private LearningRateSchedule lrSchedule = LearningRateSchedule.FIXED;
        private float lrPower = 0.9f;
        private int stepEpochs = 10;
        private float stepGamma = 0.1f;
        private int epochs = 10;
        private int batchSize = 64;
        private long seed = org.tribuo.Trainer.DEFAULT_SEED;
        private String device = "auto";
        private int numDevices = 1;
        private int numThreads = 1;
        private DivergencePolicy divergencePolicy = DivergencePolicy.FAIL;
        private int inferenceBatchSize = 256;

        private Builder() {}

        /**
         * @param v The block factory.
         * @return This builder.
         */
        public Builder<T> setBlockFactory(BlockFactory v) {
            blockFactory = v;
            return this;
        }

        /**
         * @param v The feature converter.
         * @return This builder.
         */
        public Builder<T> setFeatureConverter(FeatureConverter v) {
            featureConverter = v;
            return this;
        }

        /**
         * @param v The output converter.
         * @return This builder.
         */
        public Builder<T> setOutputConverter(OutputConverter<T> v) {
            outputConverter = v;
            return this;
        }

        /**
         * @param v The loss scale (default: the baseline, 1.0).
         * @return This builder.
         */
        public Builder<T> optLossScale(LossScale v) {
            lossScale = v;
            return this;
        }

        /**
         * @param v The optimiser (default SGD).
         * @return This builder.
         */
        public Builder<T> optOptimiser(OptimiserType v) {
            optimiser = v;
            return this;
        }

        /**
         * @param v The base learning rate per step (default 0.1, the RG paper's CIFAR value).
         * @return This builder.
         */
        public Builder<T> optLearningRate(float v) {
            learningRate = v;
            return this;
        }

        /**
         * @param v Momentum for SGD and Nesterov (default 0.9).
         * @return This builder.
         */
        public Builder<T> optMomentum(float v) {
            momentum = v;
            return this;
        }

        /**
         * @param b1 Adam's beta1 (default 0.9).
         * @param b2 Adam's beta2 (default 0.999).
         * @return This builder.
         */
        public Builder<T> optBetas(float b1, float b2) {
            beta1 = b1;
            beta2 = b2;
            return this;
        }

        /**
         * @param v The optimiser's L2 weight decay (default 0).
         * @return This builder.
         */
        public Builder<T> optWeightDecay(float v) {
            weightDecay = v;
            return this;
        }

        /**
         * @param v The learning-rate schedule (default FIXED).
         * @return This builder.
         */
        public Builder<T> optLrSchedule(LearningRateSchedule v) {
            lrSchedule = v;
            return this;
        }

        /**
         * @param v The POLY exponent (default 0.9).
         * @return This builder.
         */
        public Builder<T> optLrPower(float v) {
            lrPower = v;
            return this;
        }

        /**
         * @param period STEP period in epochs (default 10).
         * @param gamma STEP factor (default 0.1).
         * @return This builder.
         */
        public Builder<T> optStep(int period, float gamma) {
            stepEpochs = period;
            stepGamma = gamma;
            return this;
        }

        /**
         * @param v Epochs (default 10).
         * @return This builder.
         */
        public Builder<T> optEpochs(int v) {
            epochs = v;
            return this;
        }

        /**
         * @param v Mini-batch size (default 64).
         * @return This builder.
         */
        public Builder<T> optBatchSize(int v) {
            batchSize = v;
            return this;
        }

        /**
         * @param v The seed (default {@link org.tribuo.Trainer#DEFAULT_SEED}).
         * @return This builder.
         */
        public Builder<T> optSeed(long v) {
            seed = v;
            return this;
        }

        /**
         * @param v The device: auto, cpu, gpu or gpu:N (default auto).
         * @return This builder.
         */
        public Builder<T> optDevice(String v) {
            device = v;
            return this;
        }

        /**
         * @param v Devices for data parallelism (default 1).
         * @return This builder.
         */
        public Builder<T> optNumDevices(int v) {
            numDevices = v;
            return this;
        }

        /**
         * @param v PyTorch intra-op threads (default 1).
         * @return This builder.
         */
        public Builder<T> optNumThreads(int v) {
            numThreads = v;
            return this;
        }

        /**
         * @param v The divergence policy (default FAIL).
         * @return This builder.
         */
        public Builder<T> optDivergencePolicy(DivergencePolicy v) {
            divergencePolicy = v;
            return this;
        }

        /**
         * @param v Examples per forward pass when predicting (default 256).
         * @return This builder.
         */
        public Builder<T> optInferenceBatchSize(int v) {
            inferenceBatchSize = v;
            return this;
        }

        /**
         * Builds the trainer.
         * @return The trainer.
         * @throws NullPointerException If the block factory or a converter is missing.
         * @throws IllegalArgumentException If a value is invalid; the message names the field and value.
         */
        public DJLTrainer<T> build() {
            Objects.requireNonNull(blockFactory, "blockFactory");
            Objects.requireNonNull(featureConverter, "featureConverter");
            Objects.requireNonNull(outputConverter, "outputConverter");
            DJLTrainer<T> trainer = new DJLTrainer<>(this);
            ConfigChecks.validateForJavaApi(trainer);
            return trainer;
        }
    }
}
