package io.github.randomgradient.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceException;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.randomgradient.config.NumericEnvironment;
import io.github.randomgradient.config.PreflightCheckable;
import io.github.randomgradient.config.ReproducibleMode;
import io.github.randomgradient.djl.block.BlockFactory;
import io.github.randomgradient.djl.convert.FeatureConverter;
import io.github.randomgradient.djl.convert.OutputConverter;
import io.github.randomgradient.djl.optim.LearningRateSchedule;
import io.github.randomgradient.djl.optim.FixedSchedule;
import io.github.randomgradient.djl.optim.OptimiserType;
import io.github.randomgradient.djl.optim.Schedule;
import io.github.randomgradient.djl.optim.TorchOptimiser;
import io.github.randomgradient.djl.optim.TorchSgd;
import io.github.randomgradient.djl.train.RunSettings;
import io.github.randomgradient.djl.train.TensorData;
import io.github.randomgradient.djl.train.TrainingLoop;
import io.github.randomgradient.djl.train.TrainingResult;
import io.github.randomgradient.history.DivergedRunException;
import io.github.randomgradient.history.HeldOutEvaluatingTrainer;
import io.github.randomgradient.history.TrainingHistory;
import io.github.randomgradient.rg.ConstantLossScale;
import io.github.randomgradient.rg.LossScale;
import java.util.Optional;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Output;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SkeletalTrainerProvenance;
import org.tribuo.provenance.TrainerProvenance;

