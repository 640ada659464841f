package io.github.randomgradient.sweep;

import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.rg.UniformLossScale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep's run directories and the hidden attempt directories of every engine stay within the
 * file system's 255-byte name limit, whatever the values and the attempt names.
 */
public class RunNamesTest {

    private static final String ID = "0123456789abcdef".repeat(4);

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static PlannedRun run(String dirName) {
        return new PlannedRun(ID, PlannedRun.RG, "rg-uniform", Map.of(), Map.of(), 1, "sweep-run-" + ID, dirName);
    }

    @Test
    public void runDirectoryNamesAreReadableCanonicalAndBounded() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("seed", "7");
        config.put("learningRate", "0.05");
        config.put("momentum", "0.9");
        config.put("epochs", "3");
        assertEquals("learningRate=0.05__momentum=0.9__lossScale=U_0.0_1.0__seed=7__0123456789ab",
                SweepPlan.runDirName(config, new UniformLossScale(0.0, 1.0), ID));
        // A value as long as a user may write: the readable part is shortened, the identity kept at the end.
        config.put("optimiser", "X".repeat(300));
        String name = SweepPlan.runDirName(config, new UniformLossScale(0.0, 1.0), ID);
        assertTrue(bytes(name) <= RunFiles.MAX_NAME_BYTES, bytes(name) + " bytes: " + name);
        assertTrue(name.startsWith("learningRate=0.05__momentum=0.9__optimiser=XXX"), name);
        assertTrue(name.endsWith("0123456789ab"), name);
    }

    @Test
    public void aPublishedRunUnderAnotherNameIsFoundByItsIdentity(@TempDir Path output) throws IOException {
        PlannedRun planned = run("learningRate=0.05__seed=1__0123456789ab");
        Path old = output.resolve("runs").resolve("learningRate=5e-2__seed=1__01234567");
        RunFiles.at(old).writeJson(SweepRunRecord.FILE, new SweepRunRecord(ID, planned.arm(), planned.rgScale(), Map.of(), Map.of(), 1,
                "local-1", null, new io.github.randomgradient.history.Divergence(1, 0, Double.NaN, 1e30, 1.0)));
        Path stranger = output.resolve("runs").resolve("learningRate=0.2__seed=1__fedcba98");
        RunFiles.at(stranger).writeJson(SweepRunRecord.FILE, new SweepRunRecord("f".repeat(64), planned.arm(), "", Map.of(), Map.of(), 1,
                "local-1", null, new io.github.randomgradient.history.Divergence(1, 0, Double.NaN, 1e30, 1.0)));
        assertTrue(!RunExecutor.isDone(output, planned));
        assertEquals(java.util.List.of("learningRate=5e-2__seed=1__01234567 -> " + planned.dirName()),
                RunExecutor.adoptByIdentity(output, java.util.List.of(planned)));
        assertTrue(RunExecutor.isDone(output, planned));
        assertTrue(!Files.exists(old) && Files.exists(stranger), "a run the plan does not hold is left alone");
        assertEquals(java.util.List.of(), RunExecutor.adoptByIdentity(output, java.util.List.of(planned)));
    }

    @Test
    public void attemptDirectoriesOfEveryEngineFitTheNameLimit(@TempDir Path output) throws IOException {
        PlannedRun longest = run("r".repeat(RunFiles.MAX_NAME_BYTES));   // the longest name a plan gives
        Path local = RunExecutor.attemptDir(output, longest, "local-2");
        Path spark = RunExecutor.attemptDir(output, longest, "spark-stage12-task345-attempt3");
        for (Path p : new Path[]{local, spark}) {
            String n = p.getFileName().toString();
            assertTrue(bytes(n) <= RunFiles.MAX_NAME_BYTES, bytes(n) + " bytes");
            assertTrue(n.startsWith(".attempt-rrr"), n);
            assertEquals(output.resolve("runs"), p.getParent());
            Files.createDirectories(p);   // "File name too long" before the names were bounded
        }
        assertNotEquals(local, spark, "each attempt has its own directory");
        assertEquals(local, RunExecutor.attemptDir(output, longest, "local-2"));
        assertEquals(2, RunExecutor.deleteAttempts(output));
        // A short name keeps its plain form.
        assertEquals(".attempt-lr=0.1__seed=1__abc-local-1", RunExecutor.attemptDir(output, run("lr=0.1__seed=1__abc"), "local-1")
                .getFileName().toString());
    }
}
