package io.github.randomgradient.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import io.github.randomgradient.djl.DJLEngine;
import io.github.randomgradient.djl.DJLModel;
import io.github.randomgradient.djl.DJLTrainer;
import io.github.randomgradient.djl.block.CNNBlockFactory;
import io.github.randomgradient.djl.convert.ImageConverter;
import io.github.randomgradient.djl.convert.LabelConverter;
import io.github.randomgradient.djl.LastBatch;
import io.github.randomgradient.djl.MemoryFormat;
import io.github.randomgradient.history.EpochRecord;
import org.tribuo.Dataset;
import org.tribuo.classification.Label;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The speed benchmark against PyTorch: the same CNN (the configs' {@code cnn}: channels 16 and 32,
 * batch normalisation, 128 hidden units; input {@code [batch, 1, 28, 28]}), the same mini-batch size
 * (32), the same optimiser (SGD, learning rate 0.05, momentum 0.9) and one thread, trained by
 * {@link DJLTrainer} (memory format NCHW and channels-last) and by the plain PyTorch loop of
 * {@code examples/bench/pytorch_mirror_cnn.py} (NCHW and {@code --channels-last}), run with
 * {@code /usr/bin/python3} (Debian's {@code python3-torch}) and one thread everywhere:
 * {@code torch.set_num_threads(1)} and {@code OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=MKL_NUM_THREADS=1}
 * (without the last, OpenBLAS runs the peer's dense layers on a second core), with
 * {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE} removed from its environment.
 * <p>
 * Modes:
 * <ul>
 *     <li>{@code throughput [DATA_DIR [repeats [PEER_SCRIPT]]]}: after one warm-up round, the four
 *     contenders are timed alternately ({@code repeats} rounds, default 3); per contender the median
 *     epoch wall time and epoch CPU time (process CPU, every thread), as samples per second and per
 *     CPU-second, and every DJLTrainer/peer ratio of both. DJLTrainer's epoch is the second of a
 *     2-epoch run, timed between its two epoch log lines (so neither the data conversion nor the
 *     final inference pass is in it); the peer's is one epoch after its own warm-up epoch. The peer
 *     is skipped, saying so, when its script or {@code torch} is missing.</li>
 *     <li>{@code to-90 [DATA_DIR [CONFIG [TRAINER [MEMORY_FORMAT]]]]}: trains a recipe (by default
 *     {@code cnn-fast} in {@code configs/fashion-mnist-fast.xml}, in its own memory format unless one
 *     is given) with the test set as held-out data and prints, per epoch, the test accuracy and the
 *     seconds since the JVM started (data loading included), and when test accuracy first reached 0.90.</li>
 *     <li>{@code peer-to-90 [DATA_DIR [PEER_SCRIPT [--channels-last]]]}: the peer's run of the same
 *     recipe ({@code --epochs-to-90 --recipe-fast}), timed from its launch, with its peak RSS.</li>
 *     <li>{@code profile [DATA_DIR [TRACE_JSON]]}: one epoch of the throughput mode's training under
 *     libtorch's profiler, after an unprofiled warm-up; writes the Chrome trace and prints the
 *     operators by self time.</li>
 * </ul>
 * All modes print the machine (cores, load average before and after) and the peak resident memory
 * of the JVM ({@code VmHWM}). Wall-clock figures from a machine with other load are not comparable;
 * CPU-time ratios suffer less. The load average is printed so a reader can tell.
 * <p>
 * Run from the repository root after {@code mvn -B -DskipTests package}:
 * {@code java -Dai.djl.offline=true -cp "examples/target/tribuo-rg-examples.jar:examples/target/lib/*"
 * io.github.randomgradient.examples.PeerBenchmark throughput /usr/share/datasets/fashion-mnist}.
 */
public final class PeerBenchmark {

    private static final int BATCH = 32;
    private static final Path DEFAULT_PEER = Paths.get("examples", "bench", "pytorch_mirror_cnn.py");
    private static final CNNBlockFactory CNN = new CNNBlockFactory(new int[]{16, 32}, 3, true, 128, 0f);
    private static final ImageConverter IMAGES = new ImageConverter(28, 28, 1, new float[]{72.94f}, new float[]{90.02f});

    private PeerBenchmark() {}

    /**
     * Entry point.
     * @param args {@code throughput [DATA_DIR [repeats [PEER_SCRIPT]]]} or {@code to-90 [DATA_DIR [CONFIG [TRAINER]]]}.
     * @throws IOException If the data, the config or /proc cannot be read.
     * @throws InterruptedException If interrupted while the peer runs.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String mode = args.length > 0 ? args[0] : "throughput";
        String[] dataArgs = args.length > 1 ? new String[]{args[1]} : new String[0];
        System.out.printf("Machine: %d cores, load average %s; PyTorch intra-op threads: 1%n",
                Runtime.getRuntime().availableProcessors(), loadAverage());
        switch (mode) {
            case "throughput":
                throughput(dataArgs, args.length > 2 ? Integer.parseInt(args[2]) : 3,
                        args.length > 3 ? Paths.get(args[3]) : DEFAULT_PEER);
                break;
            case "profile":
                profile(dataArgs, args.length > 2 ? Paths.get(args[2]) : Paths.get("djl-epoch-trace.json"));
                break;
            case "to-90":
                timeTo90(dataArgs, args.length > 2 ? args[2] : "configs/fashion-mnist-fast.xml", args.length > 3 ? args[3] : "cnn-fast",
                        args.length > 4 ? args[4] : null);
                break;
            case "peer-to-90":
                peerTo90(dataArgs, args.length > 2 ? Paths.get(args[2]) : DEFAULT_PEER, args.length > 3 && args[3].equals("--channels-last"));
                break;
            default:
                System.err.println("usage: PeerBenchmark throughput [DATA_DIR [repeats [PEER_SCRIPT]]]"
                        + " | to-90 [DATA_DIR [CONFIG [TRAINER [MEMORY_FORMAT]]]] | peer-to-90 [DATA_DIR [PEER_SCRIPT [--channels-last]]]"
                        + " | profile [DATA_DIR [TRACE_JSON]]");
                System.exit(2);
        }
        System.out.printf("Load average after: %s; peak resident memory of this JVM: %d MiB%n", loadAverage(), statusMiB("VmHWM:"));
    }

    /** The four contenders of the throughput mode, timed alternately in this order. */
    private static final String[] CONTENDERS = {"DJLTrainer NCHW", "DJLTrainer channels-last", "PyTorch NCHW", "PyTorch channels-last"};

    private static void throughput(String[] dataArgs, int repeats, Path peer) throws IOException, InterruptedException {
        Dataset<Label> train = ExampleData.train(dataArgs);
        Path dataDir = ExampleData.dir(dataArgs).images("train").getParent();
        int n = train.size();
        DJLEngine.engine(1);
        boolean peerAvailable = peerAvailable(peer);
        System.out.printf("One epoch of %d examples, batch %d, SGD 0.05/0.9, one thread (the peer with OMP_NUM_THREADS=1 "
                + "OPENBLAS_NUM_THREADS=1 and torch.set_num_threads(1)); %d timed run(s) each after a warm-up, alternating.%n"
                + "DJLTrainer: its second epoch of a 2-epoch run (wall and process CPU time between the two epoch log lines); "
                + "peer: one epoch after its own warm-up epoch (time.perf_counter, time.process_time).%n", n, BATCH, repeats);
        int contenders = peerAvailable ? 4 : 2;
        List<List<double[]>> runs = new ArrayList<>();
        for (int c = 0; c < contenders; c++) {
            runs.add(new ArrayList<>());
        }
        for (int r = 0; r <= repeats; r++) {
            StringBuilder line = new StringBuilder(r == 0 ? "  warm-up:" : "  run " + r + ":");
            for (int c = 0; c < contenders; c++) {
                double[] wallCpu = c < 2 ? djlEpoch(train, c == 0 ? MemoryFormat.CONTIGUOUS : MemoryFormat.CHANNELS_LAST)
                        : peerEpoch(peer, dataDir, c == 3);
                if (r > 0) {
                    runs.get(c).add(wallCpu);
                }
                line.append(String.format(" %s %.2f s (CPU %.2f s);", CONTENDERS[c], wallCpu[0], wallCpu[1]));
            }
            System.out.println(line);
        }
        double[] wall = new double[contenders];
        double[] cpu = new double[contenders];
        System.out.printf("%-26s %14s %14s %18s%n", "median", "epoch wall s", "samples/s", "samples/CPU-s");
        for (int c = 0; c < contenders; c++) {
            wall[c] = median(runs.get(c), 0);
            cpu[c] = median(runs.get(c), 1);
            System.out.printf("%-26s %14.2f %14.0f %18.0f%n", CONTENDERS[c], wall[c], n / wall[c], n / cpu[c]);
        }
        if (peerAvailable) {
            System.out.println("Ratios (DJLTrainer / peer; > 1 means DJLTrainer is faster): samples/s (wall), samples per CPU-second");
            for (int d = 0; d < 2; d++) {
                for (int p = 2; p < 4; p++) {
                    System.out.printf("  %-26s / %-22s %6.2f %6.2f%n", CONTENDERS[d], CONTENDERS[p], wall[p] / wall[d], cpu[p] / cpu[d]);
                }
            }
        }
        System.out.printf("  DJLTrainer channels-last / NCHW: %.2f (wall), %.2f (CPU)%n", wall[0] / wall[1], cpu[0] / cpu[1]);
    }

    private static boolean peerAvailable(Path peer) {
        boolean available = Files.isRegularFile(peer) && Files.isExecutable(Paths.get("/usr/bin/python3"));
        if (!available) {
            System.out.println("PyTorch peer not found at " + peer.toAbsolutePath().normalize()
                    + " (or no /usr/bin/python3): timing DJLTrainer alone. Peer: apt-get install -y python3-torch libopenblas0-pthread");
        }
        return available;
    }

    /** Process CPU time of this JVM (every thread), nanoseconds. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Listens to DJLTrainer's per-epoch log line and notes, on the training thread, the wall clock
     * (nanoseconds since the JVM started) and the process CPU time when each epoch was logged.
     */
    private static final class EpochClock extends java.util.logging.Handler implements AutoCloseable {
        private static final java.util.logging.Logger TRAINER_LOG = java.util.logging.Logger.getLogger(DJLTrainer.class.getName());
        final List<long[]> marks = new ArrayList<>();

        EpochClock() {
            TRAINER_LOG.addHandler(this);
        }

        @Override
        public void publish(java.util.logging.LogRecord record) {
            if (record.getMessage() != null && record.getMessage().startsWith("epoch ")) {
                marks.add(new long[]{System.nanoTime(), processCpuNanos()});
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            TRAINER_LOG.removeHandler(this);
        }
    }

    /** DJLTrainer's second epoch of a 2-epoch run, lastBatch KEEP as the peer's loop: {wall s, process CPU s}. */
    private static double[] djlEpoch(Dataset<Label> train, MemoryFormat format) {
        DJLTrainer<Label> trainer = DJLTrainer.builder(CNN, IMAGES, new LabelConverter()).optLearningRate(0.05f)
                .optMomentum(0.9f).optBatchSize(BATCH).optLastBatch(LastBatch.KEEP).optEpochs(2).optSeed(1L)
                .optDevice("cpu").optNumThreads(1).optMemoryFormat(format).build();
        try (EpochClock clock = new EpochClock(); DJLModel<Label> model = trainer.train(train)) {
            long[] a = clock.marks.get(0);
            long[] b = clock.marks.get(1);
            return new double[]{(b[0] - a[0]) / 1e9, (b[1] - a[1]) / 1e9};
        }
    }

    /** The peer with one thread everywhere (its BLAS pool included), optionally channels-last. */
    private static ProcessBuilder peerProcess(Path peer, Path dataDir, boolean channelsLast, String... more) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", peer.toString(), dataDir.toString(), "1", "1"));
        if (channelsLast) {
            command.add("--channels-last");
        }
        command.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.remove("OPENBLAS_CORETYPE");
        env.remove("OPENBLAS_L2_SIZE");
        env.put("OMP_NUM_THREADS", "1");
        env.put("OPENBLAS_NUM_THREADS", "1");
        env.put("MKL_NUM_THREADS", "1");
        pb.redirectErrorStream(true);
        return pb;
    }

    /** One timed epoch of the peer (it runs its own warm-up epoch first, untimed): {wall s, process CPU s}. */
    private static double[] peerEpoch(Path peer, Path dataDir, boolean channelsLast) throws IOException, InterruptedException {
        Process p = peerProcess(peer, dataDir, channelsLast).start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                last = line;
            }
        }
        int rc = p.waitFor();
        if (rc != 0 || last == null || !last.startsWith("{")) {
            throw new IllegalStateException("the PyTorch peer " + peer + " failed (exit " + rc + "): " + last);
        }
        JsonNode json = new ObjectMapper().readTree(last);
        return new double[]{json.get("median_epoch_s").asDouble(), json.get("median_epoch_cpu_s").asDouble()};
    }

    /**
     * The peer's run of the fast recipe ({@code --epochs-to-90 --recipe-fast}), timed from the
     * process's launch to each epoch's line (loading, training and evaluation included).
     */
    private static void peerTo90(String[] dataArgs, Path peer, boolean channelsLast) throws IOException, InterruptedException {
        if (!peerAvailable(peer)) {
            return;
        }
        Path dataDir = ExampleData.dir(dataArgs).images("train").getParent();
        System.out.printf("PyTorch peer (%s), the cnn-fast recipe, from process launch:%n", channelsLast ? "channels-last" : "NCHW");
        long launch = System.nanoTime();
        Process p = peerProcess(peer, dataDir, channelsLast, "--epochs-to-90", "--recipe-fast").start();
        double reached = Double.NaN;
        double peak = Double.NaN;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                double since = (System.nanoTime() - launch) / 1e9;
                if (!line.startsWith("{")) {
                    System.out.println("  peer: " + line);
                    continue;
                }
                JsonNode json = new ObjectMapper().readTree(line);
                double acc = json.get("test_accuracy").asDouble();
                peak = json.get("peak_rss_mib").asDouble();
                System.out.printf("  epoch %d: test accuracy %.4f, %.1f s since launch (training %.1f s), peak RSS %.0f MiB%n",
                        json.get("epoch").asInt(), acc, since, json.get("train_seconds").asDouble(), peak);
                if (Double.isNaN(reached) && acc >= 0.90) {
                    reached = since;
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException("the PyTorch peer " + peer + " failed (exit " + rc + ")");
        }
        System.out.println(Double.isNaN(reached) ? "Test accuracy 0.90 was NOT reached"
                : String.format("Test accuracy 0.90 reached %.1f s after launch; peer peak RSS %.0f MiB", reached, peak));
    }

    /**
     * One epoch of the throughput mode's training under the PyTorch profiler (after an unprofiled
     * warm-up epoch): writes libtorch's Chrome trace and prints the operators by self time, the
     * figure PyTorch's {@code key_averages().table(sort_by="self_cpu_time_total")} gives for the peer.
     */
    private static void profile(String[] dataArgs, Path trace) throws IOException {
        Dataset<Label> train = ExampleData.train(dataArgs);
        DJLEngine.engine(1);
        djlEpochSeconds(train);
        ai.djl.pytorch.jni.JniUtils.startProfile(false, false, false);
        double seconds;
        try {
            seconds = djlEpochSeconds(train);
        } finally {
            ai.djl.pytorch.jni.JniUtils.stopProfile(trace.toAbsolutePath().toString());
        }
        System.out.printf("Profiled epoch: %.2f s (the profiler adds its own overhead); trace: %s%n", seconds, trace.toAbsolutePath());
        JsonNode root = new ObjectMapper().readTree(trace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        // Self time = duration minus the durations of the events nested in it, per thread.
        Map<String, List<JsonNode>> byThread = new java.util.HashMap<>();
        for (JsonNode e : events) {
            if ("X".equals(e.path("ph").asText()) && e.has("dur")) {
                byThread.computeIfAbsent(e.path("pid").asText() + "/" + e.path("tid").asText(), k -> new ArrayList<>()).add(e);
            }
        }
        Map<String, double[]> self = new java.util.HashMap<>();
        double total = 0;
        for (List<JsonNode> list : byThread.values()) {
            list.sort(java.util.Comparator.comparingDouble((JsonNode e) -> e.path("ts").asDouble())
                    .thenComparing(e -> -e.path("dur").asDouble()));
            java.util.ArrayDeque<double[]> stack = new java.util.ArrayDeque<>(); // {end, index}
            double[] selfTimes = new double[list.size()];
            for (int i = 0; i < list.size(); i++) {
                JsonNode e = list.get(i);
                double ts = e.path("ts").asDouble();
                double dur = e.path("dur").asDouble();
                while (!stack.isEmpty() && stack.peek()[0] <= ts) {
                    stack.pop();
                }
                selfTimes[i] = dur;
                if (!stack.isEmpty()) {
                    selfTimes[(int) stack.peek()[1]] -= dur;
                }
                stack.push(new double[]{ts + dur, i});
            }
            for (int i = 0; i < list.size(); i++) {
                double[] a = self.computeIfAbsent(list.get(i).path("name").asText(), k -> new double[2]);
                a[0] += selfTimes[i];
                a[1]++;
                total += selfTimes[i];
            }
        }
        double sum = total;
        System.out.printf("%-45s %12s %7s %8s%n", "operator", "self ms", "%", "calls");
        self.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(25)
                .forEach(e -> System.out.printf("%-45s %12.1f %6.2f%% %8.0f%n", e.getKey(), e.getValue()[0] / 1e3,
                        100 * e.getValue()[0] / sum, e.getValue()[1]));
        System.out.printf("self time total: %.1f ms%n", sum / 1e3);
    }

    /** One timed epoch of DJLTrainer (its own epoch wall time, from the history), lastBatch KEEP as the peer's loop. */
    private static double djlEpochSeconds(Dataset<Label> train) {
        DJLTrainer<Label> trainer = DJLTrainer.builder(CNN, IMAGES, new LabelConverter()).optLearningRate(0.05f)
                .optMomentum(0.9f).optBatchSize(BATCH).optLastBatch(LastBatch.KEEP).optEpochs(1).optSeed(1L)
                .optDevice("cpu").optNumThreads(1).build();
        try (DJLModel<Label> model = trainer.train(train)) {
            return model.getTrainingHistory().epochs().get(0).wallSeconds();
        }
    }

    private static void timeTo90(String[] dataArgs, String config, String component, String memoryFormat) throws IOException {
        ConfigurationManager cm = new ConfigurationManager(config);
        if (memoryFormat != null) {
            cm.overrideConfigurableProperty(component, "memoryFormat",
                    new com.oracle.labs.mlrg.olcut.config.property.SimpleProperty(memoryFormat));
        }
        @SuppressWarnings("unchecked")
        DJLTrainer<Label> trainer = (DJLTrainer<Label>) cm.lookup(component);
        Dataset<Label> train = ExampleData.train(dataArgs);
        Dataset<Label> test = ExampleData.test(dataArgs);
        System.out.printf("Fast recipe %s on %d training / %d test examples: %s%n", component, train.size(), test.size(), trainer);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        double loadSeconds = (System.currentTimeMillis() - jvmStart) / 1e3;
        System.out.printf("Data loaded %.1f s after JVM start%n", loadSeconds);
        long nanoAtStart = System.nanoTime() - (System.currentTimeMillis() - jvmStart) * 1_000_000L;
        try (EpochClock clock = new EpochClock();
             DJLModel<Label> model = trainer.train(train, test, "test", Collections.emptyMap())) {
            double total = (System.currentTimeMillis() - jvmStart) / 1e3;
            double trainSeconds = 0;
            int reached = -1;
            double reachedAt = Double.NaN;
            List<EpochRecord> epochs = model.getTrainingHistory().epochs();
            for (int i = 0; i < epochs.size(); i++) {
                EpochRecord e = epochs.get(i);
                trainSeconds += e.wallSeconds();
                double since = (clock.marks.get(i)[0] - nanoAtStart) / 1e9;
                System.out.printf("  epoch %d: test accuracy %.4f, training %.1f s so far, %.1f s since JVM start%n", e.epoch(),
                        e.heldOutMetric(), trainSeconds, since);
                if (reached < 0 && e.heldOutMetric() >= 0.90) {
                    reached = e.epoch();
                    reachedAt = since;
                }
            }
            System.out.printf("Wall time from JVM start to the end of training (loading, training and per-epoch evaluation): %.1f s%n", total);
            System.out.println(reached < 0 ? "Test accuracy 0.90 was NOT reached"
                    : String.format("Test accuracy 0.90 first reached after epoch %d, %.1f s after JVM start", reached, reachedAt));
        }
    }

    private static double median(List<double[]> xs, int column) {
        double[] s = xs.stream().mapToDouble(x -> x[column]).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long statusMiB(String key) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
