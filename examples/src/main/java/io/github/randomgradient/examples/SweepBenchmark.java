package io.github.randomgradient.examples;

import io.github.randomgradient.cli.TribuoRg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs/hour of the local sweep engine with 1 worker and with N workers (default 2), on the same
 * sweep (default {@code configs/sweep-smoke.xml}), each into a fresh directory, alternating
 * {@code repeats} times (default 1); prints the medians and their ratio, twice:
 * <ul>
 *     <li>end to end: distinct runs / wall time of the whole command (planning, data loading,
 *     worker start, training and the report), what a user of a small sweep waits for;</li>
 *     <li>steady state: runs finished between the first and the last progress line / the time
 *     between them, what a long sweep such as the paper grid gets per hour.</li>
 * </ul>
 * A benchmark, not a test; figures from a machine with other load are not comparable. A CNN sweep
 * for it: {@code examples/bench/sweep-cnn-bench.xml}.
 * <pre>
 * java -cp "examples/target/tribuo-rg-examples.jar:examples/target/lib/*" -Dai.djl.offline=true \
 *     io.github.randomgradient.examples.SweepBenchmark [SWEEP_XML [N [REPEATS]]]
 * </pre>
 */
public final class SweepBenchmark {

    private SweepBenchmark() {}

    /** The rates of one sweep command, runs per hour. */
    private record Rates(double endToEnd, double steadyState) {}

    /**
     * Entry point.
     * @param args Optional sweep config, worker count and number of repeats.
     * @throws IOException If the temporary directories cannot be created.
     */
    public static void main(String[] args) throws IOException {
        String config = args.length > 0 ? args[0] : "configs/sweep-smoke.xml";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        List<Rates> one = new ArrayList<>();
        List<Rates> many = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            one.add(runsPerHour(config, 1));
            many.add(runsPerHour(config, n));
            System.out.printf("repeat %d: 1 worker %s, %d workers %s%n", r + 1, one.get(r), n, many.get(r));
        }
        double e1 = median(one, Rates::endToEnd);
        double en = median(many, Rates::endToEnd);
        double s1 = median(one, Rates::steadyState);
        double sn = median(many, Rates::steadyState);
        System.out.printf("runs/hour, median of %d (%d cores, load average %.1f after):%n", repeats,
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("  end to end:   1 worker %.0f, %d workers %.0f, ratio %.2f%n", e1, n, en, en / e1);
        System.out.printf("  steady state: 1 worker %.0f, %d workers %.0f, ratio %.2f%n", s1, n, sn, sn / s1);
    }

    private static double median(List<Rates> rates, java.util.function.ToDoubleFunction<Rates> f) {
        double[] x = rates.stream().mapToDouble(f).sorted().toArray();
        return x.length % 2 == 1 ? x[x.length / 2] : (x[x.length / 2 - 1] + x[x.length / 2]) / 2;
    }

    private static Rates runsPerHour(String config, int workers) throws IOException {
        Path out = Files.createTempDirectory("sweep-benchmark-");
        List<Long> doneAt = new ArrayList<>();
        PrintStream progress = new PrintStream(new LineTimes(System.out, doneAt), true, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        int status = TribuoRg.run(new String[]{"sweep", "-c", config, "-w", Integer.toString(workers), "-o", out.toString()},
                progress, System.err);
        double hours = (System.nanoTime() - start) / 3.6e12;
        if (status != 0) {
            throw new IllegalStateException("the sweep failed with status " + status);
        }
        long runs;
        try (var dirs = Files.list(out.resolve("runs"))) {
            runs = dirs.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
        double steady = doneAt.size() < 2 ? Double.NaN
                : (doneAt.size() - 1) / ((doneAt.get(doneAt.size() - 1) - doneAt.get(0)) / 3.6e12);
        return new Rates(runs / hours, steady);
    }

    /** Passes output through and records when each "runs k/n done" progress line was printed. */
    private static final class LineTimes extends OutputStream {
        private final PrintStream out;
        private final List<Long> doneAt;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineTimes(PrintStream out, List<Long> doneAt) {
            this.out = out;
            this.doneAt = doneAt;
        }

        @Override
        public void write(int b) {
            out.write(b);
            if (b == '\n') {
                String s = line.toString(StandardCharsets.UTF_8);
                if (s.startsWith("runs ") && s.contains(" done")) {
                    doneAt.add(System.nanoTime());
                }
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public void flush() {
            out.flush();
        }
    }
}
