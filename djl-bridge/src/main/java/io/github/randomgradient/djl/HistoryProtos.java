package io.github.randomgradient.djl;

import io.github.randomgradient.djl.protos.DivergenceProto;
import io.github.randomgradient.djl.protos.EpochRecordProto;
import io.github.randomgradient.djl.protos.TrainingHistoryProto;
import io.github.randomgradient.history.Divergence;
import io.github.randomgradient.history.EpochRecord;
import io.github.randomgradient.history.TrainingHistory;

import java.util.ArrayList;
import java.util.List;

/**
 * Converts a {@link TrainingHistory} to and from its protobuf form ({@code tribuo-rg-djl.proto}).
 */
final class HistoryProtos {

    private HistoryProtos() {}

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
        return new TrainingHistory(p.getMetric(), p.getHeldOutData(), epochs, d);
    }
}
