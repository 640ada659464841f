package io.github.randomgradient.sweep;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an engine needs to run a sweep's runs in worker processes: the config files (absolute
 * paths), the sweep's component name, the output directory, the working directory that relative
 * data paths resolve against, the worker count, and the worker JVM's classpath and system
 * properties. Serialisable, so a Spark driver can ship it to its executors.
 *
 * @param configFiles The config files, absolute.
 * @param sweepName The sweep's component name.
 * @param output The output directory, absolute (shared storage for a cluster engine).
 * @param workingDirectory The directory relative paths in the configs resolve against.
 * @param data The {@code --data} value replacing the sweep's IDX sources (an absolute directory), empty for none.
 * @param workers The number of worker processes (or concurrent tasks).
 * @param classpath The worker JVM's classpath: the distribution, with the DJL and PyTorch jars.
 * @param systemProperties System properties of the worker JVM.
 */
public record SweepJob(List<String> configFiles, String sweepName, String output, String workingDirectory, String data, int workers,
                       String classpath, Map<String, String> systemProperties) implements Serializable {

    /** The worker JVM's fixed settings: DJL offline and untracked, one PyTorch thread, headless. */
    public static final Map<String, String> WORKER_PROPERTIES = Map.of(
            "ai.djl.offline", "true",
            "OPT_OUT_TRACKING", "true",
            "ai.djl.pytorch.num_threads", "1",
            "ai.djl.pytorch.num_interop_threads", "1",
            "java.awt.headless", "true");

    /**
     * A job with this JVM's classpath and its {@code ai.djl.*} and {@code tribuo.rg.*} properties on top of {@link #WORKER_PROPERTIES}.
     * @param configFiles The config files.
     * @param sweepName The sweep's component name.
     * @param output The output directory.
     * @param data The data directory replacing the sweep's IDX sources, or null.
     * @param workers The number of workers.
     * @return The job.
     */
    public static SweepJob ofThisJvm(List<String> configFiles, String sweepName, Path output, Path data, int workers) {
        Map<String, String> props = new TreeMap<>(WORKER_PROPERTIES);
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("ai.djl.") || k.startsWith("java.util.logging.") || k.startsWith("tribuo.rg.")) {
                props.put(k, System.getProperty(k));
            }
        }
        props.putAll(WORKER_PROPERTIES);
        List<String> files = configFiles.stream().map(f -> Path.of(f).toAbsolutePath().normalize().toString()).toList();
        String cp = System.getProperty("tribuo.rg.worker.classpath", System.getProperty("java.class.path"));
        return new SweepJob(files, sweepName, output.toAbsolutePath().normalize().toString(),
                Path.of("").toAbsolutePath().toString(), data == null ? "" : data.toAbsolutePath().normalize().toString(), workers, cp, props);
    }

    /**
     * The worker's command line.
     * @param extraArgs Arguments after the config, e.g. {@code --run ID --attempt NAME}.
     * @return The command.
     */
    public List<String> workerCommand(String... extraArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(SweepWorker.class.getName());
        cmd.add("-c");
        cmd.add(String.join(",", configFiles));
        cmd.add("--sweep");
        cmd.add(sweepName);
        cmd.add("-o");
        cmd.add(output);
        if (!data.isEmpty()) {
            cmd.add("--data");
            cmd.add(data);
        }
        cmd.addAll(List.of(extraArgs));
        return cmd;
    }

    /**
     * A process builder for a worker: its command, working directory and environment
     * ({@code OPT_OUT_TRACKING=true}, {@code OMP_NUM_THREADS=1}).
     * @param extraArgs Arguments after the config.
     * @return The builder.
     */
    public ProcessBuilder workerProcess(String... extraArgs) {
        ProcessBuilder pb = new ProcessBuilder(workerCommand(extraArgs)).directory(Path.of(workingDirectory).toFile());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb;
    }
}
