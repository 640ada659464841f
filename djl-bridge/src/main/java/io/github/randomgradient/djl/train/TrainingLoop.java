package io.github.randomgradient.djl.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.loss.Loss;
import io.github.randomgradient.djl.DJLEngine;
import io.github.randomgradient.djl.DivergencePolicy;
import io.github.randomgradient.djl.ParameterIntegrity;
import io.github.randomgradient.djl.convert.OutputConverter;
import io.github.randomgradient.djl.optim.Schedule;
import io.github.randomgradient.djl.optim.TorchOptimiser;
import io.github.randomgradient.history.DivergedRunException;
import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.rg.LossScale;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training loop: epochs of shuffled mini-batches; per mini-batch one loss-scale draw, the
 * forward and backward passes ({@link Step}), the finiteness checks of loss, gradients and
 * updated parameters, and the {@code torch.optim} update ({@link TorchOptimiser}) at the
 * scheduled learning rate; per epoch the held-out metric and an {@link EpochRecord}.
 * <p>
 * A non-finite loss, gradient or parameter is caught in the step where it appears and handled by
 * the {@link DivergencePolicy}: {@code FAIL} throws {@link DivergedRunException}; {@code STOP}
 * returns the last finite parameters (the current ones when the loss or a gradient was not
 * finite, since no update was applied; those from the start of the epoch when an update produced
 * a non-finite parameter) with the divergence recorded.
 * <p>
 * The caller holds DJL's one-gradient-collector-per-JVM lock.
 *
 * @param <T> The output type.
 */
public final class TrainingLoop<T extends Output<T>> {

    private final RunSettings settings;
    private final OutputConverter<T> outputConverter;
    private final ImmutableOutputInfo<T> outputInfo;
    private final long[] exampleShape;

    /**
     * Prepares a loop.
     * @param settings The run settings.
     * @param outputConverter The loss and metric.
     * @param outputInfo The training output domain.
     * @param exampleShape The shape of one input example.
     */
    public TrainingLoop(RunSettings settings, OutputConverter<T> outputConverter, ImmutableOutputInfo<T> outputInfo,
                        long[] exampleShape) {
        this.settings = settings;
        this.outputConverter = outputConverter;
        this.outputInfo = outputInfo;
        this.exampleShape = exampleShape.clone();
    }

