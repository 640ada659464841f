package io.github.randomgradient.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.randomgradient.cli.AuditCommand;
import io.github.randomgradient.cli.CommandException;
import io.github.randomgradient.config.Digests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.example.GaussianLabelDataSource;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.dataset.DatasetView;
import org.tribuo.math.optimisers.SGD;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep's split stored once ({@link SplitFile}): run directories that refer to it read back and
 * audit, and fail to when it is missing or altered; run directories with the indices inline (as
 * sweeps wrote them before) still read and audit.
 */
class SplitFileTest {

    private static final double[] COV = {1.0, 0.0, 0.0, 1.0};
    private static final Dataset<Label> ALL = new MutableDataset<>(
            new GaussianLabelDataSource(2000, 1L, new double[]{0.0, 0.0}, COV, new double[]{2.0, 2.0}, COV));
    private static final int[] TRAIN = IntStream.range(0, 2000).filter(i -> i % 10 != 3).toArray();
    private static final int[] VALIDATION = IntStream.range(0, 2000).filter(i -> i % 10 == 3).toArray();

    /** Trains on a view of {@link #ALL} and writes a sweep run directory {@code output/runs/<name>}. */
    private static Path writeRun(Path output, String name, DatasetView<Label> train) {
        LinearSGDTrainer sgd = new LinearSGDTrainer(new LogMulticlass(), SGD.getSimpleSGD(0.1), 1, -1, 16, 1L);
        Model<Label> model = sgd.train(train);
        RunFiles files = RunFiles.at(output.resolve("runs").resolve(name));
        RunRecorder.record(files, "linear", 1L, model, ALL, train.size(), 0.1);
        return files.dir();
    }

    private static Map<String, String> audit(Path runDir) {
        return AuditCommand.run(new String[]{"--model", runDir.resolve(RunFiles.MODEL).toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void compactSplitRoundTripsAndAudits(@TempDir Path output) throws IOException {
        SplitFile split = SplitFile.of(TRAIN, VALIDATION, 0.1, 42L);
        DatasetView<Label> train = new DatasetView<>(ALL, TRAIN, split.tag("sweep-train"));
        train.setStoreIndices(false);
        Path file = split.writeInto(output);
        assertEquals(output.resolve("splits").resolve(split.sha256() + ".json"), file);
        assertEquals(split.sha256(), Digests.sha256(Files.readAllBytes(file)));
        assertEquals(file, split.writeInto(output));   // once: a second writer finds it
        JsonNode tree = RunFiles.JSON.readTree(file.toFile());
        assertEquals(1, tree.get("format").asInt());
        assertEquals(42L, tree.get("validationSeed").asLong());
        assertEquals(0.1, tree.get("validationFraction").asDouble());
        assertArrayEquals(TRAIN, RunFiles.JSON.convertValue(tree.get("train"), int[].class));
        assertArrayEquals(VALIDATION, RunFiles.JSON.convertValue(tree.get("validation"), int[].class));
        // the same split gives the same bytes (content-addressed)
        assertEquals(split.sha256(), SplitFile.of(TRAIN, VALIDATION, 0.1, 42L).sha256());

        Path run = writeRun(output, "compact", train);
        String provenance = Files.readString(run.resolve(RunFiles.PROVENANCE));
        assertTrue(provenance.contains("sweep-train split=splits/" + split.sha256() + ".json"));
        LoadedRun loaded = RunFiles.at(run).read();
        assertEquals(1800, loaded.record().trainExamples());
        Optional<SplitFile.Verified> verified = SplitFile.verify(run, RunFiles.at(run).readProvenance().getDatasetProvenance());
        assertEquals(1800, verified.orElseThrow().train());
        assertEquals(200, verified.get().validation());
        assertEquals("splits/" + split.sha256() + ".json (1800 training, 200 validation indices; SHA-256 verified)",
                audit(run).get("training split"));

        // a run with its indices inline, as sweeps wrote them before: its provenance is the larger by the indices
        DatasetView<Label> inline = new DatasetView<>(ALL, TRAIN, "sweep-train");
        Path old = writeRun(output, "inline", inline);
        long compactBytes = Files.size(run.resolve(RunFiles.PROVENANCE));
        long inlineBytes = Files.size(old.resolve(RunFiles.PROVENANCE));
        assertTrue(inlineBytes > compactBytes + 1800 * 50, compactBytes + " vs " + inlineBytes);
        assertEquals(1800, RunFiles.at(old).read().record().trainExamples());
        assertTrue(SplitFile.verify(old, RunFiles.at(old).readProvenance().getDatasetProvenance()).isEmpty());
        assertFalse(audit(old).containsKey("training split"));
    }

    @Test
    void missingOrAlteredSplitIsReported(@TempDir Path output) throws IOException {
        SplitFile split = SplitFile.of(TRAIN, VALIDATION, 0.1, 42L);
        DatasetView<Label> train = new DatasetView<>(ALL, TRAIN, split.tag("sweep-train"));
        train.setStoreIndices(false);
        Path run = writeRun(output, "r", train);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> RunFiles.at(run).read());
        assertTrue(missing.getMessage().contains("splits/" + split.sha256() + ".json") && missing.getMessage().contains("is missing"),
                missing.getMessage());
        CommandException auditMissing = assertThrows(CommandException.class, () -> audit(run));
        assertTrue(auditMissing.getMessage().contains("is missing"), auditMissing.getMessage());

        Path file = split.writeInto(output);
        Files.writeString(file, Files.readString(file).replace("[0,", "[1,"));
        IllegalArgumentException altered = assertThrows(IllegalArgumentException.class, () -> RunFiles.at(run).read());
        assertTrue(altered.getMessage().contains("the file was altered"), altered.getMessage());
        // A resumed sweep writes its split again: the altered copy is replaced, not trusted, so the runs that
        // name it verify again instead of training forever (before, writeInto kept any file of that name).
        assertEquals(file, split.writeInto(output));
        assertEquals(split.sha256(), Digests.sha256(Files.readAllBytes(file)));
        assertEquals(1800, RunFiles.at(run).read().record().trainExamples());
        Files.writeString(file, "not json");
        split.writeInto(output);
        assertEquals(1800, RunFiles.at(run).read().record().trainExamples());

        // a split of another size (another sweep's file under this name cannot happen; a hand-made one can)
        SplitFile other = SplitFile.of(new int[]{0, 1}, new int[]{2}, 0.1, 42L);
        DatasetView<Label> small = new DatasetView<>(ALL, TRAIN, other.tag("sweep-train"));
        small.setStoreIndices(false);
        other.writeInto(output);
        Path mismatched = writeRun(output, "m", small);
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> RunFiles.at(mismatched).read());
        assertTrue(size.getMessage().contains("1800 examples") && size.getMessage().contains("holds 2 indices"), size.getMessage());
    }
}
