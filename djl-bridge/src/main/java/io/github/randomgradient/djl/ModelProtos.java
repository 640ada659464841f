package io.github.randomgradient.djl;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.config.protobuf.protos.ObjectProvenanceProto;
import com.oracle.labs.mlrg.olcut.config.protobuf.protos.RootProvenanceProto;
import io.github.randomgradient.djl.block.BlockFactory;
import io.github.randomgradient.djl.convert.FeatureConverter;
import io.github.randomgradient.djl.convert.OutputConverter;
import io.github.randomgradient.djl.protos.DJLModelProto;
import io.github.randomgradient.djl.protos.DivergenceProto;
import io.github.randomgradient.djl.protos.EpochRecordProto;
import io.github.randomgradient.djl.protos.EvaluationPointProto;
import io.github.randomgradient.djl.protos.TrainingHistoryProto;
import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.EvaluationPoint;
import io.github.randomgradient.history.TrainingHistory;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelDataProto;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link DJLModel} from its protobuf form ({@code tribuo-rg-djl.proto}), checking its
 * parameters' integrity, and converts a {@link TrainingHistory} to and from protobuf.
 * <p>
 * The format is a contract ({@code GoldenModelTest}): files written by earlier builds keep
 * loading. OLCUT unmarshals provenance by the class names stored in the file, so a provenance
 * class that moved is mapped to its new name here ({@link #MOVED_PROVENANCE_CLASSES}) before
 * Tribuo unmarshals the model's provenance.
 */
final class ModelProtos {

    /**
     * Provenance classes that moved, by their name in earlier files. Java serialisation needs a
     * class under the old name instead: see the {@code DJLTrainer.DJLTrainerProvenance} shim.
     */
    static final Map<String, String> MOVED_PROVENANCE_CLASSES = Map.of(
            // Nested in DJLTrainer before commit 69dea6f moved it to its own file (files of format version 0).
            "io.github.randomgradient.djl.DJLTrainer$DJLTrainerProvenance", DJLTrainerProvenance.class.getName());

    private ModelProtos() {}

    /**
     * Rebuilds a model; from version 1 its parameter digest and shapes are checked.
     * @param version The format version, 0 to {@link DJLModel#CURRENT_VERSION}.
     * @param message The {@link DJLModelProto}.
     * @return The model.
     * @throws InvalidProtocolBufferException If the message cannot be parsed.
     * @throws IllegalStateException If the output domain does not match the output converter, or
     *                               the parameters fail their integrity checks.
     */
    @SuppressWarnings({"unchecked", "rawtypes"}) // guarded by the type-witness check below
    static DJLModel<?> read(int version, Any message) throws InvalidProtocolBufferException {
        DJLModelProto proto = message.unpack(DJLModelProto.class);
        ModelDataCarrier<?> carrier = ModelDataCarrier.deserialize(withMovedClassesRenamed(proto.getMetadata().unpack(ModelDataProto.class)));
        BlockFactory blockFactory = ComponentSerialization.fromProto(proto.getBlockFactory(), BlockFactory.class, "blockFactory");
        FeatureConverter featureConverter = ComponentSerialization.fromProto(proto.getFeatureConverter(), FeatureConverter.class, "featureConverter");
        OutputConverter<?> outputConverter = ComponentSerialization.fromProto(proto.getOutputConverter(), OutputConverter.class, "outputConverter");
        if (!carrier.outputDomain().getOutput(0).getClass().equals(outputConverter.getTypeWitness())) {
            throw new IllegalStateException("Invalid protobuf: the output domain holds " + carrier.outputDomain().getOutput(0).getClass()
                    + " but the output converter handles " + outputConverter.getTypeWitness());
        }
        long[] shape = proto.getExampleShapeList().stream().mapToLong(Long::longValue).toArray();
        byte[] bytes = proto.getParameters().toByteArray();
        if (version >= 1) {
            ParameterIntegrity.checkDigest("DJLModel '" + carrier.name() + "'", bytes, proto.getParametersSha256());
        }
        DJLModel<?> model = new DJLModel(carrier.name(), carrier.provenance(), carrier.featureDomain(), carrier.outputDomain(),
                blockFactory, featureConverter, outputConverter, shape, proto.getNumOutputs(),
                bytes, version >= 1 ? proto.getParameterShapesList() : List.of(), proto.getInferenceBatchSize(), fromProto(proto.getHistory()),
                memoryFormat(proto.getMemoryFormat()));
        if (version >= 1) {
            model.verify();
        }
        return model;
    }

    /**
     * The memory format recorded in a file: empty (written before it was recorded) is
     * {@link MemoryFormat#CONTIGUOUS}.
     * @throws IllegalStateException If the name is not a {@link MemoryFormat}.
     */
    private static MemoryFormat memoryFormat(String name) {
        if (name.isEmpty()) {
            return MemoryFormat.orLegacy(null);
        }
        try {
            return MemoryFormat.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid protobuf: unknown memory_format '" + name + "', expected one of "
                    + java.util.Arrays.toString(MemoryFormat.values()), e);
        }
    }

    /**
     * Renames the provenance classes that moved ({@link #MOVED_PROVENANCE_CLASSES}) to their
     * current names, so that OLCUT finds them.
     * @param data The model's metadata as read.
     * @return The metadata with current class names (the same object if nothing moved).
     */
    static ModelDataProto withMovedClassesRenamed(ModelDataProto data) {
        RootProvenanceProto provenance = data.getProvenance();
        RootProvenanceProto.Builder renamed = null;
        for (int i = 0; i < provenance.getOmpCount(); i++) {
            ObjectProvenanceProto object = provenance.getOmp(i);
            String current = MOVED_PROVENANCE_CLASSES.get(object.getProvenanceClassName());
            if (current != null) {
                if (renamed == null) {
                    renamed = provenance.toBuilder();
                }
                renamed.setOmp(i, object.toBuilder().setProvenanceClassName(current));
            }
        }
        return renamed == null ? data : data.toBuilder().setProvenance(renamed).build();
    }

    static TrainingHistoryProto toProto(TrainingHistory h) {
        TrainingHistoryProto.Builder b = TrainingHistoryProto.newBuilder()
                .setMetric(h.metric())
                .setHeldOutData(h.heldOutData());
        for (EpochRecord e : h.epochs()) {
            EpochRecordProto.Builder eb = EpochRecordProto.newBuilder()
                    .setEpoch(e.epoch()).setSteps(e.steps()).setMeanLoss(e.meanLoss())
                    .setMeanLossScale(e.meanLossScale()).setTrainingMetric(e.trainingMetric())
                    .setHeldOutMetric(e.heldOutMetric()).setWallSeconds(e.wallSeconds())
                    .setLearningRate(e.learningRate());
            for (float f : e.stepLosses()) {
                eb.addStepLosses(f);
            }
            b.addEpochs(eb);
        }
        h.divergenceIfAny().ifPresent(d -> b.setDivergence(DivergenceProto.newBuilder()
                .setEpoch(d.epoch()).setStep(d.step()).setLoss(d.loss())
                .setLearningRate(d.learningRate()).setLossScale(d.lossScale()).setWhat(d.what())));
        for (EvaluationPoint e : h.evaluations()) {
            b.addEvaluations(EvaluationPointProto.newBuilder().setStep(e.step()).setEpoch(e.epoch())
                    .setEpochFraction(e.epochFraction()).setWallSeconds(e.wallSeconds())
                    .setHeldOutLoss(e.heldOutLoss()).setHeldOutMetric(e.heldOutMetric()));
        }
        return b.build();
    }

    static TrainingHistory fromProto(TrainingHistoryProto p) {
        List<EpochRecord> epochs = new ArrayList<>();
        for (EpochRecordProto e : p.getEpochsList()) {
            float[] losses = new float[e.getStepLossesCount()];
            for (int i = 0; i < losses.length; i++) {
                losses[i] = e.getStepLosses(i);
            }
            epochs.add(new EpochRecord(e.getEpoch(), e.getSteps(), e.getMeanLoss(), e.getMeanLossScale(),
                    e.getTrainingMetric(), e.getHeldOutMetric(), e.getWallSeconds(), e.getLearningRate(), losses));
        }
        Divergence d = null;
        if (p.hasDivergence()) {
            DivergenceProto dp = p.getDivergence();
            d = new Divergence(dp.getEpoch(), dp.getStep(), dp.getLoss(), dp.getLearningRate(), dp.getLossScale(), dp.getWhat());
        }
        List<EvaluationPoint> evaluations = new ArrayList<>();
        for (EvaluationPointProto e : p.getEvaluationsList()) {
            evaluations.add(new EvaluationPoint(e.getStep(), e.getEpoch(), e.getEpochFraction(), e.getWallSeconds(),
                    e.getHeldOutLoss(), e.getHeldOutMetric()));
        }
        return new TrainingHistory(p.getMetric(), p.getHeldOutData(), epochs, d, evaluations);
    }
}
