package io.github.randomgradient.djl;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.ConstantInitializer;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import io.github.randomgradient.djl.block.BlockFactory;

/**
 * A test network whose parameters stay finite and whose training-mode forward passes are finite,
 * but whose inference-mode logits are not, because of its batch-norm running statistics:
 * {@code Linear(16) -> BatchNorm -> ReLU -> Linear(numOutputs)} with the running variance
 * initialised to 0, epsilon 0 and the running statistics frozen (DJL momentum 1, i.e. PyTorch
 * momentum 0). Training normalises by the mini-batch's own (positive) variance; inference divides
 * by {@code sqrt(0 + 0)}.
 */
final class FrozenBatchNormBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    @Override
    public Block newBlock(long[] exampleShape, int numOutputs) {
        BatchNorm bn = BatchNorm.builder().optEpsilon(0f).optMomentum(1f).build();
        bn.setInitializer(new ConstantInitializer(0f), Parameter.Type.RUNNING_VAR);
        return new SequentialBlock().add(Linear.builder().setUnits(16).build()).add(bn).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(numOutputs).build());
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "BlockFactory");
    }

    @Override
    public String toString() {
        return "FrozenBatchNormBlockFactory()";
    }
}
