package io.github.randomgradient.examples;

import io.github.randomgradient.djl.DJLModel;
import io.github.randomgradient.examples.BadInputFixtures.Result;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.sweep.SweepRunRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

import static io.github.randomgradient.examples.BadInputFixtures.tribuoRg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An experiment runs on the pipeline sweeps use: its runs are published by the same executor, so
 * worker processes give the same run files as this JVM, an interrupted experiment retrains only what is
 * missing, and the run directories of an earlier version (no identity record) still resume.
 * Tiny data: 30 training and 10 test images per class, 1 epoch.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ExperimentPipelineCliTest {

    static final Path ROOT = ExperimentCliTest.ROOT;
    static final List<String> TRAINERS = List.of("mlp-baseline", "mlp-rg");
    static final long[] SEEDS = {1L, 2L};

    @TempDir
    static Path tmp;

    static Path tiny;
    static Path config;

    @BeforeAll
    static void setUp() throws IOException {
        tiny = tmp.resolve("tiny");
        MakeFashionMnistSubset.main(new String[]{ROOT.resolve("data/fashion-mnist-subset").toString(), tiny.toString(), "30", "10"});
        config = Files.writeString(tmp.resolve("experiment.xml"),
                ExperimentCliTest.experimentXml("<item>mlp-baseline</item><item>mlp-rg</item>", tmp.resolve("unused").toString()));
    }

    static Result experiment(Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("experiment", "-c", config.toString(), "--data", tiny.toString(),
                "--output-dir", out.toString()));
        args.addAll(List.of(more));
        return tribuoRg(args.toArray(String[]::new));
    }

    static byte[] parameters(RunFiles run) throws IOException {
        Model<?> m = Model.deserializeFromFile(run.file(RunFiles.MODEL));
        return ((DJLModel<?>) m).getParameterBytes();
    }

    static void assertSameRun(RunFiles a, RunFiles b) throws IOException {
        String what = a.dir() + " vs " + b.dir();
        assertArrayEquals(Files.readAllBytes(a.file(RunFiles.EVALUATION)), Files.readAllBytes(b.file(RunFiles.EVALUATION)), what);
        assertArrayEquals(parameters(a), parameters(b), what);
        assertEquals(a.readHistory().orElseThrow().epochs().get(0).meanLoss(), b.readHistory().orElseThrow().epochs().get(0).meanLoss(),
                0.0, what);
        SweepRunRecord ra = RunFiles.JSON.readValue(a.file(SweepRunRecord.EXPERIMENT_FILE).toFile(), SweepRunRecord.class);
        SweepRunRecord rb = RunFiles.JSON.readValue(b.file(SweepRunRecord.EXPERIMENT_FILE).toFile(), SweepRunRecord.class);
        assertEquals(ra.id(), rb.id(), what);
    }

    @Test
    @Order(1)
    public void twoWorkersGiveTheSameRunFilesAsOne() throws IOException {
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        Result r1 = experiment(one);
        assertEquals(0, r1.status(), r1.err());
        Result r2 = experiment(two, "--workers", "2");
        assertEquals(0, r2.status(), r2.err());
        assertTrue(r2.out().contains("experiment 'experiment': 4 runs planned, 0 already done, 4 to train with local (2 workers)"), r2.out());
        assertTrue(r2.out().contains("runs 4/4 done"), r2.out());
        for (String trainer : TRAINERS) {
            for (long seed : SEEDS) {
                RunFiles a = RunFiles.of(one, trainer, seed);
                RunFiles b = RunFiles.of(two, trainer, seed);
                assertSameRun(a, b);
                assertEquals(trainer, b.readRun().trainer());
                assertEquals(seed, b.readRun().seed());
            }
        }
        // The reports agree too (the same run files give the same table).
        assertEquals(r1.out().lines().filter(l -> l.startsWith("mlp-rg − ")).toList(),
                r2.out().lines().filter(l -> l.startsWith("mlp-rg − ")).toList());
    }

    @Test
    @Order(2)
    public void resumeAfterAnInterruptedExperimentRetrainsOnlyWhatIsMissing() throws IOException {
        Path two = tmp.resolve("two");
        RunFiles gone = RunFiles.of(two, "mlp-rg", 1L);
        RunFiles partial = RunFiles.of(two, "mlp-baseline", 2L);
        RunFiles kept = RunFiles.of(two, "mlp-baseline", 1L);
        RunFiles keptToo = RunFiles.of(two, "mlp-rg", 2L);
        FileTime keptAt = Files.getLastModifiedTime(kept.file(RunFiles.MODEL));
        FileTime keptTooAt = Files.getLastModifiedTime(keptToo.file(RunFiles.MODEL));
        // Interrupted: one run was still in its hidden attempt directory, another lost its run record.
        Path attempt = gone.dir().resolveSibling(".attempt-seed-1-local-1");
        Files.move(gone.dir(), attempt);
        Files.delete(attempt.resolve(RunFiles.RUN));
        Files.delete(partial.file(RunFiles.RUN));

        Result r = experiment(two, "--workers", "2");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("4 runs planned, 2 already done, 2 to train"), r.out());
        assertEquals(keptAt, Files.getLastModifiedTime(kept.file(RunFiles.MODEL)), "a finished run was trained again");
        assertEquals(keptTooAt, Files.getLastModifiedTime(keptToo.file(RunFiles.MODEL)), "a finished run was trained again");
        assertFalse(Files.exists(attempt), "the half-written attempt is deleted");
        assertSameRun(RunFiles.of(tmp.resolve("one"), "mlp-rg", 1L), gone);
        assertSameRun(RunFiles.of(tmp.resolve("one"), "mlp-baseline", 2L), partial);

        // Nothing is missing: nothing trains, and the same holds in this JVM.
        for (RunFiles f : List.of(kept, keptToo, gone, partial)) {
            assertFalse(Files.exists(f.file(SweepRunRecord.FILE)), "an experiment's run is not a sweep's");
        }
        FileTime goneAt = Files.getLastModifiedTime(gone.file(RunFiles.MODEL));
        Result again = experiment(two);
        assertEquals(0, again.status(), again.err());
        assertEquals(keptAt, Files.getLastModifiedTime(kept.file(RunFiles.MODEL)));
        assertEquals(goneAt, Files.getLastModifiedTime(gone.file(RunFiles.MODEL)));
    }

    @Test
    @Order(3)
    public void runDirectoriesOfAnEarlierVersionResumeByTheEarlierRule() throws IOException {
        Path earlier = ROOT.resolve("examples/src/test/resources/experiment-ad4370b");
        Path out = tmp.resolve("earlier");
        copy(earlier, out);
        RunFiles old = RunFiles.of(out, "linear-sgd-rg", 1L);
        assertFalse(Files.exists(old.file(SweepRunRecord.EXPERIMENT_FILE)), "the earlier version wrote no identity record");
        Path linearConfig = Files.writeString(tmp.resolve("linear.xml"), ExperimentCliTest.experimentXml("<item>linear-sgd-rg</item>",
                out.toString()).replace("<file name=\"data\"", "<file name=\"linear\" value=\"" + ROOT.resolve("configs/linear-sgd-rg.xml")
                + "\"/>\n  <file name=\"data\""));

        // Another configuration is refused as before, naming what differs; nothing is written.
        Result other = tribuoRg("experiment", "-c", linearConfig.toString(), "--data", tiny.toString(), "--output-dir", out.toString(),
                "--seeds", "1", "--epochs", "2");
        BadInputFixtures.assertUserError(other, List.of("was trained with another configuration", "epochs: 1 -> 2"));
        assertFalse(Files.exists(old.file(SweepRunRecord.EXPERIMENT_FILE)));

        Result r = tribuoRg("experiment", "-c", linearConfig.toString(), "--data", tiny.toString(), "--output-dir", out.toString());
        assertEquals(0, r.status(), r.err());
        for (String f : List.of(RunFiles.MODEL, RunFiles.PROVENANCE, RunFiles.EVALUATION, RunFiles.RUN)) {
            assertArrayEquals(Files.readAllBytes(earlier.resolve("runs/linear-sgd-rg/seed-1").resolve(f)), Files.readAllBytes(old.file(f)),
                    f + " of the earlier run is kept byte for byte");
        }
        assertTrue(RunFiles.of(out, "linear-sgd-rg", 2L).isComplete(), "the missing seed is trained");
        SweepRunRecord adopted = RunFiles.JSON.readValue(old.file(SweepRunRecord.EXPERIMENT_FILE).toFile(), SweepRunRecord.class);
        SweepRunRecord trained = RunFiles.JSON.readValue(RunFiles.of(out, "linear-sgd-rg", 2L).file(SweepRunRecord.EXPERIMENT_FILE).toFile(),
                SweepRunRecord.class);
        assertEquals("earlier-version", adopted.attempt());
        assertEquals(64, adopted.id().length());
        assertFalse(adopted.id().equals(trained.id()), "seeds differ, so identities differ");
        // From now on the run resumes by its identity.
        Result again = tribuoRg("experiment", "-c", linearConfig.toString(), "--data", tiny.toString(), "--output-dir", out.toString());
        assertEquals(0, again.status(), again.err());
        assertEquals(adopted, RunFiles.JSON.readValue(old.file(SweepRunRecord.EXPERIMENT_FILE).toFile(), SweepRunRecord.class));
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }
}
