package io.github.randomgradient.examples;

import io.github.randomgradient.data.IdxDirectory;
import io.github.randomgradient.run.RunFiles;
import io.github.randomgradient.run.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The experiment's full-data option trains on all 60,000 Fashion-MNIST training images from Debian's
 * {@code dataset-fashion-mnist} (one MLP run, one epoch).
 * <p>
 * Runs when the package is installed; {@code .ci/run} installs it and sets
 * {@code RG_REQUIRE_FULL_DATA=1}, which turns a missing dataset into a failure instead of a skip.
 */
public class FullDataTest {

    @TempDir
    Path tmp;

    @Test
    public void fullDataOptionTrainsOnAllSixtyThousandImages() throws IOException {
        boolean present = Files.isRegularFile(IdxDirectory.DEBIAN_FASHION_MNIST.resolve("train-images-idx3-ubyte.gz"));
        if (!"1".equals(System.getenv("RG_REQUIRE_FULL_DATA"))) {
            assumeTrue(present, "Debian's dataset-fashion-mnist is not installed (apt-get install -y dataset-fashion-mnist)");
        }
        assertTrue(present, "RG_REQUIRE_FULL_DATA=1 but " + IdxDirectory.DEBIAN_FASHION_MNIST + " is missing");

        Path config = tmp.resolve("full.xml");
        Path output = tmp.resolve("experiment");
        Files.writeString(config, ExperimentCliTest.experimentXml("<item>mlp-rg</item>", output.toString())
                .replace("<item>1</item><item>2</item>", "<item>1</item>"));
        BadInputFixtures.Result r = BadInputFixtures.tribuoRg("experiment", "-c", config.toString(), "--data", "full");
        assertEquals(0, r.status(), r.err());
        // Without an explicit output directory, runs on other data get their own directory.
        RunFiles run = RunFiles.of(output.resolveSibling("experiment-full"), "mlp-rg", 1L);
        RunRecord record = run.readRun();
        assertEquals(60_000, record.trainExamples());
        assertEquals(10_000, record.testExamples());
        double accuracy = run.readEvaluation().accuracy();
        assertTrue(accuracy >= 0.80, "one epoch of the MLP on 60,000 images: test accuracy " + accuracy);
    }
}
