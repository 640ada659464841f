package io.github.randomgradient.sweep;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker JVM's command line: its JVM options come before the system properties and the main
 * class, by default the serial collector, replaced whole by {@value SweepJob#JVM_OPTIONS_PROPERTY}.
 */
public class SweepJobTest {

    private static List<String> command() {
        SweepJob job = SweepJob.ofThisJvm(List.of("sweep.xml"), "sweep", Path.of("out"), null, 2);
        return job.workerCommand("--probe", "true");
    }

    @Test
    public void workerJvmOptionsDefaultToTheSerialCollectorAndCanBeReplaced() {
        String old = System.getProperty(SweepJob.JVM_OPTIONS_PROPERTY);
        try {
            System.clearProperty(SweepJob.JVM_OPTIONS_PROPERTY);
            List<String> cmd = command();
            assertEquals("-XX:+UseSerialGC", cmd.get(1), cmd.toString());
            assertTrue(cmd.indexOf("-XX:+UseSerialGC") < cmd.indexOf(SweepWorker.class.getName()), cmd.toString());

            System.setProperty(SweepJob.JVM_OPTIONS_PROPERTY, "  -XX:+UseG1GC   -Xmx2g ");
            cmd = command();
            assertEquals(List.of("-XX:+UseG1GC", "-Xmx2g"), cmd.subList(1, 3), cmd.toString());
            assertTrue(!cmd.contains("-XX:+UseSerialGC"), cmd.toString());
            assertTrue(cmd.indexOf("-Xmx2g") < cmd.indexOf("-cp"), cmd.toString());

            System.setProperty(SweepJob.JVM_OPTIONS_PROPERTY, "");
            cmd = command();
            assertTrue(cmd.get(1).startsWith("-D"), "no options: system properties follow java: " + cmd);
        } finally {
            if (old == null) {
                System.clearProperty(SweepJob.JVM_OPTIONS_PROPERTY);
            } else {
                System.setProperty(SweepJob.JVM_OPTIONS_PROPERTY, old);
            }
        }
    }

    @Test
    public void engineCacheDirectoriesGivenAsSystemPropertiesReachTheWorkers() {
        System.setProperty("ENGINE_CACHE_DIR", "/tmp/rg-engine cache");
        System.setProperty("DJL_CACHE_DIR", "/tmp/rg-djl-cache");
        try {
            List<String> cmd = command();
            assertTrue(cmd.contains("-DENGINE_CACHE_DIR=/tmp/rg-engine cache"), cmd.toString());
            assertTrue(cmd.contains("-DDJL_CACHE_DIR=/tmp/rg-djl-cache"), cmd.toString());
            assertTrue(cmd.indexOf("-DDJL_CACHE_DIR=/tmp/rg-djl-cache") < cmd.indexOf(SweepWorker.class.getName()), cmd.toString());
        } finally {
            System.clearProperty("ENGINE_CACHE_DIR");
            System.clearProperty("DJL_CACHE_DIR");
        }
        assertTrue(command().stream().noneMatch(a -> a.startsWith("-DENGINE_CACHE_DIR=")), "only when given");
    }

    @Test
    public void jvmOptionsTheJvmRejectsAreNamedBeforeAnythingTrains() {
        SweepJob job = SweepJob.ofThisJvm(List.of("sweep.xml"), "sweep", Path.of("out"), null, 2);
        job.checkJvmOptions(); // the default is accepted
        SweepJob bad = new SweepJob(job.configFiles(), job.sweepName(), job.output(), job.workingDirectory(), job.data(),
                job.workers(), job.classpath(), job.systemProperties(), List.of("-XX:+UseSerialGC", "-XX:+NoSuchFlag"));
        SweepException e = org.junit.jupiter.api.Assertions.assertThrows(SweepException.class, bad::checkJvmOptions);
        assertTrue(e.getMessage().contains(SweepJob.JVM_OPTIONS_PROPERTY) && e.getMessage().contains("NoSuchFlag")
                && !e.getMessage().contains("\n"), e.getMessage());
    }
}
