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
 * (32), the same optimiser (SGD, learning rate 0.05, momentum 0.9) and one PyTorch intra-op thread,
 * trained for one epoch by {@link DJLTrainer} and by the plain PyTorch loop of
 * {@code examples/bench/pytorch_mirror_cnn.py} (run with {@code /usr/bin/python3}, Debian's
 * {@code python3-torch}, with {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE} removed from its
 * environment only).
 * <p>
 * Modes:
 * <ul>
 *     <li>{@code throughput [DATA_DIR [repeats [PEER_SCRIPT]]]}: after one warm-up of each, the two
 *     are timed alternately ({@code repeats} times each, default 3) and the median samples per
 *     second (training examples per second of epoch wall time) of each, and their ratio, are
 *     printed. The peer is skipped, saying so, when its script or {@code torch} is missing.</li>
 *     <li>{@code to-90 [DATA_DIR [CONFIG [TRAINER]]]}: trains a recipe (by default {@code cnn-fast} in
 *     {@code configs/fashion-mnist-fast.xml}) with the test set as held-out data and prints, per
 *     epoch, the test accuracy and the seconds since the JVM started (data loading included), and
 *     the first epoch at which test accuracy reached 0.90.</li>
 *     <li>{@code profile [DATA_DIR [TRACE_JSON]]}: one epoch of the throughput mode's training under
 *     libtorch's profiler, after an unprofiled warm-up; writes the Chrome trace and prints the
 *     operators by self time.</li>
 * </ul>
 * All modes print the machine (cores, load average before and after) and the peak resident memory
 * of the JVM ({@code VmHWM}). Figures from a machine with other load are not comparable: the load
 * average is printed so a reader can tell.
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
                timeTo90(dataArgs, args.length > 2 ? args[2] : "configs/fashion-mnist-fast.xml", args.length > 3 ? args[3] : "cnn-fast");
                break;
            default:
                System.err.println("usage: PeerBenchmark throughput [DATA_DIR [repeats [PEER_SCRIPT]]] | to-90 [DATA_DIR [CONFIG [TRAINER]]]"
                        + " | profile [DATA_DIR [TRACE_JSON]]");
                System.exit(2);
        }
        System.out.printf("Load average after: %s; peak resident memory of this JVM: %d MiB%n", loadAverage(), statusMiB("VmHWM:"));
    }

    private static void throughput(String[] dataArgs, int repeats, Path peer) throws IOException, InterruptedException {
        Dataset<Label> train = ExampleData.train(dataArgs);
        Path dataDir = ExampleData.dir(dataArgs).images("train").getParent();
        int n = train.size();
        DJLEngine.engine(1);
        boolean peerAvailable = Files.isRegularFile(peer) && Files.isExecutable(Paths.get("/usr/bin/python3"));
        if (!peerAvailable) {
            System.out.println("PyTorch peer not found at " + peer.toAbsolutePath().normalize()
                    + " (or no /usr/bin/python3): timing DJLTrainer alone. Peer: apt-get install -y python3-torch libopenblas0-pthread");
        }
        System.out.printf("One epoch of %d examples, batch %d, SGD 0.05/0.9; %d timed run(s) each after a warm-up, alternating%n",
                n, BATCH, repeats);
        djlEpochSeconds(train);
        if (peerAvailable) {
            peerEpochSeconds(peer, dataDir);
        }
        List<Double> djl = new ArrayList<>();
        List<Double> torch = new ArrayList<>();
        for (int r = 1; r <= repeats; r++) {
            double d = djlEpochSeconds(train);
            djl.add(d);
            System.out.printf("  run %d: DJLTrainer %.2f s", r, d);
            if (peerAvailable) {
                double p = peerEpochSeconds(peer, dataDir);
                torch.add(p);
                System.out.printf(", PyTorch %.2f s", p);
            }
            System.out.println();
        }
        double djlRate = n / median(djl);
        System.out.printf("DJLTrainer: %.0f samples/s (median)%n", djlRate);
        if (peerAvailable) {
            double torchRate = n / median(torch);
            System.out.printf("PyTorch peer: %.0f samples/s (median)%n", torchRate);
            System.out.printf("Ratio DJLTrainer / PyTorch: %.2f (goal >= 1.3)%n", djlRate / torchRate);
        }
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

    /** One timed epoch of the peer (it runs its own warm-up epoch first, untimed). */
    private static double peerEpochSeconds(Path peer, Path dataDir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", peer.toString(), dataDir.toString(), "1", "1");
        Map<String, String> env = pb.environment();
        env.remove("OPENBLAS_CORETYPE");
        env.remove("OPENBLAS_L2_SIZE");
        pb.redirectErrorStream(true);
        Process p = pb.start();
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
        return json.get("median_epoch_s").asDouble();
    }

    private static void timeTo90(String[] dataArgs, String config, String component) throws IOException {
        ConfigurationManager cm = new ConfigurationManager(config);
        @SuppressWarnings("unchecked")
        DJLTrainer<Label> trainer = (DJLTrainer<Label>) cm.lookup(component);
        Dataset<Label> train = ExampleData.train(dataArgs);
        Dataset<Label> test = ExampleData.test(dataArgs);
        System.out.printf("Fast recipe cnn-fast on %d training / %d test examples: %s%n", train.size(), test.size(), trainer);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        double loadSeconds = (System.currentTimeMillis() - jvmStart) / 1e3;
        System.out.printf("Data loaded %.1f s after JVM start%n", loadSeconds);
        try (DJLModel<Label> model = trainer.train(train, test, "test", Collections.emptyMap())) {
            double total = (System.currentTimeMillis() - jvmStart) / 1e3;
            double trainSeconds = 0;
            int reached = -1;
            for (EpochRecord e : model.getTrainingHistory().epochs()) {
                trainSeconds += e.wallSeconds();
                System.out.printf("  epoch %d: test accuracy %.4f, training %.1f s so far%n", e.epoch(), e.heldOutMetric(), trainSeconds);
                if (reached < 0 && e.heldOutMetric() >= 0.90) {
                    reached = e.epoch();
                }
            }
            System.out.printf("Wall time from JVM start to the end of training (loading, training and per-epoch evaluation): %.1f s%n", total);
            System.out.println(reached < 0 ? "Test accuracy 0.90 was NOT reached"
                    : "Test accuracy 0.90 first reached after epoch " + reached);
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
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
