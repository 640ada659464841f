package io.github.randomgradient.run;

import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.EvaluationPoint;
import io.github.randomgradient.history.TrainingHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run directory's {@value RunFiles#HISTORY}: the held-out curve round-trips, NaN points
 * included, and files written before the curve was recorded still load, with no points.
 */
public class HistoryFileTest {

    @TempDir
    Path dir;

    private static final EpochRecord EPOCH_1 = new EpochRecord(1, 4, 0.5, 1.0, 0.75, 0.7, 1.25, 0.1, new float[]{0.6f, 0.5f, 0.5f, 0.4f});
    private static final EpochRecord EPOCH_2 = new EpochRecord(2, 2, 0.3, 1.0, 0.8, Double.NaN, 0.5, 0.1, new float[]{0.3f, 0.3f});

    @Test
    public void theHeldOutCurveRoundTripsThroughTheRunDirectory() {
        TrainingHistory history = new TrainingHistory("accuracy", "validation", List.of(EPOCH_1, EPOCH_2),
                new Divergence(2, 5, 0.3, 0.1, 1.0, "validation logits (inference mode)"),
                List.of(new EvaluationPoint(2, 1, 0.5, 0.625, 0.55, 0.65),
                        new EvaluationPoint(4, 1, 1.0, 1.25, 0.5, 0.7),
                        new EvaluationPoint(6, 2, 1.5, 1.75, Double.NaN, Double.NaN)));
        RunFiles files = RunFiles.at(dir);
        files.writeJson(RunFiles.HISTORY, history);
        assertEquals(history, files.readHistory().orElseThrow());
    }

    /** A history.json as builds before the held-out curve wrote it (no "evaluations"). */
    @Test
    public void aHistoryWrittenBeforeTheCurveLoadsWithNoPoints() throws IOException {
        Files.writeString(dir.resolve(RunFiles.HISTORY), "{\"metric\":\"accuracy\",\"heldOutData\":\"test\",\"epochs\":[{\"epoch\":1,"
                + "\"steps\":2,\"meanLoss\":0.5,\"meanLossScale\":1.0,\"trainingMetric\":0.75,\"heldOutMetric\":0.7,\"wallSeconds\":1.5,"
                + "\"learningRate\":0.1,\"stepLosses\":[0.6,0.4]}],\"divergence\":null}");
        TrainingHistory read = RunFiles.at(dir).readHistory().orElseThrow();
        assertEquals(1, read.epochs().size());
        assertEquals(0.7, read.epochs().get(0).heldOutMetric());
        assertTrue(read.evaluations().isEmpty());
    }

    @Test
    public void aMalformedPointIsACorruptFileNamingIt() throws IOException {
        Files.writeString(dir.resolve(RunFiles.HISTORY), "{\"metric\":\"accuracy\",\"heldOutData\":\"validation\",\"epochs\":[],"
                + "\"divergence\":null,\"evaluations\":[{\"step\":0,\"epoch\":1,\"epochFraction\":0.5,\"wallSeconds\":1.0,"
                + "\"heldOutLoss\":0.5,\"heldOutMetric\":0.5}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunFiles.at(dir).readHistory());
        assertTrue(e.getMessage().contains(RunFiles.HISTORY) && e.getMessage().contains("corrupt")
                && e.getMessage().contains("step must be >= 1"), e.getMessage());
    }
}
