package io.github.randomgradient.djl;

import io.github.randomgradient.config.ConfigChecks;
import io.github.randomgradient.djl.block.BlockFactory;
import io.github.randomgradient.djl.convert.FeatureConverter;
import io.github.randomgradient.djl.convert.OutputConverter;
import io.github.randomgradient.djl.optim.LearningRateSchedule;
import io.github.randomgradient.djl.optim.OptimiserType;
import io.github.randomgradient.djl.optim.Schedule;
import io.github.randomgradient.djl.optim.TorchOptimiser;
import io.github.randomgradient.rg.LossScale;
import org.tribuo.Output;

import java.util.Objects;

/**
 * Builds a {@link DJLTrainer} from Java ({@link DJLTrainer#builder}). The builder writes into a
 * trainer that starts with the defaults of the {@code @Config} fields (the only place they are
 * written down); {@link #build()} validates it exactly as a config file would. A builder builds
 * one trainer.
 * <p>
 * The optimiser and the schedule are components: {@link #optOptimiser(TorchOptimiser)} (e.g.
 * {@code new TorchSgd(0.9f, false, 0f)}) and {@link #optSchedule(Schedule)} (e.g.
 * {@code new PolySchedule(0.9f)}). The flat setters of earlier versions ({@code optOptimiser(OptimiserType)},
 * {@code optMomentum}, {@code optBetas}, {@code optWeightDecay}, {@code optLrSchedule}, {@code optLrPower},
 * {@code optStep}) still work, in any order, and build the same components; mixing them with the
 * component of their group is refused at {@link #build()}.
 * @param <T> The output type.
 */
public final class DJLTrainerBuilder<T extends Output<T>> {
    private DJLTrainer<T> trainer;

    DJLTrainerBuilder(DJLTrainer<T> trainer) {
        this.trainer = trainer;
    }

    private DJLTrainer<T> t() {
        if (trainer == null) {
            throw new IllegalStateException("this builder has already built its trainer; start a new one with DJLTrainer.builder");
        }
        return trainer;
    }

    /**
     * @param v The block factory.
     * @return This builder.
     */
    public DJLTrainerBuilder<T> setBlockFactory(BlockFactory v) {
        t().blockFactory = v;
        return this;
    }

    /**
     * @param v The feature converter.
     * @return This builder.
     */
    public DJLTrainerBuilder<T> setFeatureConverter(FeatureConverter v) {
        t().featureConverter = v;
        return this;
    }

    /**
     * @param v The output converter.
     * @return This builder.
     */
    public DJLTrainerBuilder<T> setOutputConverter(OutputConverter<T> v) {
        t().outputConverter = v;
        return this;
    }

    /**
     * @param v The loss scale (default: the baseline, 1.0).
     * @return This builder.
     */
    public DJLTrainerBuilder<T> optLossScale(LossScale v) {
        t().lossScale = v;
        return this;
    }

    /**
     * @param v The update rule component (default {@code TorchSgd(0.9, false, 0)}), e.g. a
     *          {@link io.github.randomgradient.djl.optim.TorchSgd} or {@link io.github.randomgradient.djl.optim.TorchAdam}.
     * @return This builder.
     */
    public DJLTrainerBuilder<T> optOptimiser(TorchOptimiser v) {
        t().torchOptimiser = v;
        return this;
    }

    /**
     * @param v The learning-rate schedule component (default {@link io.github.randomgradient.djl.optim.FixedSchedule}).
     * @return This builder.
     */
    public DJLTrainerBuilder<T> optSchedule(Schedule v) {
        t().schedule = v;
        return this;
    }

    /**
     * @param v The update rule (default SGD, {@code torch.optim.SGD}).
     * @return This builder.
     * @deprecated Use {@link #optOptimiser(TorchOptimiser)}; this builds the same component from the flat settings.
     */
    @Deprecated
    public DJLTrainerBuilder<T> optOptimiser(OptimiserType v) {
        t().optimiser = v;
        return this;
    }

    /**
     * @param v The base learning rate per step (default 0.1, the RG paper's CIFAR value).
     * @return This builder.
     */
    public DJLTrainerBuilder<T> optLearningRate(float v) {
        t().learningRate = v;
        return this;
    }

    /**
     * @param v Momentum for SGD and Nesterov (default 0.9).
     * @return This builder.
     * @deprecated Use {@link #optOptimiser(TorchOptimiser)} with a {@code TorchSgd}.
     */
    @Deprecated
    public DJLTrainerBuilder<T> optMomentum(float v) {
        t().momentum = v;
        return this;
    }

    /**
     * @param b1 Adam's beta1 (default 0.9).
     * @param b2 Adam's beta2 (default 0.999).
     * @return This builder.
     * @deprecated Use {@link #optOptimiser(TorchOptimiser)} with a {@code TorchAdam}.
     */
    @Deprecated
    public DJLTrainerBuilder<T> optBetas(float b1, float b2) {
        t().beta1 = b1;
        t().beta2 = b2;
        return this;
    }

