/**
 * Train DJL networks (PyTorch engine) from Tribuo, with a configurable loss scale (Random Gradient).
 * <p>
 * {@link io.github.randomgradient.djl.DJLTrainer} is a Tribuo {@link org.tribuo.Trainer} whose
 * every setting is an OLCUT {@code @Config} field recorded in provenance;
 * {@link io.github.randomgradient.djl.DJLModel} is the Tribuo {@link org.tribuo.Model} it returns,
 * which predicts, serialises (Java and protobuf) and carries the training history.
 * {@link io.github.randomgradient.djl.DJLEngine} starts DJL offline, with tracking disabled and a
 * fixed number of PyTorch threads, and resolves devices. The training engine is in
 * {@link io.github.randomgradient.djl.train}, the {@code torch.optim} update rules in
 * {@link io.github.randomgradient.djl.optim}.
 */
package io.github.randomgradient.djl;
