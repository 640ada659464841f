package io.github.randomgradient.run;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import io.github.randomgradient.config.EngineProbe;
import io.github.randomgradient.config.NumericEnvironment;
import org.tribuo.provenance.ModelProvenance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * What a resumed experiment or sweep does with finished runs trained in another numeric environment
 * ({@link NumericEnvironment}: another CPU instruction set, ISA pins, libtorch version, ...), whose
 * numbers would differ from this machine's for the same configuration, data and seed.
 * <ul>
 *   <li>{@link #REFUSE} (the default): stop before training, naming both environments;</li>
 *   <li>{@link #RETRAIN}: train those runs again here;</li>
 *   <li>{@link #ACCEPT}: keep them, and record the mix so that the report can say so.</li>
 * </ul>
 * Environments compare by {@link NumericEnvironment#digest()} without the intra-op thread count,
 * which is a trainer setting and compared with the configuration. Runs that recorded no environment
 * (trainers other than DJLTrainer; runs older than the record) are not compared.
 */
public enum EnvironmentChange {
    /** Stop, naming both environments. */
    REFUSE,
    /** Train the runs of another environment again. */
    RETRAIN,
    /** Keep them, recording the mix. */
    ACCEPT;

    /**
     * Parses an option value.
     * @param value {@code refuse}, {@code retrain} or {@code accept} (any case); null means refuse.
     * @return The choice.
     * @throws IllegalArgumentException If the value is none of them.
     */
    public static EnvironmentChange parse(String value) {
        if (value == null) {
            return REFUSE;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--environment-change must be refuse, retrain or accept, found '" + value + "'");
        }
    }

    /**
     * The environment a finished run recorded.
     * @param provenance The run's model provenance.
     * @return Its environment, or empty if it recorded none.
     */
    public static Optional<NumericEnvironment> recorded(ModelProvenance provenance) {
        Provenance p = provenance.getInstanceProvenance().getMap().get(NumericEnvironment.PROVENANCE_KEY);
        if (p instanceof StringProvenance s) {
            return Optional.of(NumericEnvironment.parse(s.getValue()));
        }
        return Optional.empty();
    }

    /**
     * The sentence a report puts next to its answer when its runs were computed in more than one
     * numeric environment (a mix accepted with {@code --environment-change accept}, or runs gathered
     * from several machines): the figures then depend on which machine ran which run.
     * @param runs Each run's label (e.g. its directory) to its model provenance.
     * @return The sentence, or empty when every run that recorded an environment recorded the same one.
     */
    public static Optional<String> mixNote(Map<String, ModelProvenance> runs) {
        Map<String, List<String>> byDigest = new java.util.TreeMap<>();
        for (Map.Entry<String, ModelProvenance> e : runs.entrySet()) {
            recorded(e.getValue()).ifPresent(env -> byDigest.computeIfAbsent(env.digest(), k -> new java.util.ArrayList<>()).add(e.getKey()));
        }
        if (byDigest.size() < 2) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder("these runs were computed in " + byDigest.size() + " numeric environments (");
        String sep = "";
        for (Map.Entry<String, List<String>> e : byDigest.entrySet()) {
            sb.append(sep).append(e.getKey()).append(": ").append(e.getValue().size()).append(e.getValue().size() == 1 ? " run" : " runs");
            sep = "; ";
        }
        sb.append("; audit shows each run's): floating-point results depend on the CPU's kernels, so these figures mix machines "
                + "and are not reproduced by rerunning on one; rerun with --reproducible, or with --environment-change retrain, for one environment");
        return Optional.of(sb.toString());
    }

    /**
     * The sentence a report records when all its runs that recorded a numeric environment recorded the same
     * one, so that a reader can tell a reproducible report from one computed with this CPU's own kernels.
     * @param runs Each run's label to its model provenance.
     * @return E.g. {@code all 9 runs were computed in numeric environment 2d2e2ba9361f (reproducible mode: kernels
     *         pinned to AVX2)}; empty when no run recorded an environment or they differ ({@link #mixNote}).
     */
    public static Optional<String> sharedNote(Map<String, ModelProvenance> runs) {
        Map<String, NumericEnvironment> byDigest = new java.util.TreeMap<>();
        int recorded = 0;
        for (ModelProvenance p : runs.values()) {
            Optional<NumericEnvironment> env = recorded(p);
            if (env.isPresent()) {
                byDigest.put(env.get().digest(), env.get());
                recorded++;
            }
        }
        if (byDigest.size() != 1) {
            return Optional.empty();
        }
        NumericEnvironment env = byDigest.values().iterator().next();
        return Optional.of((recorded == runs.size() ? "all " : recorded + " of ") + runs.size() + " runs were computed in numeric "
                + "environment " + env.digest() + (env.reproducible() ? " (reproducible mode: kernels pinned to AVX2, the same "
                + "bytes on any x86-64 machine with AVX2)" : " (this CPU's own kernels: another CPU gives other digits; "
                + "--reproducible pins them)"));
    }

    /**
     * The environment this process trains in, from the {@link EngineProbe} on the class path.
     * @return It, or empty if no engine records one.
     */
    public static Optional<NumericEnvironment> current() {
        for (EngineProbe probe : ServiceLoader.load(EngineProbe.class)) {
            Optional<NumericEnvironment> e = probe.numericEnvironment();
            if (e.isPresent()) {
                return e;
            }
        }
        return Optional.empty();
    }

    /**
     * The outcome of {@link #decide}.
     * @param retrain Finished runs to train again (only under {@link #RETRAIN}).
     * @param accepted Finished runs of another environment kept as they are (only under {@link #ACCEPT}),
     *     with their environment.
     * @param current The current environment.
     */
    public record Decision(List<Path> retrain, Map<Path, NumericEnvironment> accepted, NumericEnvironment current) {
        /**
         * One line for the user and the report, or empty if nothing was mixed.
         * @return e.g. {@code 3 finished run(s) trained in numeric environment ... kept (--environment-change accept) ...}.
         */
        public Optional<String> note() {
            if (!accepted.isEmpty()) {
                return Optional.of(accepted.size() + " finished run(s) trained in another numeric environment ("
                        + distinct(accepted) + ") are kept by --environment-change accept, next to any run trained here ("
                        + current.digest() + "): their numbers would differ here, and a report over runs of more than one "
                        + "environment says so");
            }
            if (!retrain.isEmpty()) {
                return Optional.of(retrain.size() + " finished run(s) trained in another numeric environment are trained again here ("
                        + current.digest() + ") by --environment-change retrain");
            }
            return Optional.empty();
        }
    }

    /**
     * Compares the finished runs' environments with the current one and applies this choice.
     * @param finished Each finished run's directory and the environment it recorded (runs that recorded
     *     none are left out by the caller).
     * @param current The current environment.
     * @return Which runs to train again and which were accepted.
     * @throws IllegalArgumentException Under {@link #REFUSE}, if any finished run's environment differs; the
     *     one-line message names the run, both environments, their differences and the options.
     */
    public Decision decide(Map<Path, NumericEnvironment> finished, NumericEnvironment current) {
        Map<Path, NumericEnvironment> other = new LinkedHashMap<>();
        finished.forEach((dir, env) -> {
            if (!comparable(env).equals(comparable(current))) {
                other.put(dir, env);
            }
        });
        if (other.isEmpty()) {
            return new Decision(List.of(), Map.of(), current);
        }
        switch (this) {
            case RETRAIN:
                return new Decision(new ArrayList<>(other.keySet()), Map.of(), current);
            case ACCEPT:
                return new Decision(List.of(), other, current);
            default:
                Map.Entry<Path, NumericEnvironment> first = other.entrySet().iterator().next();
                throw new IllegalArgumentException(other.size() + " finished run(s), e.g. " + first.getKey()
                        + ", were trained in numeric environment " + first.getValue() + ", but this process trains in "
                        + current + "; they differ in " + String.join(", ", first.getValue().differences(current))
                        + ", so their numbers would not be this machine's. Choose --environment-change retrain (train them "
                        + "again here) or accept (keep them; a report over runs of more than one environment says so), resume where they were trained, "
                        + "or use --reproducible on every machine");
        }
    }

    private static String comparable(NumericEnvironment env) {
        Map<String, String> m = new LinkedHashMap<>(NumericEnvironment.parse(env.identity()).fields());
        m.remove(NumericEnvironment.THREADS);
        return NumericEnvironment.of(m).canonical();
    }

    private static String distinct(Map<Path, NumericEnvironment> envs) {
        return String.join(", ", envs.values().stream().map(NumericEnvironment::digest).distinct().toList());
    }
}
