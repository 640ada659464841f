package io.github.randomgradient.spark;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.sweep.ConfirmCell;
import io.github.randomgradient.sweep.RunExecutor;
import io.github.randomgradient.sweep.SweepRunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smoke sweep with a confirm stage ({@code configs/sweep-smoke-confirm.xml}) as Spark jobs in
 * {@code local[2,2]}: the tuning stage and then the confirm stage run through the Spark engine, one
 * job each, and the confirm runs' workers plan them from the cells the driver chose.
 */
public class SparkConfirmSweepTest {

    @TempDir
    Path tmp;

    @Test
    public void bothStagesRunOnSpark() throws IOException {
        Path out = tmp.resolve("spark-confirm");
        System.setProperty("spark.master", "local[2,2]");
        System.setProperty("spark.ui.enabled", "false");
        SparkSweepTest.Result r;
        try {
            r = SparkSweepTest.tribuoRg("sweep", "-c", SparkSweepTest.ROOT.resolve("configs/sweep-smoke-confirm.xml").toString(),
                    "--data", Paths.get("src/test/resources/tiny-fashion-mnist").toAbsolutePath().toString(), "-o", out.toString(),
                    "--engine", "spark", "--workers", "2");
        } finally {
            System.clearProperty("spark.master");
            System.clearProperty("spark.ui.enabled");
        }
        assertEquals(0, r.status(), r.err() + r.out());
        List<ConfirmCell> cells = List.of(RunFiles.JSON.readValue(out.resolve(ConfirmCell.FILE).toFile(), ConfirmCell[].class));
        assertEquals(3, cells.size());
        List<SweepRunRecord> confirm = new ArrayList<>();
        int tuning = 0;
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            for (Path dir : (Iterable<Path>) s::iterator) {
                SweepRunRecord rec = RunExecutor.readRecord(dir);
                assertTrue(rec.attempt().startsWith("spark-stage"), rec.attempt());
                if (rec.seed() == 101 || rec.seed() == 102) {
                    confirm.add(rec);
                    assertTrue(cells.stream().anyMatch(c -> c.grid().equals(rec.grid())), rec.grid() + " is no chosen cell " + cells);
                } else {
                    tuning++;
                }
            }
        }
        assertEquals(10, tuning);
        assertTrue(r.out().contains("stage 2 (confirm): " + confirm.size() + " runs (3 chosen cells x 2 fresh seeds), 0 already done, "
                + confirm.size() + " to train"), r.out());
        JsonNode report = RunFiles.JSON.readTree(out.resolve("report/report.json").toFile());
        assertEquals("done", report.get("confirm").get("status").asText());
        assertEquals(6, report.get("confirm").get("runs").size(), "the confirm stage's roles: 3 arms x 2 seeds");
    }
}
