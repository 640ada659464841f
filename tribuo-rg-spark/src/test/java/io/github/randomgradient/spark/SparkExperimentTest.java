package io.github.randomgradient.spark;

import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.spark.SparkSweepTest.Result;
import io.github.randomgradient.sweep.SweepRunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static io.github.randomgradient.spark.SparkSweepTest.ROOT;
import static io.github.randomgradient.spark.SparkSweepTest.parameters;
import static io.github.randomgradient.spark.SparkSweepTest.tribuoRg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An experiment (2 trainers x 2 seeds x 1 epoch on 300 training images) as a Spark job in
 * {@code local[2]}: the Spark engine serves an experiment's plan as it serves a sweep's, and every run
 * is identical to the one trained in the command's own JVM.
 */
public class SparkExperimentTest {

    @TempDir
    Path tmp;

    Path config(Path out) throws IOException {
        return Files.writeString(tmp.resolve("experiment.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "  <file name=\"trainers\" value=\"" + ROOT.resolve("configs/fashion-mnist-trainers.xml") + "\"/>\n"
                + "  <file name=\"data\" value=\"" + ROOT.resolve("configs/data-fashion-mnist.xml") + "\"/>\n"
                + "  <component name=\"experiment\" type=\"io.github.randomgradient.cli.Experiment\">\n"
                + "    <propertylist name=\"trainers\"><item>mlp-baseline</item><item>mlp-rg</item></propertylist>\n"
                + "    <propertylist name=\"seeds\"><item>1</item><item>2</item></propertylist>\n"
                + "    <property name=\"epochs\" value=\"1\"/>\n"
                + "    <property name=\"trainSource\" value=\"fashion-mnist-bundled-train\"/>\n"
                + "    <property name=\"testSource\" value=\"fashion-mnist-bundled-test\"/>\n"
                + "    <property name=\"outputDirectory\" value=\"" + out + "\"/>\n"
                + "    <property name=\"targetAccuracy\" value=\"0.5\"/>\n"
                + "  </component>\n</config>\n");
    }

    Result experiment(Path config, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("experiment", "-c", config.toString(), "--data",
                Paths.get("src/test/resources/tiny-fashion-mnist").toAbsolutePath().toString(), "-o", out.toString()));
        args.addAll(List.of(extra));
        return tribuoRg(args.toArray(String[]::new));
    }

    @Test
    public void sparkGivesAnExperimentTheRunsOfTheCommandsOwnJvm() throws IOException {
        Path here = tmp.resolve("here");
        Path config = config(here);
        Result r1 = experiment(config, here);
        assertEquals(0, r1.status(), r1.err());

        Path spark = tmp.resolve("spark");
        System.setProperty("spark.master", "local[2]");
        System.setProperty("spark.ui.enabled", "false");
        Result r2;
        try {
            r2 = experiment(config, spark, "--engine", "spark", "--workers", "2");
        } finally {
            System.clearProperty("spark.master");
            System.clearProperty("spark.ui.enabled");
        }
        assertEquals(0, r2.status(), r2.err() + r2.out());
        assertTrue(r2.out().contains("experiment 'experiment': 4 runs planned, 0 already done, 4 to train with spark"), r2.out());
        for (String trainer : List.of("mlp-baseline", "mlp-rg")) {
            for (long seed : new long[]{1L, 2L}) {
                RunFiles a = RunFiles.of(here, trainer, seed);
                RunFiles b = RunFiles.of(spark, trainer, seed);
                assertArrayEquals(Files.readAllBytes(a.file(RunFiles.EVALUATION)), Files.readAllBytes(b.file(RunFiles.EVALUATION)),
                        trainer + " seed " + seed);
                assertArrayEquals(parameters(a.dir()), parameters(b.dir()), trainer + " seed " + seed);
                SweepRunRecord rb = RunFiles.JSON.readValue(b.file(SweepRunRecord.EXPERIMENT_FILE).toFile(), SweepRunRecord.class);
                assertTrue(rb.attempt().startsWith("spark-stage"), rb.attempt());
                assertEquals(RunFiles.JSON.readValue(a.file(SweepRunRecord.EXPERIMENT_FILE).toFile(), SweepRunRecord.class).id(), rb.id());
            }
        }
        // The report's answer is the same.
        assertEquals(r1.out().lines().filter(l -> l.startsWith("mlp-rg − ")).toList(),
                r2.out().lines().filter(l -> l.startsWith("mlp-rg − ")).toList());
    }
}
