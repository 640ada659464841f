package io.github.randomgradient.djl.train;

import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.EvaluationPoint;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reports training progress: one log line per epoch (and one at level FINE per evaluation of the held-out data) and, when a terminal is attached, a
 * progress bar over the epoch's steps.
 */
final class EpochReporter {

    private static final Logger logger = Logger.getLogger("io.github.randomgradient.djl.DJLTrainer");

    private final int epochs;
    private final String metricName;
    private final String heldOutName;
    private double trainSeconds;
    private ProgressBar bar;

    EpochReporter(int epochs, String metricName, String heldOutName) {
        this.epochs = epochs;
        this.metricName = metricName;
        this.heldOutName = heldOutName;
    }

    /** Starts an epoch's progress bar when a terminal is attached. */
    void startEpoch(int epoch, int steps) {
        if (System.console() != null) {
            bar = new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + epochs).setInitialMax(steps)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" steps", 1).showSpeed().build();
        }
    }

    /** Advances the progress bar by one step. */
    void step(double loss) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(" loss %.4f", loss));
        }
    }

    /** Closes the epoch's progress bar and adds its seconds to the running total. */
    void endEpoch(double seconds) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        trainSeconds += seconds;
    }

    /** Logs a finished epoch: loss, mean loss scale, metrics, throughput, time and ETA. */
    void log(EpochRecord r, int examples) {
        double eta = trainSeconds / r.epoch() * (epochs - r.epoch());
        String heldOut = Double.isNaN(r.heldOutMetric()) ? "" : String.format(", %s %s %.4f", heldOutName, metricName, r.heldOutMetric());
        logger.info(String.format("epoch %d/%d: loss %.4f (mean loss scale %.3f), %s %.4f%s, %.0f samples/s, %.1f s, ETA %.0f s",
                r.epoch(), epochs, r.meanLoss(), r.meanLossScale(), metricName, r.trainingMetric(), heldOut,
                r.samplesPerSecond(examples), r.wallSeconds(), eta));
    }

    /** Logs an evaluation of the held-out data (at level FINE: the epoch's line carries its last one). */
    void point(EvaluationPoint p) {
        if (logger.isLoggable(Level.FINE)) {
            logger.fine(String.format("step %d (epoch %.3f): %s loss %.4f, %s %s %.4f, %.1f s of training", p.step(),
                    p.epochFraction(), heldOutName, p.heldOutLoss(), heldOutName, metricName, p.heldOutMetric(), p.wallSeconds()));
        }
    }

    /** Logs that training stopped under divergencePolicy=STOP. */
    void stopped(String description) {
        logger.warning("Training stopped (divergencePolicy=STOP): " + description);
    }
}