    /**
     * Trains a network.
     * @param block The uninitialised network.
     * @param train The training data.
     * @param heldOut Data evaluated after every epoch, or null.
     * @param heldOutName What {@code heldOut} is (for the log line).
     * @param devices The training devices.
     * @param rng The run's generator (split for initialisation, shuffling and the loss scale).
     * @return The parameters and history.
     * @throws DivergedRunException On a non-finite value under {@code FAIL}.
     * @throws IllegalArgumentException If the mini-batch policy leaves no mini-batch, or the network rejects a mini-batch.
     */
    public TrainingResult run(Block block, TensorData train, TensorData heldOut, String heldOutName, Device[] devices,
                              SplittableRandom rng) {
        // Grad mode is thread-local in libtorch: make sure it is off outside the gradient collector.
        JniUtils.setGradMode(false);
        Engine engine = DJLEngine.engine();
        SplittableRandom initRNG = rng.split();
        SplittableRandom shuffleRNG = rng.split();
        LossScale.Sampler sampler = settings.lossScale().newSampler(rng.split());
        engine.setRandomSeed(initRNG.nextInt());

        int n = train.size();
        MiniBatches batches = new MiniBatches(n, settings.batchSize(), settings.lastBatch());
        int stepsPerEpoch = batches.perEpoch();
        Schedule schedule = settings.schedule(Math.multiplyExact((long) stepsPerEpoch, settings.epochs()));
        EpochReporter reporter = new EpochReporter(settings.epochs(), outputConverter.metricName(), heldOutName);

        long[] batchShape = new long[exampleShape.length + 1];
        batchShape[0] = 1;
        System.arraycopy(exampleShape, 0, batchShape, 1, exampleShape.length);

        List<EpochRecord> records = new ArrayList<>();
        Divergence divergence = null;
        try (NDManager manager = NDManager.newBaseManager(devices[0], DJLEngine.ENGINE_NAME);
             TorchOptimiser optimiser = TorchOptimiser.of(settings.optimiser(), manager, settings.momentum(), settings.beta1(),
                     settings.beta2(), settings.weightDecay())) {
            block.initialize(manager, DataType.FLOAT32, new Shape(batchShape));
            Parameters parameters = new Parameters(block, manager, devices);
            Map<Device, NDArray[]> onDevice = new HashMap<>();
            for (Device d : devices) {
                onDevice.computeIfAbsent(d, k -> train.toDevice(manager, k, exampleShape, outputConverter));
            }
            NDArray[] heldOutTensors = heldOut == null ? null : heldOut.toDevice(manager, devices[0], exampleShape, outputConverter);
            Device[] splitDevices = new Device[devices.length * settings.splitsPerDevice()];
            for (int i = 0; i < splitDevices.length; i++) {
                splitDevices[i] = devices[i % devices.length];
            }
            Loss loss = outputConverter.loss();
            Step step = new Step(block, parameters, loss, outputConverter, splitDevices, onDevice, manager);

            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            long t = 0;
            byte[] epochStart = null;
            for (int epoch = 1; epoch <= settings.epochs() && divergence == null; epoch++) {
                if (settings.divergencePolicy() == DivergencePolicy.STOP) {
                    epochStart = parameters.save();
                }
                MiniBatches.shuffle(order, shuffleRNG);
                float[] stepLosses = new float[stepsPerEpoch];
                double scaleSum = 0;
                double metricSum = 0;
                int completed = 0;
                double lr = schedule.learningRate(t, epoch - 1);
                long start = System.nanoTime();
                reporter.startEpoch(epoch, stepsPerEpoch);
                for (int s = 0; s < stepsPerEpoch; s++, t++) {
                    double u = sampler.scale(t);
                    lr = schedule.learningRate(t, epoch - 1);
                    Step.Result r = step.run(order, batches.from(s), batches.to(s), u);
                    String nonFinite = Double.isFinite(r.loss()) ? parameters.firstNonFiniteGradient() : Divergence.LOSS;
                    if (nonFinite == null) {
                        parameters.update(optimiser, lr);
                        nonFinite = parameters.firstNonFiniteParameter();
                    }
                    if (r.backward()) {
                        parameters.zeroGradients();
                    }
                    if (nonFinite != null) {
                        divergence = new Divergence(epoch, t, r.loss(), decimal(lr), u, nonFinite);
                        break;
                    }
                    stepLosses[s] = (float) r.loss();
                    scaleSum += u;
                    metricSum += r.metricSum();
                    completed++;
                    reporter.step(r.loss());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                reporter.endEpoch(seconds);
                if (divergence != null) {
                    if (settings.divergencePolicy() == DivergencePolicy.FAIL) {
                        throw new DivergedRunException(divergence);
                    }
                    reporter.stopped(divergence.describe());
                    if (completed > 0) {
                        int seen = batches.to(completed - 1);
                        records.add(record(epoch, Arrays.copyOf(stepLosses, completed), scaleSum, metricSum, seen, Double.NaN,
                                seconds, schedule.learningRate(t - 1, epoch - 1)));
                    }
                    break;
                }
                double heldOutMetric = heldOutTensors == null ? Double.NaN
                        : evaluate(block, parameters, heldOutTensors, heldOut.size(), manager);
                EpochRecord record = record(epoch, stepLosses, scaleSum, metricSum, batches.examplesPerEpoch(), heldOutMetric,
                        seconds, lr);
                records.add(record);
                reporter.log(record, batches.examplesPerEpoch());
            }
            byte[] bytes = parameters.save();
            if (divergence != null && parameters.firstNonFiniteParameter() != null) {
                bytes = epochStart;
            }
            return new TrainingResult(bytes, ParameterIntegrity.shapes(block), records, divergence);
        }
    }

    private double evaluate(Block block, Parameters parameters, NDArray[] tensors, int size, NDManager manager) {
        double sum = 0;
        int batch = settings.inferenceBatchSize();
        for (int from = 0; from < size; from += batch) {
            int to = Math.min(size, from + batch);
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = tensors[0].get(from + ":" + to);
                x.attach(scope);
                NDArray y = tensors[1].get(from + ":" + to);
                y.attach(scope);
                NDList out = block.forward(parameters.store(), new NDList(x), false);
                out.attach(scope);
                sum += outputConverter.metricSum(out.singletonOrThrow(), y);
            }
        }
        return outputConverter.finishMetric(sum, size, outputInfo);
    }

    private EpochRecord record(int epoch, float[] stepLosses, double scaleSum, double metricSum, int examples,
                               double heldOutMetric, double seconds, double learningRate) {
        int steps = stepLosses.length;
        double lossSum = 0;
        for (float l : stepLosses) {
            lossSum += l;
        }
        return new EpochRecord(epoch, steps, steps == 0 ? Double.NaN : lossSum / steps, steps == 0 ? Double.NaN : scaleSum / steps,
                outputConverter.finishMetric(metricSum, examples, outputInfo), heldOutMetric, seconds, decimal(learningRate),
                stepLosses);
    }

    /** A learning rate as the float the update used, printed as a decimal (0.05f becomes 0.05). */
    private static double decimal(double value) {
        return Double.parseDouble(Float.toString((float) value));
    }
}
