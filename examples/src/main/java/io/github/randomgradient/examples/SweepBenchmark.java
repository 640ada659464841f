package io.github.randomgradient.examples;

import io.github.randomgradient.cli.TribuoRg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs/hour of the local sweep engine with 1 worker and with N workers (default 2), on the same
 * sweep (default {@code configs/sweep-smoke.xml}), each into a fresh directory; prints both rates
 * and their ratio. A benchmark, not a test: on a 2-core machine with no other load the ratio at 2
 * workers should be about 1.8 or more, and it falls when other processes share the cores.
 * <pre>
 * java -cp "examples/target/tribuo-rg-examples.jar:examples/target/lib/*" -Dai.djl.offline=true \
 *     io.github.randomgradient.examples.SweepBenchmark [SWEEP_XML] [N]
 * </pre>
 */
public final class SweepBenchmark {

    private SweepBenchmark() {}

    /**
     * Entry point.
     * @param args Optional sweep config and worker count.
     * @throws IOException If the temporary directories cannot be created.
     */
    public static void main(String[] args) throws IOException {
        String config = args.length > 0 ? args[0] : "configs/sweep-smoke.xml";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        double one = runsPerHour(config, 1);
        double many = runsPerHour(config, n);
        System.out.printf("runs/hour: 1 worker %.0f, %d workers %.0f, ratio %.2f (%d cores, load average %.1f)%n", one, n, many,
                many / one, Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double runsPerHour(String config, int workers) throws IOException {
        Path out = Files.createTempDirectory("sweep-benchmark-");
        long start = System.nanoTime();
        int status = TribuoRg.run(new String[]{"sweep", "-c", config, "-w", Integer.toString(workers), "-o", out.toString()},
                System.out, System.err);
        double hours = (System.nanoTime() - start) / 3.6e12;
        if (status != 0) {
            throw new IllegalStateException("the sweep failed with status " + status);
        }
        long runs;
        try (var dirs = Files.list(out.resolve("runs"))) {
            runs = dirs.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
        return runs / hours;
    }
}
