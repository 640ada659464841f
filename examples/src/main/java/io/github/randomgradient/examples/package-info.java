/**
 * Small programs, one idea each: {@link io.github.randomgradient.examples.ProgrammaticRgExample}
 * (DJLTrainer with RG from Java), {@link io.github.randomgradient.examples.ConfigDrivenExample}
 * (a trainer from an OLCUT config), {@link io.github.randomgradient.examples.LinearSgdRgExample}
 * (RG on Tribuo's own LinearSGDTrainer), {@link io.github.randomgradient.examples.ReportFromSavedModelsExample}
 * (a report from two saved models); {@link io.github.randomgradient.examples.TrainingBenchmark}
 * measures training throughput; {@link io.github.randomgradient.examples.MakeFashionMnistSubset}
 * makes the bundled data subset. With plain DJL and {@code io.github.randomgradient.djl.rg}:
 * {@link io.github.randomgradient.examples.EasyTrainRgExample} (the bundled CNN through
 * {@code EasyTrain.fit}), {@link io.github.randomgradient.examples.SegmentationRgExample}
 * (per-pixel classification, mean IoU) and {@link io.github.randomgradient.examples.GanRgExample}
 * (RG on a GAN's generator loss).
 */
package io.github.randomgradient.examples;
