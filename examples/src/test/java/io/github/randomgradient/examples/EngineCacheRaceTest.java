package io.github.randomgradient.examples;

import io.github.randomgradient.sweep.SweepJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.github.randomgradient.examples.ExperimentCliTest.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sweep workers (local engine and Spark executors alike) unpack libtorch on first use. Several of them
 * starting together on an empty engine cache must all load PyTorch, and leave one copy behind.
 */
public class EngineCacheRaceTest {

    @Test
    public void threeWorkersStartingTogetherOnAnEmptyCacheAllLoadPyTorch(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("engine cache"); // a space in the path too
        SweepJob job = SweepJob.ofThisJvm(List.of(ROOT.resolve("configs/sweep-smoke.xml").toString()), "sweep",
                tmp.resolve("out"), null, 3);
        List<Process> workers = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path log = tmp.resolve("worker-" + i + ".log");
            ProcessBuilder pb = job.workerProcess("--probe", "true").redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("ENGINE_CACHE_DIR", cache.toString());
            pb.environment().remove("DJL_CACHE_DIR");
            logs.add(log);
            workers.add(pb.start());
        }
        for (int i = 0; i < workers.size(); i++) {
            Process p = workers.get(i);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "worker " + i + " still running after 300 s");
            String out = Files.readString(logs.get(i), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "worker " + i + ":\n" + out);
            assertTrue(out.contains("engine=PyTorch 2.7.1") && out.contains("cache=" + cache), "worker " + i + ":\n" + out);
        }
        // One unpacked libtorch, no temporary directory left half-copied.
        try (Stream<Path> s = Files.list(cache.resolve("pytorch"))) {
            List<String> entries = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(1, entries.size(), entries.toString());
            assertTrue(Files.exists(cache.resolve("pytorch").resolve(entries.get(0)).resolve("libtorch.so")), entries.toString());
        }
    }
}
