package io.github.randomgradient.djl.rg;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.tracker.Tracker;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.TrainingHistory;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The {@link TrainingListener} that drives a {@link RandomGradientLoss} and records its run: it
 * advances the loss's optimiser step once per training batch and records, per step, the factor
 * \( u_t \) and the unscaled mini-batch loss, and per epoch an {@link EpochRecord} of the
 * project's {@link TrainingHistory} (mean unscaled loss, mean factor, optional metric on the
 * training and validation batches, wall seconds, learning rate).
 * <p>
 * Register it in the {@code DefaultTrainingConfig} whose loss is the {@link RandomGradientLoss}.
 * When the trainer is created ({@code onTrainingBegin}) it checks, before any training:
 * <ul>
 *     <li>that the trainer's loss is this listener's loss;</li>
 *     <li>that the trainer does not combine an executor service with several devices: DJL 0.36's
 *     {@code EasyTrain.trainBatch} submits those device splits without waiting for them
 *     (deepjavalibrary/djl#2459), so {@code onTrainingBatch} and {@code step()} could run before
 *     every split has called {@code backward}. Without the executor service the splits run in
 *     sequence and share one factor.</li>
 *     <li>DJL's all-zero-gradient check: {@code Trainer.step()} throws "Gradient values are all
 *     zeros" if the gradients of the <em>first</em> step sum to zero, a guard against a forgotten
 *     {@code backward}. With a factor of exactly 0 at step 0 (e.g. {@code ConstantLossScale(0)})
 *     the zero gradient is intended, so the listener marks that one-off check as done (DJL's
 *     private {@code Trainer.gradientsChecked} flag, set by reflection) and logs it. The factor
 *     itself is never changed. If a future DJL renames the flag, the trainer is refused with a
 *     message before training.</li>
 * </ul>
 * The unscaled loss of a step is the wrapped loss on each device split, weighted by the split's
 * share of the mini-batch (DJL's {@code BatchData} keeps one split per device, so the splits must
 * be on distinct devices, as {@code Batch.split} makes them). Custom loops call {@code trainer.notifyListeners(l ->
 * l.onTrainingBatch(trainer, batchData))} after the backward pass and {@code onEpoch} at the end
 * of each epoch, as {@code EasyTrain} does.
 */
public final class RandomGradientListener implements TrainingListener {

    private static final Logger logger = Logger.getLogger(RandomGradientListener.class.getName());
    private static final String TRAIN_KEY = "rg-history-train";
    private static final String HELD_OUT_KEY = "rg-history-held-out";

    private final RandomGradientLoss loss;
    private final Evaluator metric;
    private final String heldOutData;
    private final Tracker learningRate;

    private final List<Double> draws = new ArrayList<>();
    private final List<EpochRecord> epochs = new ArrayList<>();
    private final List<Float> epochLosses = new ArrayList<>();
    private double epochScaleSum;
    private boolean sawValidation;
    private long epochStartNanos;

    private RandomGradientListener(Builder builder) {
        this.loss = builder.loss;
        this.metric = builder.metric;
        this.heldOutData = builder.heldOutData;
        this.learningRate = builder.learningRate;
    }

    /**
     * Creates a builder.
     * @return A new builder.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The loss this listener drives.
     * @return The loss.
     */
    public RandomGradientLoss getLoss() {
        return loss;
    }

    /**
     * The factor of every optimiser step so far, in step order.
     * @return The factors (dimensionless).
     */
    public double[] getDraws() {
        return draws.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The loss scale's expected factor \( E[u] \); a baseline with the same mean step trains at
     * {@code learningRate * getExpectedLossScale()}.
     * @return The expected factor (dimensionless); NaN for a schedule whose mean depends on the run's
     *         length (not {@link io.github.randomgradient.rg.LossScale#isStationary() stationary}):
     *         use the realised mean factor of the training history instead.
     */
    public double getExpectedLossScale() {
        return loss.getLossScale().runMeanFactor();
    }

    /**
     * The history of the completed epochs, in the project's format (write it as JSON with the
     * report's {@code RunFiles.JSON}).
     * @return The history; its metric is the evaluator's name ({@code none} without one).
     */
    public TrainingHistory getTrainingHistory() {
        return new TrainingHistory(metric == null ? "none" : metric.getName(), heldOutData,
                Collections.unmodifiableList(epochs), null);
    }

    /** {@inheritDoc} Checks the trainer's configuration and starts a new record at step 0. */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        if (trainer.getLoss() != loss) {
            throw new IllegalArgumentException("RandomGradientListener: the trainer's loss is " + trainer.getLoss()
                    + ", not this listener's " + loss + "; pass the same RandomGradientLoss to DefaultTrainingConfig");
        }
        int devices = trainer.getDevices().length;
        if (devices > 1 && trainer.getExecutorService().isPresent()) {
            throw new IllegalArgumentException("RandomGradientLoss cannot train on " + devices + " devices with an executor "
                    + "service: DJL 0.36 EasyTrain.trainBatch does not wait for the device splits before step() "
                    + "(deepjavalibrary/djl#2459); remove optExecutorService(...) from the DefaultTrainingConfig");
        }
        if (loss.factorAt(0) == 0.0) {
            skipFirstStepGradientCheck(trainer);
        }
        draws.clear();
        epochs.clear();
        startEpoch();
        if (metric != null) {
            metric.addAccumulator(TRAIN_KEY);
            metric.addAccumulator(HELD_OUT_KEY);
        }
        loss.bind(this);
    }

    /** {@inheritDoc} Records the step's factor and unscaled loss, then advances the loss's step. */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        double stepLoss = 0;
        long total = 0;
        for (Map.Entry<Device, NDList> e : batchData.getLabels().entrySet()) {
            NDList labels = e.getValue();
            NDList predictions = batchData.getPredictions().get(e.getKey());
            long n = labels.head().getShape().get(0);
            try (NDArray value = loss.getWrappedLoss().evaluate(labels, predictions)) {
                stepLoss += value.getFloat() * (double) n;
            }
            total += n;
            if (metric != null) {
                metric.updateAccumulator(TRAIN_KEY, labels, predictions);
            }
        }
        double u = loss.endStep();
        draws.add(u);
        epochScaleSum += u;
        epochLosses.add((float) (total == 0 ? Double.NaN : stepLoss / total));
    }

    /** {@inheritDoc} Accumulates the held-out metric; takes no draw. */
    @Override
    public void onValidationBatch(Trainer trainer, BatchData batchData) {
        sawValidation = true;
        if (metric != null) {
            for (Map.Entry<Device, NDList> e : batchData.getLabels().entrySet()) {
                metric.updateAccumulator(HELD_OUT_KEY, e.getValue(), batchData.getPredictions().get(e.getKey()));
            }
        }
    }

    /** {@inheritDoc} Closes the epoch's record. */
    @Override
    public void onEpoch(Trainer trainer) {
        int steps = epochLosses.size();
        float[] stepLosses = new float[steps];
        double lossSum = 0;
        for (int i = 0; i < steps; i++) {
            stepLosses[i] = epochLosses.get(i);
            lossSum += stepLosses[i];
        }
        double trainMetric = Double.NaN;
        double heldOut = Double.NaN;
        if (metric != null) {
            trainMetric = steps == 0 ? Double.NaN : metric.getAccumulator(TRAIN_KEY);
            heldOut = sawValidation ? metric.getAccumulator(HELD_OUT_KEY) : Double.NaN;
            metric.resetAccumulator(TRAIN_KEY);
            metric.resetAccumulator(HELD_OUT_KEY);
        }
        double lr = learningRate == null ? Double.NaN : learningRate.getNewValue((int) Math.max(1, loss.getStep()));
        double seconds = (System.nanoTime() - epochStartNanos) / 1e9;
        epochs.add(new EpochRecord(epochs.size() + 1, steps, steps == 0 ? Double.NaN : lossSum / steps,
                steps == 0 ? Double.NaN : epochScaleSum / steps, trainMetric, heldOut, seconds, lr, stepLosses));
        startEpoch();
    }

    /** {@inheritDoc} Releases the loss. */
    @Override
    public void onTrainingEnd(Trainer trainer) {
        loss.unbind(this);
    }

    private void startEpoch() {
        epochLosses.clear();
        epochScaleSum = 0;
        sawValidation = false;
        epochStartNanos = System.nanoTime();
    }

    private static void skipFirstStepGradientCheck(Trainer trainer) {
        try {
            Field checked = Trainer.class.getDeclaredField("gradientsChecked");
            checked.setAccessible(true);
            checked.setBoolean(trainer, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("The loss scale gives factor 0 at step 0, which DJL's first-step check in "
                    + "Trainer.step() rejects (\"Gradient values are all zeros\"), and this DJL version's Trainer has no "
                    + "'gradientsChecked' flag to mark the check as done (" + e + "); use a seed or loss scale whose first factor is > 0", e);
        }
        logger.info("Loss scale factor is 0 at step 0: DJL's first-step all-zero-gradient check is marked done for this trainer");
    }

    /**
     * Builds a {@link RandomGradientListener}: {@code setLoss} is required.
     */
    public static final class Builder {
        private RandomGradientLoss loss;
        private Evaluator metric;
        private String heldOutData = "validation";
        private Tracker learningRate;

        private Builder() {
        }

        /**
         * Sets the loss this listener drives; it must be the trainer's loss.
         * @param loss The loss wrapper.
         * @return This builder.
         */
        public Builder setLoss(RandomGradientLoss loss) {
            this.loss = loss;
            return this;
        }

        /**
         * Records this evaluator per epoch on the training batches (as trained, before the step)
         * and on the validation batches. It keeps its own accumulators, so it may also be one of
         * the trainer's evaluators.
         * @param metric The evaluator, e.g. {@code new Accuracy()}.
         * @return This builder.
         */
        public Builder optMetric(Evaluator metric) {
            this.metric = metric;
            return this;
        }

        /**
         * Names the validation data in the history (default {@code validation}).
         * @param name The name, e.g. {@code test}.
         * @return This builder.
         */
        public Builder optHeldOutData(String name) {
            this.heldOutData = name;
            return this;
        }

        /**
         * Records the learning rate the tracker gives at the last step of each epoch.
         * @param tracker The optimiser's learning-rate tracker.
         * @return This builder.
         */
        public Builder optLearningRate(Tracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        /**
         * Builds the listener.
         * @return The listener.
         * @throws NullPointerException If the loss or the held-out data name is missing.
         */
        public RandomGradientListener build() {
            Objects.requireNonNull(loss, "loss must be set with setLoss(...)");
            Objects.requireNonNull(heldOutData, "heldOutData");
            return new RandomGradientListener(this);
        }
    }
}
