package io.github.randomgradient.djl;

import ai.djl.engine.Engine;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.tribuo.Output;
import org.tribuo.provenance.SkeletalTrainerProvenance;

import java.util.Map;
import java.util.Objects;

/**
 * Provenance of a {@link DJLTrainer}: every {@code @Config} field, plus instance values for the
 * update rule that ran, the DJL version, the PyTorch version, the devices used and the PyTorch
 * thread count. Building it never starts the PyTorch engine: before the engine has started, the
 * PyTorch version is the one DJL's engine was built for and the devices read {@code unresolved(device)}.
 */
public final class DJLTrainerProvenance extends SkeletalTrainerProvenance {
    private static final long serialVersionUID = 1L;

    /** Update-rule key, e.g. {@code torch.optim.SGD} (see {@link io.github.randomgradient.optim.OptimiserDescription#updateRule()}). */
    public static final String UPDATE_RULE = "update-rule";
    /** DJL version key. */
    public static final String DJL_VERSION = "djl-version";
    /** Engine (PyTorch) version key. */
    public static final String ENGINE_VERSION = "pytorch-version";
    /** Devices key, e.g. {@code cpu()}. */
    public static final String DEVICES = "devices";
    /** Intra-op thread count key. */
    public static final String THREADS = "pytorch-threads";

    private final StringProvenance updateRule;
    private final StringProvenance djlVersion;
    private final StringProvenance engineVersion;
    private final StringProvenance devices;
    private final IntProvenance threads;

    <T extends Output<T>> DJLTrainerProvenance(DJLTrainer<T> host) {
        super(host);
        this.updateRule = new StringProvenance(UPDATE_RULE, host.getOptimiser().updateRule());
        this.djlVersion = new StringProvenance(DJL_VERSION, Engine.getDjlVersion());
        this.engineVersion = new StringProvenance(ENGINE_VERSION, DJLEngine.pytorchVersion());
        this.devices = new StringProvenance(DEVICES, DJLEngine.describeIfStarted(host.device, host.numDevices));
        this.threads = new IntProvenance(THREADS, host.numThreads);
    }

    /**
     * Rebuilds the provenance from its marshalled form. Records written before the update rule
     * was recorded have no {@value #UPDATE_RULE}.
     * @param map The provenance map.
     */
    public DJLTrainerProvenance(Map<String, Provenance> map) {
        this(extractDJLInfo(map));
    }

    private DJLTrainerProvenance(ExtractedInfo info) {
        super(info);
        this.updateRule = (StringProvenance) info.instanceValues.get(UPDATE_RULE);
        this.djlVersion = (StringProvenance) info.instanceValues.get(DJL_VERSION);
        this.engineVersion = (StringProvenance) info.instanceValues.get(ENGINE_VERSION);
        this.devices = (StringProvenance) info.instanceValues.get(DEVICES);
        this.threads = (IntProvenance) info.instanceValues.get(THREADS);
    }

    private static ExtractedInfo extractDJLInfo(Map<String, Provenance> map) {
        ExtractedInfo info = SkeletalTrainerProvenance.extractProvenanceInfo(map);
        String host = DJLTrainerProvenance.class.getSimpleName();
        if (info.configuredParameters.containsKey(UPDATE_RULE)) {
            info.instanceValues.put(UPDATE_RULE, ObjectProvenance.checkAndExtractProvenance(info.configuredParameters, UPDATE_RULE, StringProvenance.class, host));
        }
        info.instanceValues.put(DJL_VERSION, ObjectProvenance.checkAndExtractProvenance(info.configuredParameters, DJL_VERSION, StringProvenance.class, host));
        info.instanceValues.put(ENGINE_VERSION, ObjectProvenance.checkAndExtractProvenance(info.configuredParameters, ENGINE_VERSION, StringProvenance.class, host));
        info.instanceValues.put(DEVICES, ObjectProvenance.checkAndExtractProvenance(info.configuredParameters, DEVICES, StringProvenance.class, host));
        info.instanceValues.put(THREADS, ObjectProvenance.checkAndExtractProvenance(info.configuredParameters, THREADS, IntProvenance.class, host));
        return info;
    }

    @Override
    public Map<String, PrimitiveProvenance<?>> getInstanceValues() {
        Map<String, PrimitiveProvenance<?>> map = super.getInstanceValues();
        if (updateRule != null) {
            map.put(UPDATE_RULE, updateRule);
        }
        map.put(DJL_VERSION, djlVersion);
        map.put(ENGINE_VERSION, engineVersion);
        map.put(DEVICES, devices);
        map.put(THREADS, threads);
        return map;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || getClass() != o.getClass() || !super.equals(o)) {
            return false;
        }
        DJLTrainerProvenance other = (DJLTrainerProvenance) o;
        return Objects.equals(updateRule, other.updateRule) && djlVersion.equals(other.djlVersion)
                && engineVersion.equals(other.engineVersion) && devices.equals(other.devices) && threads.equals(other.threads);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), updateRule, djlVersion, engineVersion, devices, threads);
    }
}