import java.io.InvalidObjectException;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Tribuo {@link org.tribuo.Trainer} that trains a DJL network on DJL's PyTorch engine, with a
 * configurable loss scale: Random Gradient (RG) when {@code lossScale} is a
 * {@link io.github.randomgradient.rg.UniformLossScale}, the baseline when it is
 * {@code ConstantLossScale(1.0)} (the default).
 * <p>
 * The dataset is converted once into dense float tensors ({@code [N, ...exampleShape]} inputs,
 * {@code [N, targetWidth]} targets). Each epoch the examples are shuffled from the seed and cut into
 * mini-batches of {@code batchSize} ({@code lastBatch} says what happens to a short last one). For
 * each mini-batch the trainer runs the forward pass, computes the mean loss, keeps the
 * <em>unscaled</em> loss for the history, back-propagates {@code loss * u} with one loss-scale draw
 * {@code u} per mini-batch, and applies the {@code torch.optim} update rule of the
 * {@code torchOptimiser} component ({@link TorchSgd}, {@link io.github.randomgradient.djl.optim.TorchAdam})
 * at the learning rate that the {@code schedule} component ({@link FixedSchedule} by default, or a
 * poly, step or cosine {@link Schedule}) gives from {@code learningRate}. A draw {@code u = 0} is a legal step: the gradient is zero and
 * momentum still moves the parameters. Weight decay is the optimiser's, so it is not scaled by
 * {@code u}; RG's mean factor \( E[u] \) scales the mean step, so compare against a baseline at
 * {@code learningRate * E[u]}. The engine itself lives in {@link io.github.randomgradient.djl.train}.
 * <p>
 * With {@code numDevices > 1} each mini-batch is split across the devices (DJL data parallelism;
 * split sizes differ by at most one example): each device runs its split on its own copy of the
 * parameters and back-propagates the split's mean loss weighted by the split's share
 * \( n_d / n \) of the mini-batch, so its gradient is \( \frac{1}{n} \sum_{i \in d} \nabla \ell_i \).
 * Before the finiteness check and the update, every device's gradient is summed onto the first
 * device (a sum of share-weighted gradients, which is exactly the single-device gradient of the
 * mini-batch mean loss, uneven splits included); the first device's parameters are updated and
 * copied back to every other device, batch-norm running statistics included (taken from the first
 * device, as PyTorch's {@code DataParallel} does). Batch normalisation sees per-device statistics,
 * so a network with it is not bitwise the single-device one. The splits run sequentially inside
 * one gradient collector, avoiding the executor path of DJL's {@code EasyTrain} whose gradients
 * can be lost (DJL issue #2459).
 * <p>
 * Given held-out data ({@link #train(Dataset, Dataset, String, Map)}, e.g. a validation split),
 * the trainer evaluates it {@code evaluationsPerEpoch} times per epoch (once, at the end, by default):
 * after every \( \lceil S/k \rceil \) of an epoch's {@code S} mini-batches and after its last. Each
 * evaluation is an {@link io.github.randomgradient.history.EvaluationPoint} of the history (optimiser
 * steps completed, epoch fraction, training seconds with evaluation time excluded, held-out loss and
 * metric): the held-out curve from which time to a target, the area under the curve and oscillation
 * are measured. Evaluation runs in inference mode and draws nothing, so the trained parameters are
 * the same bytes whatever {@code evaluationsPerEpoch}.
 * <p>
 * Every NaN or infinity is a divergence, wherever it appears: a mini-batch loss or logits, a
 * gradient (after the sum over devices), a parameter after an update (caught in the step where it
 * appears), the held-out logits, metric or loss (at each evaluation, when held-out data is given) and the
 * final network's inference-mode logits on the training data (at the end of training: finite
 * parameters can still predict NaN, e.g. after a huge but finite loss scale or through batch-norm
 * running statistics). {@code divergencePolicy} handles it: {@code FAIL} throws a
 * {@link DivergedRunException} naming what was not finite, the epoch, step, loss, learning rate
 * and loss scale; {@code STOP} returns a model with the last healthy parameters (see
 * {@link DivergencePolicy}), flagged as diverged. DJL allows one
 * gradient collector per JVM, so concurrent {@code train} calls queue on a JVM-wide lock.
 * <p>
 * {@code memoryFormat} sets how image inputs ({@code [C, H, W]}) are laid out in memory in training,
 * evaluation and the model's predictions ({@link MemoryFormat}): {@code CONTIGUOUS} (NCHW, the default,
 * and what every model and record without the field ran) or {@code CHANNELS_LAST} (NHWC strides, so
 * PyTorch runs the convolutions, batch norm and pooling in its channels-last kernels: about 1.4 times
 * less CPU time per epoch for the configs' CNN, the same accuracy within seed noise, but different
 * rounding, hence a different run).
 * <p>
 * Every setting is an OLCUT {@code @Config} field or component, so the model's provenance records the
 * loss scale and its range, learning rate, the optimiser with only the values its rule uses (an SGD
 * records no Adam betas), the schedule with only its own parameters, seed and device; the trainer
 * provenance adds the update rule that ran (e.g. {@code update-rule=torch.optim.SGD}), the DJL and
 * PyTorch versions, the devices used and the thread count. Building provenance never starts the
 * PyTorch engine. The {@code @Config} fields are the only place defaults live: the
 * {@link DJLTrainerBuilder} writes into a trainer that starts with them.
 * <p>
 * Configs written before the optimiser and schedule were components set flat fields
 * ({@code optimiser=SGD}, {@code momentum=0.9}, {@code lrSchedule=POLY}, ...). Those fields are
 * deprecated but still read, with their old defaults and checks: {@code postConfig} builds the
 * equivalent component from them (e.g. {@code TorchSgd(0.9, false, 0)}, {@code PolySchedule(0.9)})
 * and clears them, so such a trainer trains and records exactly what the component form does. Setting
 * a flat field and its component together is refused, naming both.
 * <pre>
 * Reference: "Fast, Better Training Trick: Random Gradient", section 4 (RG) and section 5
 * (SGD, lr 0.1, momentum 0.5 on CIFAR; poly lr with power 0.9 on Pascal VOC).
 * </pre>
 *
 * @param <T> The output type.
 */
public final class DJLTrainer<T extends Output<T>> implements HeldOutEvaluatingTrainer<T>, PreflightCheckable<T> {

    // The @Config fields are package-private so that DJLTrainerBuilder writes into them; they are
    // the only place the defaults are written down.

    /** DJL allows one gradient collector per JVM: training runs hold this lock. */
    /**
     * Key of the model's instance provenance (Tribuo's run provenance) holding the canonical
     * {@link NumericEnvironment} the model was trained in; it never enters the trainer's
     * configuration provenance, so a configuration's identity does not depend on the machine.
     */
    public static final String NUMERIC_ENVIRONMENT = NumericEnvironment.PROVENANCE_KEY;
    /** Key of the model's instance provenance holding {@link NumericEnvironment#digest()}. */
    public static final String NUMERIC_ENVIRONMENT_DIGEST = "numeric-environment-digest";
    /**
     * Key of the model's instance provenance: true if it was trained in reproducible mode
     * ({@link ReproducibleMode}: the JVM started with {@code -Dtribuo.rg.reproducible=true} and the
     * ISA pins exported; the engine refuses to start otherwise).
     */
    public static final String REPRODUCIBLE = "reproducible";

    /** The largest accepted {@code numThreads}: libtorch crashed the JVM creating a pool of 100,000 threads. */
    static final int MAX_THREADS = 1024;

    private static final ReentrantLock TRAINING_LOCK = new ReentrantLock(true);

    @Config(mandatory = true, description = "Builds the network.")
    BlockFactory blockFactory;

    @Config(mandatory = true, description = "Converts features into the network input.")
    FeatureConverter featureConverter;

    @Config(mandatory = true, description = "Converts outputs into targets and network outputs into predictions; chooses the loss.")
    OutputConverter<T> outputConverter;

    @Config(description = "Loss scale drawn once per mini-batch; ConstantLossScale(1.0), the baseline, by default.")
    LossScale lossScale = ConstantLossScale.baseline();

    @Config(description = "Base learning rate (per step), > 0; the schedule's eta_0.")
    float learningRate = 0.1f;

    @Config(description = "The update rule, exactly as torch.optim: a TorchOptimiser component (TorchSgd, TorchAdam); "
            + "TorchSgd(momentum 0.9) when neither it nor the deprecated flat optimiser fields are set.")
    TorchOptimiser torchOptimiser;

    @Config(description = "The learning-rate schedule: a Schedule component (FixedSchedule, PolySchedule, StepSchedule, "
            + "CosineSchedule); FixedSchedule when neither it nor the deprecated flat schedule fields are set.")
    Schedule schedule;

    // The flat optimiser and schedule settings of configs written before the components. When one of a
    // group is set, postConfig builds the component from the group (defaults as they always were:
    // SGD, momentum 0.9, betas 0.9 and 0.999, weight decay 0; FIXED, power 0.9, 10 epochs, gamma 0.1)
    // and clears the group, so provenance records only the component, i.e. only what acted. They are
    // redacted (OLCUT leaves them out of provenance), so a trainer's provenance has one form.

    /** @deprecated Use {@code torchOptimiser} (a TorchSgd or TorchAdam component). */
    @Deprecated
    @Config(redact = true, description = "Deprecated, use torchOptimiser: update rule SGD, NESTEROV, ADAM or ADAMW.")
    OptimiserType optimiser;

    /** @deprecated Use {@code torchOptimiser}'s TorchSgd momentum. */
    @Deprecated
    @Config(redact = true, description = "Deprecated, use torchOptimiser (TorchSgd momentum): momentum for SGD and NESTEROV, in [0, 1); 0.9 when unset.")
    Float momentum;

    /** @deprecated Use {@code torchOptimiser}'s TorchAdam beta1. */
    @Deprecated
    @Config(redact = true, description = "Deprecated, use torchOptimiser (TorchAdam beta1): Adam's first-moment decay, in [0, 1); 0.9 when unset.")
    Float beta1;

    /** @deprecated Use {@code torchOptimiser}'s TorchAdam beta2. */
    @Deprecated
    @Config(redact = true, description = "Deprecated, use torchOptimiser (TorchAdam beta2): Adam's second-moment decay, in [0, 1); 0.999 when unset.")
    Float beta2;

    /** @deprecated Use {@code torchOptimiser}'s weightDecay. */
    @Deprecated
    @Config(redact = true, description = "Deprecated, use torchOptimiser (weightDecay): the optimiser's weight decay, >= 0; 0 when unset.")
    Float weightDecay;

    /** @deprecated Use {@code schedule}. */
    @Deprecated
    @Config(redact = true, description = "Deprecated, use schedule: FIXED, POLY, STEP or COSINE.")
    LearningRateSchedule lrSchedule;

    /** @deprecated Use {@code schedule} (PolySchedule power). */
    @Deprecated
    @Config(redact = true, description = "Deprecated, use schedule (PolySchedule power): exponent of the POLY schedule, > 0; 0.9 when unset.")
    Float lrPower;

    /** @deprecated Use {@code schedule} (StepSchedule epochs). */
    @Deprecated
    @Config(redact = true, description = "Deprecated, use schedule (StepSchedule epochs): period in epochs of the STEP schedule, >= 1; 10 when unset.")
    Integer stepEpochs;

    /** @deprecated Use {@code schedule} (StepSchedule gamma). */
    @Deprecated
    @Config(redact = true, description = "Deprecated, use schedule (StepSchedule gamma): factor of the STEP schedule, in (0, 1]; 0.1 when unset.")
    Float stepGamma;

    @Config(description = "Number of passes over the training data, >= 1.")
    int epochs = 10;

    @Config(description = "Mini-batch size (examples per optimiser step), >= 1.")
    int batchSize = 64;

    @Config(description = "The short trailing mini-batch of an epoch: MERGE it into the previous one (default), KEEP it or DROP it.")
    LastBatch lastBatch = LastBatch.MERGE;

    @Config(description = "Seed for parameter initialisation, shuffling and the loss scale.")
    long seed = org.tribuo.Trainer.DEFAULT_SEED;

    @Config(description = "Device: auto (a GPU if DJL finds one, else the CPU), cpu, gpu or gpu:N.")
    String device = "auto";

    @Config(description = "Devices for data parallelism (GPUs), >= 1.")
    int numDevices = 1;

    @Config(description = "PyTorch intra-op threads, >= 1.")
    int numThreads = 1;

    @Config(description = "What to do on a NaN or infinite loss, logit, gradient, parameter or held-out metric: FAIL (throw) or STOP (return the last healthy parameters, flagged as diverged).")
    DivergencePolicy divergencePolicy = DivergencePolicy.FAIL;

    @Config(description = "Examples per forward pass when predicting, >= 1.")
    int inferenceBatchSize = 256;

    // Recorded in the provenance (so in a run's identity) like every @Config field: the held-out curve depends on it.
    @Config(description = "Evaluations of the held-out data per epoch, >= 1, when train is given held-out data: after "
            + "every ceil(S/k) of an epoch's S mini-batches and after its last (after every mini-batch when k >= S); each is "
            + "a point (step, epoch fraction, training seconds, held-out loss and metric) of the history. 1 (the default): "
            + "at the end of each epoch. Never changes the trained parameters.")
    int evaluationsPerEpoch = 1;

    @Config(description = "Memory format of image inputs ([C, H, W]) in training, evaluation and prediction: CONTIGUOUS "
            + "(NCHW, the default) or CHANNELS_LAST (NHWC strides; faster convolutions, pooling and batch norm on CPUs, slightly "
            + "different rounding). Other inputs are unaffected.")
    MemoryFormat memoryFormat = MemoryFormat.CONTIGUOUS;

    private SplittableRandom rng;

    private int trainInvocationCounter = 0;

    /** Splits per device of each mini-batch; more than 1 only in tests of the data-parallel path. */
    private int splitsPerDevice = 1;

    /**
     * For OLCUT, and for {@link #builder}, which starts from these defaults.
     */
    private DJLTrainer() {}

    /**
     * Starts building a trainer (DJL style: {@code set} for what is required, {@code opt} for the rest).
     * @param blockFactory Builds the network.
     * @param featureConverter Converts features to the network input.
     * @param outputConverter Converts outputs and chooses the loss.
     * @param <T> The output type.
     * @return A builder holding the defaults of the {@code @Config} fields.
     */
    public static <T extends Output<T>> DJLTrainerBuilder<T> builder(BlockFactory blockFactory, FeatureConverter featureConverter,
                                                                     OutputConverter<T> outputConverter) {
        return new DJLTrainerBuilder<>(new DJLTrainer<T>()).setBlockFactory(blockFactory).setFeatureConverter(featureConverter)
                .setOutputConverter(outputConverter);
    }

    /**
     * Test hook for the data-parallel path on a machine without several GPUs: each mini-batch is
     * split {@code splits} times per device, each split on its own copy of the parameters (with its
     * own gradient), exactly as it is split across devices, so the weighting and the reduction of
     * the split gradients can be checked against the unsplit update.
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
        requireSet("lastBatch", lastBatch);
        requireSet("divergencePolicy", divergencePolicy);
        requireSet("memoryFormat", memoryFormat);
        if (!(lossScale.max() <= Float.MAX_VALUE) || !(lossScale.min() >= 0)) {
            throw bad("lossScale", lossScale, "must give factors that are finite in float32 (at most " + Float.MAX_VALUE
                    + ") and >= 0, but its range is [" + lossScale.min() + ", " + lossScale.max() + "]");
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw bad("learningRate", learningRate, "must be finite and > 0");
        }
        resolveOptimiser();
        resolveSchedule();
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
        if (numThreads < 1 || numThreads > MAX_THREADS) {
            throw bad("numThreads", numThreads, "must be in [1, " + MAX_THREADS + "] (libtorch crashes on huge thread pools; "
                    + "this machine has " + Runtime.getRuntime().availableProcessors() + " cores)");
        }
        if (inferenceBatchSize < 1) {
            throw bad("inferenceBatchSize", inferenceBatchSize, "must be >= 1");
        }
        if (evaluationsPerEpoch < 1) {
            throw bad("evaluationsPerEpoch", evaluationsPerEpoch, "must be >= 1 (1 evaluates the held-out data at the end of each epoch)");
        }
        rng = new SplittableRandom(seed);
    }

    /** The default update rule: SGD with momentum 0.9, as DJLTrainer always had. */
    static TorchOptimiser defaultOptimiser() {
        return new TorchSgd(0.9f, false, 0f);
    }

    /**
     * Sets {@code torchOptimiser}: the component if given, else one built from the deprecated flat
     * fields (which are then cleared), else the default.
     */
    @SuppressWarnings("deprecation")
    private void resolveOptimiser() {
        java.util.List<String> flat = setNames(new String[]{"optimiser", "momentum", "beta1", "beta2", "weightDecay"},
                optimiser, momentum, beta1, beta2, weightDecay);
        if (flat.isEmpty()) {
            if (torchOptimiser == null) {
                torchOptimiser = defaultOptimiser();
            }
            return;
        }
        if (torchOptimiser != null) {
            throw new PropertyException("", flat.get(0), "torchOptimiser (" + torchOptimiser + ") and the deprecated flat field"
                    + (flat.size() > 1 ? "s " : " ") + String.join(", ", flat) + " are both set: set the optimiser once, "
                    + "in the torchOptimiser component (e.g. TorchSgd momentum), and remove " + String.join(", ", flat));
        }
        OptimiserType type = optimiser == null ? OptimiserType.SGD : optimiser;
        float mu = momentum == null ? 0.9f : momentum;
        float b1 = beta1 == null ? 0.9f : beta1;
        float b2 = beta2 == null ? 0.999f : beta2;
        float wd = weightDecay == null ? 0f : weightDecay;
        // The flat fields' own checks and messages, as before the components.
        if (!(mu >= 0 && mu < 1)) {
            throw bad("momentum", mu, "must be in [0, 1)");
        }
        if (type == OptimiserType.NESTEROV && mu == 0f) {
            // As torch.optim.SGD: "Nesterov momentum requires a momentum and zero dampening".
            throw bad("momentum", mu, "must be > 0 with optimiser=NESTEROV (torch.optim.SGD refuses Nesterov without momentum)");
        }
        if (!(b1 >= 0 && b1 < 1)) {
            throw bad("beta1", b1, "must be in [0, 1)");
        }
        if (!(b2 >= 0 && b2 < 1)) {
            throw bad("beta2", b2, "must be in [0, 1)");
        }
        if (!(wd >= 0) || !Float.isFinite(wd)) {
            throw bad("weightDecay", wd, "must be finite and >= 0");
        }
        torchOptimiser = TorchOptimiser.of(type, mu, b1, b2, wd);
        optimiser = null;
        momentum = null;
        beta1 = null;
        beta2 = null;
        weightDecay = null;
    }

    /**
     * Sets {@code schedule}: the component if given, else one built from the deprecated flat fields
     * (which are then cleared), else {@link FixedSchedule}.
     */
    @SuppressWarnings("deprecation")
    private void resolveSchedule() {
        java.util.List<String> flat = setNames(new String[]{"lrSchedule", "lrPower", "stepEpochs", "stepGamma"},
                lrSchedule, lrPower, stepEpochs, stepGamma);
        if (flat.isEmpty()) {
            if (schedule == null) {
                schedule = new FixedSchedule();
            }
            return;
        }
        if (schedule != null) {
            throw new PropertyException("", flat.get(0), "schedule (" + schedule + ") and the deprecated flat field"
                    + (flat.size() > 1 ? "s " : " ") + String.join(", ", flat) + " are both set: set the schedule once, "
                    + "in the schedule component (e.g. PolySchedule power), and remove " + String.join(", ", flat));
        }
        LearningRateSchedule type = lrSchedule == null ? LearningRateSchedule.FIXED : lrSchedule;
        float power = lrPower == null ? 0.9f : lrPower;
        int period = stepEpochs == null ? 10 : stepEpochs;
        float gamma = stepGamma == null ? 0.1f : stepGamma;
        if (!(power > 0) || !Float.isFinite(power)) {
            throw bad("lrPower", power, "must be finite and > 0");
        }
        if (period < 1) {
            throw bad("stepEpochs", period, "must be >= 1");
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw bad("stepGamma", gamma, "must be in (0, 1]");
        }
        schedule = Schedule.of(type, power, period, gamma);
        lrSchedule = null;
        lrPower = null;
        stepEpochs = null;
        stepGamma = null;
    }

    private static java.util.List<String> setNames(String[] names, Object... values) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (values[i] != null) {
                out.add(names[i]);
            }
        }
        return out;
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
        long[] shape;
        try {
            featureConverter.plan(featureMap);
            shape = featureConverter.exampleShape(featureMap);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("featureConverter " + featureConverter + ": " + e.getMessage(), e);
        }
        try {
            blockFactory.checkFits(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("blockFactory " + blockFactory + ": " + e.getMessage(), e);
        }
        if (numDevices > 1 || !device.equals("auto") && !device.equals("cpu")) {
            DJLEngine.resolve(DJLEngine.engine(numThreads), device, numDevices);
        }
        return shape;
    }

    /**
     * The file a dataset's source read, as its provenance records it ({@code featuresPath} or
     * {@code dataPath}, as Tribuo's IDX and CSV sources record it).
     * @param data The dataset.
     * @return The path as recorded, or empty.
     */
    private static Optional<String> recordedFile(Dataset<?> data) {
        var source = data.getProvenance().getSourceProvenance();
        if (source == null) {
            return Optional.empty();
        }
        for (var p : source) {
            if ((p.getA().equals("featuresPath") || p.getA().equals("dataPath")) && p.getB() != null) {
                return Optional.of(p.getB() instanceof com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance<?> pp
                        ? String.valueOf(pp.getValue()) : p.getB().toString());
            }
        }
        return Optional.empty();
    }

    /**
     * Where a dataset came from, for messages: the file its source read, else the source's class.
     * @param data The dataset.
     * @return E.g. {@code " (/data/train-images-idx3-ubyte.gz)"}, or empty.
     */
    static String describeSource(Dataset<?> data) {
        var source = data.getProvenance().getSourceProvenance();
        if (source == null) {
            return "";
        }
        return " (" + recordedFile(data).orElse(source.getClassName()) + ")";
    }

    /**
     * The file a dataset's source read its examples from (see {@link #recordedFile}), if it still
     * exists, for checks that read it (e.g. an IDX file's header).
     * @param data The dataset.
     * @return The file, or empty.
     */
    static Optional<java.nio.file.Path> sourceFile(Dataset<?> data) {
        try {
            return recordedFile(data).map(java.nio.file.Paths::get).filter(java.nio.file.Files::isRegularFile);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
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
     * @throws IllegalArgumentException If the dataset is empty or does not fit the converters, block
     *                                  factory or {@code lastBatch}, or the device is unavailable; the message names the field.
     * @throws DivergedRunException If a loss, logit, gradient, parameter or held-out metric is NaN or infinite and
     *                              {@code divergencePolicy=FAIL} (or {@code STOP} with no healthy parameters left).
     */
    @Override
    public DJLModel<T> train(Dataset<T> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        return train(examples, null, "", runProvenance, invocationCount);
    }

    /**
     * Trains a model, measuring the loss and metric on {@code heldOut} {@code evaluationsPerEpoch} times per epoch.
     * @param train The training data.
     * @param heldOut Held-out data, evaluated {@code evaluationsPerEpoch} times per epoch (each evaluation a point of the
     *                history's held-out curve, the last of an epoch also its epoch record's held-out metric); never used for updates.
     * @param heldOutName What the held-out data is ({@code test}, {@code validation}); recorded in the history and logged.
     * @param runProvenance Extra provenance for this run.
     * @return The trained model.
     * @throws IllegalArgumentException As {@link #train(Dataset, Map, int)}, if the held-out set is empty or its name
     *                                  blank, or if its feature domain fails the converter's shape check
     *                                  ({@link FeatureConverter#checkData}: for images, exactly {@code C*H*W} pixels,
     *                                  as for the training data); the message names the held-out data and its file.
     * @throws DivergedRunException If a loss, logit, gradient, parameter or held-out metric is NaN or infinite and
     *                              {@code divergencePolicy=FAIL} (or {@code STOP} with no healthy parameters left).
     */
    @Override
    public DJLModel<T> train(Dataset<T> train, Dataset<T> heldOut, String heldOutName, Map<String, Provenance> runProvenance) {
        Objects.requireNonNull(heldOut, "heldOut");
        if (heldOutName == null || heldOutName.isBlank()) {
            throw new IllegalArgumentException("heldOutName must name the held-out data (e.g. test), found '" + heldOutName + "'");
        }
        return train(train, heldOut, heldOutName, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    /** The settings of one run, read from the {@code @Config} fields. */
    private RunSettings runSettings() {
        return new RunSettings(lossScale, torchOptimiser, schedule, learningRate, epochs, batchSize, lastBatch, divergencePolicy, inferenceBatchSize,
                splitsPerDevice, getEvaluationsPerEpoch(), memoryFormat);
    }

    private DJLModel<T> train(Dataset<T> examples, Dataset<T> heldOut, String heldOutName, Map<String, Provenance> runProvenance,
                              int invocationCount) {
        if (examples.size() == 0) {
            throw new IllegalArgumentException("the training dataset is empty: DJLTrainer needs at least one example");
        }
        if (examples.getOutputInfo().getUnknownCount() > 0) {
            throw new IllegalArgumentException("the training dataset contains unknown outputs; DJLTrainer is supervised");
        }
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        ImmutableOutputInfo<T> outputInfo = examples.getOutputIDInfo();
        outputConverter.validate(outputInfo);
        long[] exampleShape;
        FeatureConverter.Plan plan;
        try {
            // The one shape check of the training data, before anything is converted or trained.
            exampleShape = featureConverter.exampleShape(featureMap, sourceFile(examples));
            plan = featureConverter.plan(featureMap);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("featureConverter " + featureConverter + " cannot take the training data"
                    + describeSource(examples) + ": " + e.getMessage(), e);
        }
        try {
            blockFactory.checkFits(exampleShape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("blockFactory " + blockFactory + ": " + e.getMessage(), e);
        }
        if (heldOut != null) {
            try {
                // The same shape check for the held-out data: a 20x20 held-out set would be scored by a 28x28 network.
                featureConverter.checkData(heldOut.getFeatureIDMap(), sourceFile(heldOut));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("featureConverter " + featureConverter + " cannot take the " + heldOutName
                        + " data" + describeSource(heldOut) + ": " + e.getMessage(), e);
            }
        }
        int numOutputs = outputConverter.numOutputs(outputInfo);

        // Convert once, before taking the engine.
        TensorData trainData = TensorData.of(examples, plan, outputConverter, outputInfo, "training");
        TensorData heldOutData;
        try {
            heldOutData = heldOut == null ? null : TensorData.of(heldOut, plan, outputConverter, outputInfo, heldOutName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + heldOutName + " data" + describeSource(heldOut) + " does not fit the "
                    + "training data's input: " + e.getMessage(), e);
        }

        Engine engine = DJLEngine.engine(numThreads);
        Device[] devices = DJLEngine.resolve(engine, device, numDevices);
        NumericEnvironment environment = NumericEnvironments.of(engine, numThreads, ReproducibleMode.requested(), System.getenv());

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

        TrainingLoop<T> loop = new TrainingLoop<>(runSettings(), outputConverter, outputInfo, exampleShape);
        TrainingResult result;
        TRAINING_LOCK.lock();
        try {
            result = loop.run(blockFactory.newBlock(exampleShape, numOutputs), trainData, heldOutData, heldOutName, devices, localRNG);
        } finally {
            TRAINING_LOCK.unlock();
        }

        TrainingHistory history = new TrainingHistory(outputConverter.metricName(), heldOutName, result.epochs(), result.divergence(),
                result.evaluations());
        Map<String, Provenance> run = new HashMap<>(runProvenance);
        run.put(NUMERIC_ENVIRONMENT, new StringProvenance(NUMERIC_ENVIRONMENT, environment.canonical()));
        run.put(NUMERIC_ENVIRONMENT_DIGEST, new StringProvenance(NUMERIC_ENVIRONMENT_DIGEST, environment.digest()));
        run.put(REPRODUCIBLE, new BooleanProvenance(REPRODUCIBLE, environment.reproducible()));
        if (result.divergence() != null) {
            run.put("diverged", new BooleanProvenance("diverged", true));
            run.put("divergence", new StringProvenance("divergence", result.divergence().describe()));
        }
        ModelProvenance provenance = new ModelProvenance(DJLModel.class.getName(), OffsetDateTime.now(),
                examples.getProvenance(), trainerProvenance, run);
        return new DJLModel<>("djl-model", provenance, featureMap, outputInfo, blockFactory, featureConverter, outputConverter,
                exampleShape, numOutputs, result.parameters(), result.parameterShapes(), inferenceBatchSize, history, memoryFormat);
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

    /**
     * The update rule (after {@code postConfig}: the configured component, the one built from the
     * deprecated flat fields, or the default {@code TorchSgd(0.9, false, 0)}).
     * @return The optimiser component.
     */
    public TorchOptimiser getOptimiser() {
        return torchOptimiser;
    }

    /**
     * Evaluations of the held-out data per epoch.
     * @return {@code evaluationsPerEpoch} (1 by default: at the end of each epoch).
     */
    public int getEvaluationsPerEpoch() {
        return evaluationsPerEpoch;
    }

    /**
     * The learning-rate schedule (after {@code postConfig}; {@link FixedSchedule} by default).
     * @return The schedule component.
     */
    public Schedule getSchedule() {
        return schedule;
    }

    @Override
    public String toString() {
        return "DJLTrainer(blockFactory=" + blockFactory + ",featureConverter=" + featureConverter + ",outputConverter="
                + outputConverter + ",lossScale=" + lossScale + ",learningRate=" + learningRate + ",torchOptimiser=" + torchOptimiser
                + ",schedule=" + schedule + ",epochs=" + epochs + ",batchSize=" + batchSize + ",lastBatch=" + lastBatch + ",seed=" + seed + ",device=" + device
                + ",numDevices=" + numDevices + ",numThreads=" + numThreads + ",divergencePolicy=" + divergencePolicy
                + ",inferenceBatchSize=" + inferenceBatchSize + ",evaluationsPerEpoch=" + getEvaluationsPerEpoch() + ",memoryFormat=" + memoryFormat + ")";
    }

    /**
     * {@inheritDoc}
     * <p>
     * Does not start the PyTorch engine: before the engine has started, the PyTorch version is
     * the one the DJL engine was built for and the devices read {@code unresolved(device)}.
     */
    @Override
    public TrainerProvenance getProvenance() {
        return new io.github.randomgradient.djl.DJLTrainerProvenance(this);
    }

    /**
     * The trainer's provenance class as it was until commit 69dea6f moved it to its own file
     * ({@link io.github.randomgradient.djl.DJLTrainerProvenance}), kept under its old name so
     * that models Java-serialised by earlier builds still load with a plain
     * {@link java.io.ObjectInputStream}. Its serial form is the old class's; deserialisation
     * replaces each instance by the equal current provenance ({@link #readResolve()}), so none
     * outlives the stream. Protobuf files are mapped by name instead
     * ({@link ModelProtos#MOVED_PROVENANCE_CLASSES}). Never constructed; the model format is a
     * contract, tested by {@code GoldenModelTest}.
     * @deprecated Only for reading old files; use {@link io.github.randomgradient.djl.DJLTrainerProvenance}.
     */
    @Deprecated
    private static final class DJLTrainerProvenance extends SkeletalTrainerProvenance {
        private static final long serialVersionUID = 1L;

        // The old class's serial fields: same names, types and serialVersionUID.
        private final StringProvenance djlVersion;
        private final StringProvenance engineVersion;
        private final StringProvenance devices;
        private final IntProvenance threads;

        private DJLTrainerProvenance(ExtractedInfo info) {
            super(info);
            throw new UnsupportedOperationException("only read from old Java-serialised models");
        }

        @Override
        public Map<String, PrimitiveProvenance<?>> getInstanceValues() {
            Map<String, PrimitiveProvenance<?>> map = super.getInstanceValues();
            map.put(io.github.randomgradient.djl.DJLTrainerProvenance.DJL_VERSION, djlVersion);
            map.put(io.github.randomgradient.djl.DJLTrainerProvenance.ENGINE_VERSION, engineVersion);
            map.put(io.github.randomgradient.djl.DJLTrainerProvenance.DEVICES, devices);
            map.put(io.github.randomgradient.djl.DJLTrainerProvenance.THREADS, threads);
            return map;
        }

        /**
         * Replaces this by the current provenance class, built from the same values the way
         * OLCUT unmarshals it.
         * @return The equal {@link io.github.randomgradient.djl.DJLTrainerProvenance}.
         * @throws InvalidObjectException If the values do not make a valid provenance.
         */
        private Object readResolve() throws InvalidObjectException {
            Map<String, Provenance> map = new HashMap<>();
            for (Pair<String, Provenance> p : this) {
                map.put(p.getA(), p.getB());
            }
            try {
                return new io.github.randomgradient.djl.DJLTrainerProvenance(map);
            } catch (ProvenanceException e) {
                InvalidObjectException ex = new InvalidObjectException("invalid DJLTrainer provenance in an old model: " + e.getMessage());
                ex.initCause(e);
                throw ex;
            }
        }
    }
}
