package io.github.randomgradient.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.sweep.ConfirmCell;
import io.github.randomgradient.sweep.GridExtension;
import io.github.randomgradient.sweep.RunExecutor;
import io.github.randomgradient.sweep.SweepRunRecord;
import io.github.randomgradient.sweep.report.SweepReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static io.github.randomgradient.examples.BadInputFixtures.tribuoRg;
import static io.github.randomgradient.examples.ExperimentCliTest.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tribuo-rg sweep --extend}, end to end on the tiny subset of {@link SweepCliTest}: the confirm smoke
 * config with a learning-rate axis of two values {0.01, 0.02} (so every arm's choice lies on an edge), one
 * tuning seed, the two confirm seeds of the smoke sweep and {@code maxExtensions = 1}. The sweep first runs without {@code --extend};
 * the extension then adds exactly the values beyond the edges that report flagged, trains exactly the new
 * cells (every arm × seed at the added learning rates), retrains nothing, plans the confirm stage on the
 * extended grid, and a rerun after an interrupted extension trains its missing run only.
 */
public class SweepExtendCliTest {

    @TempDir
    static Path tmp;

    static Path config;
    static Path tiny;

    @BeforeAll
    static void setUp() throws IOException {
        Path configs = Files.createDirectories(tmp.resolve("configs"));
        try (Stream<Path> files = Files.list(ROOT.resolve("configs"))) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".xml"))::iterator) {
                Files.copy(f, configs.resolve(f.getFileName()));
            }
        }
        String text = Files.readString(configs.resolve("sweep-smoke-confirm.xml"));
        String[][] edits = {
                {"<item>0.05</item>\n            <item>0.1</item>", "<item>0.01</item>\n            <item>0.02</item>"},
                {"<item>1</item>\n            <item>2</item>", "<item>1</item>"},
                {"<property name=\"epochs\" value=\"1\"/>\n        <property name=\"trainSource\"",
                        "<property name=\"epochs\" value=\"1\"/>\n        <property name=\"maxExtensions\" value=\"1\"/>\n"
                                + "        <property name=\"trainSource\""}};
        for (String[] e : edits) {
            assertTrue(text.contains(e[0]), e[0]);
            text = text.replace(e[0], e[1]);
        }
        config = configs.resolve("sweep-extend.xml");
        Files.writeString(config, text);
        tiny = tmp.resolve("tiny");
        MakeFashionMnistSubset.main(new String[]{ROOT.resolve("data/fashion-mnist-subset").toString(), tiny.toString(), "30", "10"});
    }

    static BadInputFixtures.Result sweep(Path output, String... extra) {
        List<String> args = new ArrayList<>(List.of("sweep", "-c", config.toString(), "--data", tiny.toString(), "-o", output.toString(),
                "--workers", "2"));
        args.addAll(List.of(extra));
        return tribuoRg(args.toArray(String[]::new));
    }

    /** Published run directories by name, with the modification time of their record. */
    static Map<String, FileTime> published(Path output) throws IOException {
        Map<String, FileTime> out = new HashMap<>();
        try (Stream<Path> s = Files.list(output.resolve("runs"))) {
            for (Path dir : (Iterable<Path>) s.filter(p -> !p.getFileName().toString().startsWith("."))::iterator) {
                out.put(dir.getFileName().toString(), Files.getLastModifiedTime(dir.resolve(SweepRunRecord.FILE)));
            }
        }
        return out;
    }

    @Test
    public void extensionTrainsExactlyTheNewCellsThenConfirmsOnTheExtendedGridAndResumes() throws IOException {
        Path out = tmp.resolve("out");
        BadInputFixtures.Result first = sweep(out);
        assertEquals(0, first.status(), first.err());
        JsonNode before = RunFiles.JSON.readTree(out.resolve("report").resolve(SweepReport.JSON).toFile());
        // Every choice on a two-value axis is on an edge: the values to add are the flagged edges' next values.
        Set<Double> expectedAdded = new TreeSet<>();
        for (JsonNode arm : before.get("gridEdges")) {
            assertFalse(arm.get("edges").isEmpty(), arm.toString());
            for (JsonNode e : arm.get("edges")) {
                assertEquals("learningRate", e.get("axis").asText(), "momentum has one value: not tuned, never an edge");
                double chosen = e.get("chosen").asDouble();
                double next = e.get("side").asText().equals("upper") ? chosen * 2 : chosen / 2;
                assertEquals(next, e.get("next").asDouble(), 1e-12);
                expectedAdded.add(next);
            }
        }
        assertFalse(expectedAdded.isEmpty());
        Map<String, FileTime> stage1 = new HashMap<>();
        Map<String, FileTime> all = published(out);
        for (Map.Entry<String, FileTime> e : all.entrySet()) {
            if (RunExecutor.readRecord(out.resolve("runs").resolve(e.getKey())).seed() == 1) {
                stage1.put(e.getKey(), e.getValue());
            }
        }
        Set<String> confirmBefore = new HashSet<>(all.keySet());
        confirmBefore.removeAll(stage1.keySet());

        BadInputFixtures.Result extended = sweep(out, "--extend");
        assertEquals(0, extended.status(), extended.err());
        assertTrue(extended.out().contains("grid extension round 1 of at most 1"), extended.out());
        Map<String, FileTime> after = published(out);
        // Nothing published before was trained again.
        for (Map.Entry<String, FileTime> e : all.entrySet()) {
            assertEquals(e.getValue(), after.get(e.getKey()), e.getKey() + " was retrained");
        }
        // The new tuning runs are exactly the three arms at each added learning rate, seed 1 (the lr-matched arm trains
        // at lr x E[u] = lr x 0.5 with loss scale 1; where that is a baseline run already published, it is shared).
        Set<String> newTuning = new TreeSet<>();
        Set<String> newConfirm = new TreeSet<>();
        Set<Double> addedSeen = new TreeSet<>();
        for (String name : after.keySet()) {
            if (all.containsKey(name)) {
                continue;
            }
            SweepRunRecord r = RunExecutor.readRecord(out.resolve("runs").resolve(name));
            (r.seed() == 1 ? newTuning : newConfirm).add(name);
            if (r.seed() == 1) {
                double lr = Double.parseDouble(r.overrides().get("learningRate"));
                boolean rg = r.overrides().get("lossScale").equals("rg-uniform");
                boolean added = expectedAdded.stream().anyMatch(a -> Math.abs(a - lr) < 1e-12 || (!rg && Math.abs(a * 0.5 - lr) < 1e-12));
                assertTrue(added, name + " trains at lr " + lr + ", not at an added value " + expectedAdded);
                expectedAdded.stream().filter(a -> Math.abs(a - lr) < 1e-12 && rg).forEach(addedSeen::add);
            }
        }
        assertEquals(expectedAdded, addedSeen, "an RG run at every added learning rate");
        assertTrue(newTuning.size() >= 2 * expectedAdded.size() && newTuning.size() <= 3 * expectedAdded.size(), newTuning.toString());
        assertEquals(newTuning.size() + newConfirm.size(), after.size() - all.size());
        Map<String, List<String>> file = GridExtension.read(out);
        assertEquals(Set.of("learningRate"), file.keySet());
        assertEquals(expectedAdded, new TreeSet<>(file.get("learningRate").stream().map(Double::parseDouble).toList()));
        // The confirm stage is planned on the extended grid: its cells come from the extended tuning stage.
        JsonNode report = RunFiles.JSON.readTree(out.resolve("report").resolve(SweepReport.JSON).toFile());
        assertEquals(expectedAdded.size(), report.get("gridExtension").size(), report.get("gridExtension").toString());
        assertEquals(2 + expectedAdded.size(), report.get("learningRates").size(), report.get("learningRates").toString());
        for (JsonNode arm : report.get("tuned")) {
            assertTrue(ConfirmCell.read(out).stream().anyMatch(c -> c.grid().get("learningRate").equals(arm.get("learningRate").asText())),
                    arm.toString());
        }
        String md = Files.readString(out.resolve("report").resolve(SweepReport.MARKDOWN));
        assertTrue(md.contains("Grid extension (sweep --extend, at most 1 round(s)): round 1 added learningRate"), md);
        assertTrue(md.contains("Only the new cells were trained"), md);

        // Interrupted during the extension: one of its runs is not published. A rerun with --extend recomputes the same
        // round from the same published runs and trains that run only.
        String lost = newTuning.iterator().next();
        SweepCliTest.RunExecutorTestAccess.deleteTree(out.resolve("runs").resolve(lost));
        BadInputFixtures.Result resumed = sweep(out, "--extend");
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("; 1 new run(s) to train"), resumed.out());
        assertFalse(resumed.out().contains("not in this sweep"), resumed.out());
        Map<String, FileTime> finalRuns = published(out);
        assertEquals(after.keySet(), finalRuns.keySet());
        for (Map.Entry<String, FileTime> e : after.entrySet()) {
            if (!e.getKey().equals(lost)) {
                assertEquals(e.getValue(), finalRuns.get(e.getKey()), e.getKey() + " was retrained");
            }
        }
    }
}