    /**
     * @param v The optimiser's weight decay (default 0).
     * @return This builder.
     * @deprecated Use the weight decay of the {@link #optOptimiser(TorchOptimiser)} component.
     */
    @Deprecated
    public DJLTrainerBuilder<T> optWeightDecay(float v) {
        t().weightDecay = v;
        return this;
    }

    /**
     * @param v The learning-rate schedule (default FIXED).
     * @return This builder.
     * @deprecated Use {@link #optSchedule(Schedule)}.
     */
    @Deprecated
    public DJLTrainerBuilder<T> optLrSchedule(LearningRateSchedule v) {
        t().lrSchedule = v;
        return this;
    }

    /**
     * @param v The POLY exponent (default 0.9).
     * @return This builder.
     * @deprecated Use {@link #optSchedule(Schedule)} with a {@code PolySchedule}.
     */
    @Deprecated
    public DJLTrainerBuilder<T> optLrPower(float v) {
        t().lrPower = v;
        return this;
    }

    /**
     * @param period STEP period in epochs (default 10).
     * @param gamma STEP factor (default 0.1).
     * @return This builder.
     * @deprecated Use {@link #optSchedule(Schedule)} with a {@code StepSchedule}.
     */
    @Deprecated
    public DJLTrainerBuilder<T> optStep(int period, float gamma) {
        t().stepEpochs = period;
        t().stepGamma = gamma;
        return this;
    }

    /**
     * @param v Epochs (default 10).
     * @return This builder.
     */
    public DJLTrainerBuilder<T> optEpochs(int v) {
        t().epochs = v;
        return this;
    }

    /**
     * @param v Mini-batch size (default 64).
     * @return This builder.
     */
    public DJLTrainerBuilder<T> optBatchSize(int v) {
        t().batchSize = v;
        return this;
    }

    /**
     * @param v The trailing mini-batch policy (default MERGE).
     * @return This builder.
     */
    public DJLTrainerBuilder<T> optLastBatch(LastBatch v) {
        t().lastBatch = v;
        return this;
    }

    /**
     * @param v The seed (default {@link org.tribuo.Trainer#DEFAULT_SEED}).
     * @return This builder.
     */
    public DJLTrainerBuilder<T> optSeed(long v) {
        t().seed = v;
        return this;
    }

    /**
     * @param v The device: auto, cpu, gpu or gpu:N (default auto).
     * @return This builder.
     */
    public DJLTrainerBuilder<T> optDevice(String v) {
        t().device = v;
        return this;
    }

    /**
     * @param v Devices for data parallelism (default 1).
     * @return This builder.
     */
    public DJLTrainerBuilder<T> optNumDevices(int v) {
        t().numDevices = v;
        return this;
    }

    /**
     * @param v PyTorch intra-op threads (default 1).
     * @return This builder.
     */
    public DJLTrainerBuilder<T> optNumThreads(int v) {
        t().numThreads = v;
        return this;
    }

    /**
     * @param v The divergence policy (default FAIL).
     * @return This builder.
     */
    public DJLTrainerBuilder<T> optDivergencePolicy(DivergencePolicy v) {
        t().divergencePolicy = v;
        return this;
    }

    /**
     * @param v Examples per forward pass when predicting (default 256).
     * @return This builder.
     */
    public DJLTrainerBuilder<T> optInferenceBatchSize(int v) {
        t().inferenceBatchSize = v;
        return this;
    }

    /**
     * @param v Evaluations of the held-out data per epoch, >= 1 (default 1: at the end of each epoch);
     *          see {@code DJLTrainer}'s {@code evaluationsPerEpoch}.
     * @return This builder.
     */
    public DJLTrainerBuilder<T> optEvaluationsPerEpoch(int v) {
        t().evaluationsPerEpoch = v;
        return this;
    }

    /**
     * @param v The memory format of image inputs (default CONTIGUOUS; see {@link MemoryFormat}).
     * @return This builder.
     */
    public DJLTrainerBuilder<T> optMemoryFormat(MemoryFormat v) {
        t().memoryFormat = v;
        return this;
    }

    /**
     * Validates and returns the trainer.
     * @return The trainer.
     * @throws NullPointerException If the block factory or a converter is missing.
     * @throws IllegalArgumentException If a value is invalid; the message names the field and value.
     * @throws IllegalStateException If this builder has already built its trainer.
     */
    public DJLTrainer<T> build() {
        DJLTrainer<T> built = t();
        Objects.requireNonNull(built.blockFactory, "blockFactory");
        Objects.requireNonNull(built.featureConverter, "featureConverter");
        Objects.requireNonNull(built.outputConverter, "outputConverter");
        ConfigChecks.validateForJavaApi(built);
        trainer = null;
        return built;
    }
}
