package io.github.randomgradient.sweep;

import io.github.randomgradient.config.ReproducibleMode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sweep workers (local, and on Spark executors, which start them the same way) inherit reproducible mode with its pins. */
public class ReproducibleWorkerTest {

    @Test
    public void aReproducibleSweepStartsPinnedWorkers() {
        String before = System.getProperty(ReproducibleMode.PROPERTY);
        try {
            System.setProperty(ReproducibleMode.PROPERTY, "true");
            SweepJob job = SweepJob.ofThisJvm(List.of("sweep.xml"), "sweep", Path.of("out"), null, 2);
            ProcessBuilder pb = job.workerProcess();
            assertTrue(pb.command().contains("-D" + ReproducibleMode.PROPERTY + "=true"), pb.command().toString());
            Map<String, String> env = pb.environment();
            assertEquals(List.of(), ReproducibleMode.problems(env), env.toString());

            System.setProperty(ReproducibleMode.PROPERTY, "false");
            ProcessBuilder plain = SweepJob.ofThisJvm(List.of("sweep.xml"), "sweep", Path.of("out"), null, 2).workerProcess();
            assertFalse(plain.command().contains("-D" + ReproducibleMode.PROPERTY + "=true"));
            assertEquals(System.getenv("ATEN_CPU_CAPABILITY"), plain.environment().get("ATEN_CPU_CAPABILITY"), "a default sweep leaves the environment alone");
        } finally {
            if (before == null) {
                System.clearProperty(ReproducibleMode.PROPERTY);
            } else {
                System.setProperty(ReproducibleMode.PROPERTY, before);
            }
        }
    }
}
