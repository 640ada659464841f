package io.github.randomgradient.sweep.report;

import io.github.randomgradient.run.RunRecorder;
import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.sweep.PlannedRun;
import io.github.randomgradient.sweep.RunExecutor;
import io.github.randomgradient.sweep.SweepRunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.SGD;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the sweep report judges a run: collapse by the experiment report's rule (majority-class share,
 * not 1.5 / K), a divergence under FAIL recorded as the run's outcome, and tuning that a NaN
 * validation mean never wins.
 */
public class SweepOutcomeTest {

    private static final List<String> CLASSES = List.of("A", "B", "C", "D", "E", "F", "G", "H", "I", "J");

    /**
     * Ten classes, {@code majority} examples of A and {@code others} of every other class; the one
     * feature is constant (no signal) or the class index (perfect signal).
     */
    private static Dataset<Label> data(int majority, int others, boolean signal) {
        MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance("ten-classes", new LabelFactory()), new LabelFactory());
        for (int c = 0; c < CLASSES.size(); c++) {
            for (int i = 0; i < (c == 0 ? majority : others); i++) {
                String[] names = signal ? new String[]{"class-" + c} : new String[]{"constant"};
                d.add(new ArrayExample<>(new Label(CLASSES.get(c)), names, new double[]{1.0}));
            }
        }
        return d;
    }

    private static PlannedRun role(String dir) {
        return new PlannedRun("id-" + dir, PlannedRun.BASELINE, "", Map.of("learningRate", "0.1"), Map.of("learningRate", "0.1", "seed", "1"),
                1, "c", dir);
    }

    /** Trains a linear model, writes the run as the sweep publishes it and reads its outcome. */
    private static RunOutcome trainAndRead(Path output, String dir, Dataset<Label> train, Dataset<Label> test) {
        Model<Label> model = new LinearSGDTrainer(new LogMulticlass(), SGD.getSimpleSGD(0.5), 20, 1L).train(train);
        RunFiles files = RunFiles.at(output.resolve("runs").resolve(dir));
        RunRecorder.record(files, "baseline", 1, model, test, train.size(), 0.1);
        PlannedRun role = role(dir);
        files.writeJson(SweepRunRecord.FILE, new SweepRunRecord(role.id(), role.arm(), role.rgScale(), role.grid(), role.overrides(), 1,
                "local-1", RunRecorder.evaluate(model, test), null));
        return RunOutcome.read(output, role, 20, 0.8);
    }

    @Test
    public void aRunPredictingOnlyTheMajorityClassOfAnImbalancedTestSetIsCollapsed(@TempDir Path output) {
        // Test set: 10 of A and 1 of each of 9 other classes; a model that always says A scores 10/19 = 0.526,
        // far above 1.5 / K = 0.15, yet it learned nothing but the class prior.
        RunOutcome majority = trainAndRead(output, "majority", data(50, 5, false), data(10, 1, false));
        assertEquals(10.0 / 19.0, majority.testAccuracy(), 1e-12);
        assertEquals(RunOutcome.COLLAPSED, majority.status());
        // The same classes with a feature that tells them apart: healthy.
        RunOutcome learned = trainAndRead(output, "learned", data(50, 5, true), data(10, 1, true));
        assertEquals(1.0, learned.testAccuracy(), 1e-12);
        assertEquals(RunOutcome.OK, learned.status());
    }

    @Test
    public void aRunThatDivergedUnderFailIsPublishedAndReadAsDiverged(@TempDir Path output) {
        PlannedRun role = role("diverged");
        RunFiles files = RunFiles.at(RunExecutor.runDir(output, role));
        Divergence where = new Divergence(1, 3, Double.NaN, 1e30, 1.0);
        files.writeJson(SweepRunRecord.FILE, new SweepRunRecord(role.id(), role.arm(), role.rgScale(), role.grid(), role.overrides(), 1,
                "local-1", null, where));
        assertTrue(RunExecutor.isDone(output, role), "published: a rerun does not train it again");
        assertEquals(where, RunExecutor.readRecord(RunExecutor.runDir(output, role)).divergence());
        RunOutcome o = RunOutcome.read(output, role, 2, 0.8);
        assertEquals(RunOutcome.DIVERGED, o.status());
        assertTrue(Double.isNaN(o.testAccuracy()) && !o.reachedTarget() && o.epochsToTarget() == 3, o.toString());
    }

    private static RunOutcome cell(String lr, long seed, double validation) {
        return new RunOutcome(PlannedRun.BASELINE, PlannedRun.BASELINE, "", Map.of("learningRate", lr, "momentum", "0.9"), seed, lr,
                "run-" + lr + "-" + seed, RunOutcome.OK, 0.8, validation, 0.7, 1, true, 0.1, List.of(0.8), 0, 0);
    }

    @Test
    public void aNanValidationMeanNeverWinsTuning() {
        // The first cell in grid order has a NaN validation accuracy (e.g. an evaluation that produced none).
        List<RunOutcome> runs = List.of(cell("0.1", 1, Double.NaN), cell("0.1", 2, 0.9), cell("0.05", 1, 0.70), cell("0.05", 2, 0.72),
                cell("0.01", 1, 0.60), cell("0.01", 2, 0.62));
        Optional<SweepResults.TunedArm> tuned = SweepResults.tune("", PlannedRun.BASELINE, runs);
        assertEquals("0.05", tuned.orElseThrow().learningRate());
        assertEquals(0.71, tuned.get().meanValidationAccuracy(), 1e-12);
        // No cell with a number: no tuned arm, rather than a NaN one.
        assertTrue(SweepResults.tune("", PlannedRun.BASELINE, List.of(cell("0.1", 1, Double.NaN))).isEmpty());
    }
}
