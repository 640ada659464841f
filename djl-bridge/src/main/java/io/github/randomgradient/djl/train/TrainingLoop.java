package io.github.randomgradient.djl.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
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
import io.github.randomgradient.history.EvaluationPoint;
import io.github.randomgradient.rg.LossScale;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Output;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training loop: epochs of shuffled mini-batches; per mini-batch one loss-scale draw, the
 * forward and backward passes ({@link Step}), the reduction of every replica's gradients and the
 * {@code torch.optim} update ({@link Parameters#step}, {@link TorchOptimiser}) at the scheduled
 * learning rate; per epoch an {@link EpochRecord}; with held-out data, its loss and metric
 * {@code evaluationsPerEpoch} times per epoch ({@link #evaluatesAfter}), each an {@link EvaluationPoint}.
 * <p>
 * Evaluating never changes the training run: it runs in inference mode (batch-norm running statistics
 * are read, not updated; no dropout), outside the gradient collector, draws nothing from any generator
 * and does not move the step count, so the parameters after training are the same bytes whatever
 * {@code evaluationsPerEpoch}. Its time is excluded from every wall-clock figure of the history.
 * <p>
 * Every non-finite value (NaN or infinity) is a divergence, wherever it appears:
 * <ul>
 * <li>after each step: the mini-batch loss, the mini-batch logits (training mode), the reduced
 *     gradients (a NaN or an overflow on any device, or in their sum) and every parameter after
 *     the update, batch-norm running statistics included; caught in the step where it appears;</li>
 * <li>at each evaluation of the held-out data, when it is given: its logits in inference mode, the
 *     metric and the loss; the divergence names the step after which the evaluation ran;</li>
 * <li>at the end of training: the logits of the final parameters on the training data in
 *     inference mode (the last update is never seen by a training forward pass, and inference
 *     uses the batch-norm running statistics, so finite parameters can still predict NaN, e.g.
 *     after a huge but finite loss scale).</li>
 * </ul>
 * The {@link DivergencePolicy} handles it: {@code FAIL} throws {@link DivergedRunException};
 * {@code STOP} returns the last parameters known to be healthy (finite, and with finite
 * inference-mode logits on the training and held-out data), trying in turn the current ones, those
 * from the start of the diverging epoch and the initial ones, with the divergence recorded. When
 * not even the initial parameters are healthy, {@code STOP} throws as well.
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
     * @param heldOutName What {@code heldOut} is (for the log line and a divergence's description).
     * @param devices The training devices.
     * @param rng The run's generator (split for initialisation, shuffling and the loss scale).
     * @return The parameters and history.
     * @throws DivergedRunException On a non-finite value under {@code FAIL}, or under {@code STOP}
     *                              when no healthy parameters remain.
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
        long totalUpdates = Math.multiplyExact((long) stepsPerEpoch, settings.epochs());
        Schedule schedule = settings.schedule();
        double baseRate = settings.learningRate();
        EpochReporter reporter = new EpochReporter(settings.epochs(), outputConverter.metricName(), heldOutName);
        boolean stop = settings.divergencePolicy() == DivergencePolicy.STOP;

        long[] batchShape = new long[exampleShape.length + 1];
        batchShape[0] = 1;
        System.arraycopy(exampleShape, 0, batchShape, 1, exampleShape.length);

        List<EpochRecord> records = new ArrayList<>();
        List<EvaluationPoint> points = new ArrayList<>();
        Divergence divergence = null;
        try (NDManager manager = NDManager.newBaseManager(devices[0], DJLEngine.ENGINE_NAME);
             TorchOptimiser.Updater optimiser = settings.optimiser().newUpdater(manager);
             ReplicaServer server = new ReplicaServer(optimiser)) {
            block.initialize(manager, DataType.FLOAT32, new Shape(batchShape));
            Parameters parameters = new Parameters(block, manager, devices, settings.splitsPerDevice());
            Map<Device, NDArray[]> onDevice = new HashMap<>();
            for (Device d : devices) {
                onDevice.computeIfAbsent(d, k -> train.toDevice(manager, k, exampleShape, settings.memoryFormat(), outputConverter));
            }
            NDArray[] trainTensors = onDevice.get(devices[0]);
            NDArray[] heldOutTensors = heldOut == null ? null : heldOut.toDevice(manager, devices[0], exampleShape, settings.memoryFormat(),
                    outputConverter);
            Loss loss = outputConverter.loss();
            int heldOutSize = heldOut == null ? 0 : heldOut.size();
            Step step = new Step(block, parameters, loss, outputConverter, onDevice, manager, exampleShape,
                    settings.memoryFormat());

            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            long t = 0;
            double lastLoss = Double.NaN;
            double lastScale = Double.NaN;
            double lr = schedule.learningRate(baseRate, 0, totalUpdates, 0);
            byte[] initial = stop ? parameters.save() : null;
            byte[] epochStart = null;
            double trainedSeconds = 0;   // training wall time of the epochs before this one, evaluation excluded
            for (int epoch = 1; epoch <= settings.epochs() && divergence == null; epoch++) {
                if (stop) {
                    epochStart = epoch == 1 ? initial : parameters.save();
                }
                MiniBatches.shuffle(order, shuffleRNG);
                float[] stepLosses = new float[stepsPerEpoch];
                double scaleSum = 0;
                double metricSum = 0;
                int completed = 0;
                lr = schedule.learningRate(baseRate, t, totalUpdates, epoch - 1);
                long start = System.nanoTime();
                long evaluationNanos = 0;
                reporter.startEpoch(epoch, stepsPerEpoch);
                for (int s = 0; s < stepsPerEpoch; s++, t++) {
                    double u = sampler.scale(t);
                    lr = schedule.learningRate(baseRate, t, totalUpdates, epoch - 1);
                    Step.Result r = step.run(order, batches.from(s), batches.to(s), u);
                    String nonFinite = r.nonFinite() != null ? r.nonFinite() : parameters.step(server, lr);
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
                    lastLoss = r.loss();
                    lastScale = u;
                    completed++;
                    reporter.step(r.loss());
                    if (heldOutTensors != null && s + 1 < stepsPerEpoch
                            && evaluatesAfter(s + 1, stepsPerEpoch, settings.evaluationsPerEpoch())) {
                        long pause = System.nanoTime();
                        double at = trainedSeconds + (pause - start - evaluationNanos) / 1e9;
                        String what = evaluate(block, parameters.store(), heldOutTensors, heldOutSize, heldOutName, loss,
                                reporter, t + 1, epoch, s + 1, stepsPerEpoch, at, points);
                        evaluationNanos += System.nanoTime() - pause;
                        if (what != null) {
                            divergence = new Divergence(epoch, t, r.loss(), decimal(lr), u, what);
                            t++;   // step t completed: keep t the count of completed steps, as at the end of an epoch
                            break;
                        }
                    }
                }
                double seconds = (System.nanoTime() - start - evaluationNanos) / 1e9;
                trainedSeconds += seconds;
                reporter.endEpoch(seconds);
                if (divergence != null) {
                    if (completed > 0) {
                        int seen = batches.to(completed - 1);
                        records.add(record(epoch, Arrays.copyOf(stepLosses, completed), scaleSum, metricSum, seen, Double.NaN,
                                seconds, schedule.learningRate(baseRate, t - 1, totalUpdates, epoch - 1)));
                    }
                    break;
                }
                double heldOutMetric = Double.NaN;
                if (heldOutTensors != null) {
                    String what = evaluate(block, parameters.store(), heldOutTensors, heldOutSize, heldOutName, loss,
                            reporter, t, epoch, stepsPerEpoch, stepsPerEpoch, trainedSeconds, points);
                    heldOutMetric = points.get(points.size() - 1).heldOutMetric();
                    if (what != null) {
                        divergence = new Divergence(epoch, t - 1, lastLoss, decimal(lr), lastScale, what);
                    }
                }
                EpochRecord record = record(epoch, stepLosses, scaleSum, metricSum, batches.examplesPerEpoch(), heldOutMetric,
                        seconds, lr);
                records.add(record);
                reporter.log(record, batches.examplesPerEpoch());
            }
            if (divergence == null && !infer(block, parameters.store(), trainTensors, n, null).logitsFinite()) {
                divergence = new Divergence(records.size(), t - 1, lastLoss, decimal(lr), lastScale,
                        "logits on the training data (inference mode)");
            }
            byte[] bytes = parameters.save();
            if (divergence != null) {
                if (!stop) {
                    throw new DivergedRunException(divergence);
                }
                reporter.stopped(divergence.describe());
                bytes = lastHealthy(block, manager, divergence, trainTensors, n, heldOutTensors, heldOutSize,
                        bytes, epochStart, initial);
            }
            return new TrainingResult(bytes, ParameterIntegrity.shapes(block), records, divergence, points);
        }
    }

    /**
     * Whether the held-out data is evaluated after the {@code done}-th mini-batch of an epoch of
     * {@code stepsPerEpoch}: after every \( \lceil S/k \rceil \)-th mini-batch and after the last, so an
     * epoch has at most {@code k} evaluations, the last at its end, and one after every mini-batch when
     * {@code k >= S} (e.g. S = 10, k = 4: after mini-batches 3, 6, 9 and 10).
     * @param done Mini-batches of the epoch completed, 1 to {@code stepsPerEpoch}.
     * @param stepsPerEpoch Mini-batches per epoch, S >= 1.
     * @param perEpoch Evaluations per epoch, k >= 1.
     * @return True if an evaluation follows that mini-batch.
     * @throws IllegalArgumentException If a count is out of range.
     */
    static boolean evaluatesAfter(int done, int stepsPerEpoch, int perEpoch) {
        if (stepsPerEpoch < 1 || perEpoch < 1 || done < 1 || done > stepsPerEpoch) {
            throw new IllegalArgumentException("need 1 <= done <= stepsPerEpoch and perEpoch >= 1, found done=" + done
                    + ", stepsPerEpoch=" + stepsPerEpoch + ", perEpoch=" + perEpoch);
        }
        long every = ((long) stepsPerEpoch + perEpoch - 1) / perEpoch;
        return done == stepsPerEpoch || done % every == 0;
    }

    /**
     * Evaluates the held-out data in inference mode, adds the point (non-finite values included) and
     * says what was not finite.
     * @return Null if the logits, metric and loss are finite, else what was not, e.g. {@code validation loss}.
     */
    private String evaluate(Block block, ParameterStore store, NDArray[] heldOut, int size, String heldOutName, Loss loss,
                            EpochReporter reporter, long step, int epoch, int done, int stepsPerEpoch, double wallSeconds, List<EvaluationPoint> points) {
        Inference h = infer(block, store, heldOut, size, loss);
        points.add(new EvaluationPoint(step, epoch, epoch - 1 + (double) done / stepsPerEpoch, wallSeconds, h.loss(), h.metric()));
        reporter.point(points.get(points.size() - 1));
        if (!h.logitsFinite()) {
            return heldOutName + " logits (inference mode)";
        }
        if (!Double.isFinite(h.metric())) {
            return heldOutName + " " + outputConverter.metricName();
        }
        return Double.isFinite(h.loss()) ? null : heldOutName + " loss";
    }

    /**
     * Under {@code STOP}: the first of {@code candidates} whose parameters are finite and whose
     * inference-mode logits on the training and held-out data are finite. Leaves the block holding it.
     */
    private byte[] lastHealthy(Block block, NDManager manager, Divergence divergence, NDArray[] train, int trainSize,
                               NDArray[] heldOut, int heldOutSize, byte[]... candidates) {
        byte[] loaded = null;
        for (byte[] candidate : candidates) {
            if (candidate == null || candidate == loaded) {
                continue;
            }
            if (loaded != null) {
                load(block, manager, candidate);
            }
            loaded = candidate;
            // A fresh store reads the block's own (possibly just loaded) arrays.
            ParameterStore store = new ParameterStore(manager, false);
            if (allFinite(block) && infer(block, store, train, trainSize, null).logitsFinite()
                    && (heldOut == null || infer(block, store, heldOut, heldOutSize, null).logitsFinite())) {
                return candidate;
            }
        }
        throw new DivergedRunException(divergence);
    }

    private static boolean allFinite(Block block) {
        List<NDArray> arrays = new ArrayList<>();
        block.getParameters().values().forEach(p -> arrays.add(p.getArray()));
        return Parameters.firstNonFinite(arrays) < 0;
    }

    private static void load(Block block, NDManager manager, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            block.loadParameters(manager, in);
        } catch (IOException | MalformedModelException e) {
            throw new IllegalStateException("could not reload parameters saved during this run", e);
        }
    }

    /**
     * The metric, the loss and whether every logit is finite.
     * @param metric       The finished metric, NaN when not computed.
     * @param loss         The mean loss over the examples, NaN when not computed.
     * @param logitsFinite Whether every logit was finite.
     */
    private record Inference(double metric, double loss, boolean logitsFinite) {}

    /**
     * An inference-mode pass (as {@code DJLModel.predict}) over {@code tensors} in batches of
     * {@code inferenceBatchSize}; when {@code loss} is given, per batch one read for the metric and
     * one for the batch's mean loss (weighted by the batch's size in the mean over the examples); one
     * read in all for the logits' largest magnitude.
     * @param loss The loss to measure with the metric, or null for the logits' finiteness only.
     */
    private Inference infer(Block block, ParameterStore store, NDArray[] tensors, int size, Loss loss) {
        boolean metric = loss != null;
        double sum = 0;
        double lossSum = 0;
        int batch = settings.inferenceBatchSize();
        try (NDManager outer = tensors[0].getManager().newSubManager()) {
            NDArray largest = null;
            for (int from = 0; from < size; from += batch) {
                int to = Math.min(size, from + batch);
                try (NDManager scope = outer.newSubManager()) {
                    NDArray stored = tensors[0].get(from + ":" + to);
                    stored.attach(scope);
                    NDArray x = settings.memoryFormat().toInput(stored, exampleShape);
                    x.attach(scope);
                    NDList out = block.forward(store, new NDList(x), false);
                    out.attach(scope);
                    NDArray logits = out.singletonOrThrow();
                    NDArray m = logits.abs().max();
                    NDArray next = largest == null ? m : largest.maximum(m);
                    next.attach(outer);
                    largest = next;
                    if (metric) {
                        NDArray y = tensors[1].get(from + ":" + to);
                        y.attach(scope);
                        sum += outputConverter.metricSum(logits, y);
                        lossSum += (double) loss.evaluate(new NDList(y), new NDList(logits)).getFloat() * (to - from);
                    }
                }
            }
            boolean finite = largest == null || Float.isFinite(largest.getFloat());
            return new Inference(metric ? outputConverter.finishMetric(sum, size, outputInfo) : Double.NaN,
                    metric ? lossSum / size : Double.NaN, finite);
        }
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
