package io.github.randomgradient.examples;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.github.randomgradient.examples.BadInputFixtures.assertUserError;
import static io.github.randomgradient.examples.BadInputFixtures.experimentXml;
import static io.github.randomgradient.examples.BadInputFixtures.replace;
import static io.github.randomgradient.examples.BadInputFixtures.tribuoRg;

/**
 * Bad configs and arguments of {@code experiment}: each fails before anything trains, with exit
 * status 2, one line naming the component and field (or the option) and the value, and no output
 * directory. The mistakes are in the <i>second</i> trainer or in a component only it uses, so a
 * check that only looked at the first trainer, or only at trainer names, would train first.
 */
public class ConfigBadInputTest {

    @TempDir
    static Path tmp;

    static Path data;

    @BeforeAll
    static void setUp() throws IOException {
        data = BadInputFixtures.goodData(tmp.resolve("data"));
    }

    /** A config mutation and the fragments the error must contain. */
    record Case(String name, UnaryOperator<String> mutation, List<String> extraArgs, String... fragments) {
        Case(String name, UnaryOperator<String> mutation, String... fragments) {
            this(name, mutation, List.of(), fragments);
        }
    }

    private static UnaryOperator<String> line(String from, String to) {
        return xml -> replace(xml, from, to);
    }

    /** Replaces the first occurrence of {@code name=from} inside the "bad" trainer or its components. */
    private static UnaryOperator<String> bad(String name, String from, String to) {
        return xml -> {
            int start = xml.indexOf("<component name=\"bad\"");
            int at = xml.indexOf("<property name=\"" + name + "\" value=\"" + from + "\"/>", start);
            if (at < 0) {
                throw new AssertionError("fixture has no " + name + "=" + from);
            }
            String old = "<property name=\"" + name + "\" value=\"" + from + "\"/>";
            return xml.substring(0, at) + to.replace("$", name) + xml.substring(at + old.length());
        };
    }

    private static String value(String value) {
        return "<property name=\"$\" value=\"" + value + "\"/>";
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // The second trainer's own fields: every postConfig runs before the first epoch.
        c.add(new Case("learning rate not a number", bad("learningRate", "0.05", value("abc")), "bad", "learningRate", "abc"));
        c.add(new Case("learning rate NaN", bad("learningRate", "0.05", value("NaN")), "bad", "learningRate", "NaN"));
        c.add(new Case("learning rate negative", bad("learningRate", "0.05", value("-0.1")), "bad", "learningRate", "-0.1"));
        c.add(new Case("learning rate infinite", bad("learningRate", "0.05", value("Infinity")), "bad", "learningRate", "Infinity"));
        c.add(new Case("batch size 0", bad("batchSize", "8", value("0")), "bad", "batchSize", "0"));
        c.add(new Case("batch size not an integer", bad("batchSize", "8", value("8.5")), "bad", "batchSize", "8.5"));
        c.add(new Case("momentum 1.5", bad("momentum", "0.9", value("1.5")), "bad", "momentum", "1.5"));
        c.add(new Case("optimiser lower case", bad("optimiser", "SGD", value("sgd")), "bad", "optimiser", "sgd", "write 'SGD'",
                "SGD, NESTEROV, ADAM, ADAMW", "experiment.xml"));
        c.add(new Case("optimiser unknown", bad("optimiser", "SGD", value("LAMB")), "bad", "optimiser", "LAMB",
                "the allowed values are SGD, NESTEROV, ADAM, ADAMW", "experiment.xml"));
        c.add(new Case("schedule unknown", bad("lrSchedule", "FIXED", value("LINEAR")), "bad", "lrSchedule", "LINEAR",
                "the allowed values are FIXED, POLY, STEP, COSINE"));
        // Every enum a config can name lists its values: the network's activation and a cyclical loss scale's mode.
        c.add(new Case("activation unknown", xml -> bad("blockFactory", "mlp", value("bad-mlp")).apply(xml).replace("</config>",
                "  <component name=\"bad-mlp\" type=\"io.github.randomgradient.djl.block.MLPBlockFactory\">"
                        + "<property name=\"activation\" value=\"SWISH\"/></component>\n</config>"),
                "bad-mlp", "activation", "SWISH", "the allowed values are RELU, TANH, SIGMOID, GELU"));
        c.add(new Case("cyclical mode unknown", xml -> bad("lossScale", "bad-scale", value("bad-cycle")).apply(xml).replace("</config>",
                "  <component name=\"bad-cycle\" type=\"io.github.randomgradient.rg.CyclicalLossScale\">"
                        + "<property name=\"mode\" value=\"SAWTOOTH\"/></component>\n</config>"),
                "bad-cycle", "mode", "SAWTOOTH", "the allowed values are TRIANGULAR, TRIANGULAR2, EXP_RANGE"));
        // A boolean OLCUT would read as false (Boolean.parseBoolean): "yes" on a network, "1" on RG's meanPreserving.
        c.add(new Case("boolean yes", xml -> bad("blockFactory", "mlp", value("bad-cnn")).apply(xml).replace("</config>",
                "  <component name=\"bad-cnn\" type=\"io.github.randomgradient.djl.block.CNNBlockFactory\">"
                        + "<property name=\"batchNorm\" value=\"yes\"/></component>\n</config>"),
                "bad-cnn", "batchNorm", "'yes' is not a boolean", "true or false"));
        c.add(new Case("boolean 1", xml -> bad("lossScale", "bad-scale", value("bad-mp")).apply(xml).replace("</config>",
                "  <component name=\"bad-mp\" type=\"io.github.randomgradient.rg.UniformLossScale\">"
                        + "<property name=\"meanPreserving\" value=\"1\"/></component>\n</config>"),
                "bad-mp", "meanPreserving", "'1' is not a boolean"));
        c.add(new Case("boolean with a trailing space", xml -> bad("lossScale", "bad-scale", value("bad-mp2")).apply(xml).replace("</config>",
                "  <component name=\"bad-mp2\" type=\"io.github.randomgradient.rg.UniformLossScale\">"
                        + "<property name=\"meanPreserving\" value=\"true \"/></component>\n</config>"),
                "bad-mp2", "meanPreserving", "'true ' is not a boolean"));
        c.add(new Case("boolean through a global property", xml -> bad("lossScale", "bad-scale", value("bad-mp3")).apply(xml).replace("</config>",
                "  <property name=\"mp\" value=\"yes\"/>\n  <component name=\"bad-mp3\" type=\"io.github.randomgradient.rg.UniformLossScale\">"
                        + "<property name=\"meanPreserving\" value=\"${mp}\"/></component>\n</config>"),
                "bad-mp3", "meanPreserving", "'${mp}' (= 'yes') is not a boolean"));
        c.add(new Case("device unknown", bad("device", "auto", value("tpu")), "bad", "device", "tpu"));
        c.add(new Case("numThreads 0", bad("numThreads", "1", value("0")), "bad", "numThreads", "0"));
        c.add(new Case("divergence policy unknown", bad("divergencePolicy", "STOP", value("IGNORE")), "bad", "divergencePolicy", "IGNORE",
                "the allowed values are FAIL, STOP"));
        c.add(new Case("misspelt property", bad("learningRate", "0.05", "<property name=\"learningRte\" value=\"0.05\"/>"),
                "bad", "learningRte"));
        c.add(new Case("undefined component reference", bad("featureConverter", "fashion-mnist-image", value("no-such-converter")),
                "bad", "featureConverter", "no-such-converter"));
        c.add(new Case("mandatory field missing", bad("blockFactory", "mlp", ""), "bad", "blockFactory"));
        c.add(new Case("list for a single value", bad("learningRate", "0.05",
                "<propertylist name=\"$\"><item>0.05</item></propertylist>"), "bad", "learningRate", "<property name=\"learningRate\""));
        c.add(new Case("unknown trainer class", line("<component name=\"bad\" type=\"io.github.randomgradient.djl.DJLTrainer\">",
                "<component name=\"bad\" type=\"io.github.randomgradient.djl.DJLTrainr\">"), "bad", "DJLTrainr"));
        c.add(new Case("component of the wrong type", bad("lossScale", "bad-scale", value("label-converter")),
                "bad", "lossScale", "label-converter"));
        // A component only the second trainer uses.
        c.add(new Case("loss scale low not a number", bad("low", "0.0", value("abc")), "bad-scale", "low", "abc"));
        c.add(new Case("loss scale high below low", bad("high", "1.0", value("-0.5")), "bad-scale", "high", "-0.5"));
        c.add(new Case("loss scale NaN", bad("low", "0.0", value("NaN")), "bad-scale", "low", "NaN"));
        c.add(new Case("apply probability 1.5", bad("applyProbability", "1.0", value("1.5")), "bad-scale", "applyProbability", "1.5"));
        c.add(new Case("image converter width 0", xml -> bad("width", "28", value("0")).apply(
                bad("featureConverter", "fashion-mnist-image", value("bad-image")).apply(xml)), "bad-image", "width", "0"));
        c.add(new Case("image converter 32x32 for 28x28 images", xml -> bad("height", "28", value("32")).apply(bad("width", "28", value("32"))
                .apply(bad("featureConverter", "fashion-mnist-image", value("bad-image")).apply(xml))),
                "trainer 'bad'", "[channels=1, height=32, width=32] (1024 pixels)", "784 pixel features", "28x28", "train-images-idx3-ubyte.gz"));
        c.add(new Case("image converter 20x20 for 28x28 images", xml -> bad("height", "28", value("20")).apply(bad("width", "28", value("20"))
                .apply(bad("featureConverter", "fashion-mnist-image", value("bad-image")).apply(xml))),
                "trainer 'bad'", "featureConverter", "train-images-idx3-ubyte.gz"));
        c.add(new Case("image converter with 3 channels", xml -> bad("channels", "1", value("3")).apply(
                bad("featureConverter", "fashion-mnist-image", value("bad-image")).apply(xml)),
                "trainer 'bad'", "[channels=3, height=28, width=28] (2352 pixels)", "784 pixel features", "28x28"));
        c.add(new Case("numDevices 2 on the CPU", bad("device", "auto", "<property name=\"device\" value=\"cpu\"/><property name=\"numDevices\" value=\"2\"/>"),
                "trainer 'bad'", "numDevices=2"));
        // The experiment component.
        c.add(new Case("seeds given a bare value", line("<propertylist name=\"seeds\"><item>1</item><item>2</item></propertylist>",
                "<property name=\"seeds\" value=\"1\"/>"), "seeds", "experiment", "<propertylist name=\"seeds\">"));
        c.add(new Case("trainers given a bare value", line("<propertylist name=\"trainers\"><item>mlp-baseline</item><item>bad</item></propertylist>",
                "<property name=\"trainers\" value=\"mlp-baseline\"/>"), "trainers", "experiment"));
        c.add(new Case("seeds repeated", line("<item>1</item><item>2</item>", "<item>1</item><item>1</item>"), "seeds", "1 twice"));
        c.add(new Case("trainer listed twice", line("<item>mlp-baseline</item><item>bad</item>", "<item>bad</item><item>bad</item>"),
                "trainers", "'bad' twice"));
        c.add(new Case("a trainer compared with itself", line("</component>\n</config>",
                "<propertylist name=\"comparisons\"><item>bad vs bad</item></propertylist></component>\n</config>"),
                "comparisons", "bad vs bad"));
        c.add(new Case("nesterov without momentum", xml -> bad("momentum", "0.9", value("0.0")).apply(
                bad("optimiser", "SGD", value("NESTEROV")).apply(xml)), "bad", "momentum", "NESTEROV"));
        c.add(new Case("numThreads 100000", bad("numThreads", "1", value("100000")), "bad", "numThreads", "100000"));
        c.add(new Case("seed not a number", line("<item>1</item><item>2</item>", "<item>1</item><item>two</item>"), "seeds", "two"));
        c.add(new Case("experiment epochs negative", line("<property name=\"epochs\" value=\"1\"/>", "<property name=\"epochs\" value=\"-1\"/>"),
                "epochs", "-1"));
        c.add(new Case("target accuracy 2", line("</component>\n</config>", "<property name=\"targetAccuracy\" value=\"2\"/></component>\n</config>"),
                "targetAccuracy", "2"));
        c.add(new Case("comparison malformed", line("</component>\n</config>",
                "<propertylist name=\"comparisons\"><item>bad versus mlp-baseline</item></propertylist></component>\n</config>"),
                "comparisons", "bad versus mlp-baseline"));
        c.add(new Case("unknown trainer name", line("<item>bad</item>", "<item>mlp-rgg</item>"), "unknown trainer name 'mlp-rgg'", "mlp-rg"));
        c.add(new Case("trainer name of a non-trainer", line("<item>bad</item>", "<item>label-converter</item>"), "label-converter"));
        c.add(new Case("no trainers", line("<item>mlp-baseline</item><item>bad</item>", ""), "trainers"));
        c.add(new Case("train source missing", line("<property name=\"trainSource\" value=\"tiny-train\"/>",
                "<property name=\"trainSource\" value=\"tiny-trian\"/>"), "trainSource", "tiny-trian"));
        c.add(new Case("train source not a data source", line("<property name=\"trainSource\" value=\"tiny-train\"/>",
                "<property name=\"trainSource\" value=\"mlp\"/>"), "trainSource", "mlp"));
        c.add(new Case("experiment property misspelt", line("<property name=\"epochs\" value=\"1\"/>", "<property name=\"epoch\" value=\"1\"/>"),
                "experiment", "epoch"));
        c.add(new Case("data source featuresPath missing", line("train-images-idx3-ubyte.gz\"/>", "train-images.gz\"/>"),
                "data file not found", "train-images.gz", "featuresPath", "tiny-train"));
        // Arguments.
        c.add(new Case("--epochs 0", UnaryOperator.identity(), List.of("--epochs", "0"), "--epochs", "'0'"));
        c.add(new Case("--epochs -2", UnaryOperator.identity(), List.of("--epochs", "-2"), "--epochs", "'-2'"));
        c.add(new Case("--epochs abc", UnaryOperator.identity(), List.of("--epochs", "abc"), "--epochs", "'abc'"));
        c.add(new Case("--seeds repeated", UnaryOperator.identity(), List.of("--seeds", "3,3"), "--seeds", "3"));
        c.add(new Case("--seeds not numbers", UnaryOperator.identity(), List.of("--seeds", "a,b"), "--seeds", "a"));
        c.add(new Case("unknown option", UnaryOperator.identity(), List.of("--epohcs", "1"), "--epohcs"));
        c.add(new Case("--experiment names nothing", UnaryOperator.identity(), List.of("--experiment", "exp"), "'exp'", "--experiment"));
        c.add(new Case("--experiment names a trainer", UnaryOperator.identity(), List.of("--experiment", "bad"), "'bad'", "Experiment"));
        c.add(new Case("--data directory missing", UnaryOperator.identity(), List.of("--data", "/no/such/dir"),
                "data file not found", "/no/such/dir", "--data bundled"));
        // Maven runs these tests in examples/, where the bundled subset's relative path does not resolve.
        c.add(new Case("--data bundled outside the repository root", UnaryOperator.identity(), List.of("--data", "bundled"),
                "data file not found", "fashion-mnist-subset", "run from the repository root"));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> everyBadConfigFailsBeforeTraining() {
        return cases().stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            Path dir = Files.createDirectories(tmp.resolve(k.name().replaceAll("[^A-Za-z0-9]+", "-")));
            Path out = dir.resolve("out");
            Path cfg = dir.resolve("experiment.xml");
            Files.writeString(cfg, k.mutation().apply(experimentXml(data, out)));
            List<String> args = new ArrayList<>(List.of("experiment", "-c", cfg.toString(), "--output-dir", out.toString()));
            args.addAll(k.extraArgs());
            assertUserError(tribuoRg(args.toArray(new String[0])), List.of(k.fragments()), out);
        }));
    }

    @Test
    public void gpuRequestedOnAMachineWithoutOneIsAUserError() throws IOException {
        Assumptions.assumeTrue(ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU");
        Path dir = Files.createDirectories(tmp.resolve("gpu"));
        Path out = dir.resolve("out");
        Path cfg = Files.writeString(dir.resolve("experiment.xml"), bad("device", "auto", value("gpu")).apply(experimentXml(data, out)));
        assertUserError(tribuoRg("experiment", "-c", cfg.toString()), List.of("trainer 'bad'", "device=gpu", "PYTORCH_LIBRARY_PATH"), out);
    }

    @TestFactory
    Stream<DynamicTest> badConfigFilesAndCommands() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("files"));
        Path out = dir.resolve("out");
        Path malformed = dir.resolve("malformed.xml");
        Files.writeString(malformed, "<?xml version=\"1.0\"?>\n<config>\n  <component name=\"experiment\" type=\"io.github.randomgradient.cli.Experiment\">\n");
        Path empty = dir.resolve("empty.xml");
        Files.writeString(empty, "<?xml version=\"1.0\"?>\n<config/>\n");
        Path missingInclude = dir.resolve("missing-include.xml");
        Files.writeString(missingInclude, replace(experimentXml(data, out), "configs/fashion-mnist-trainers.xml", "configs/no-such-trainers.xml"));
        Path good = dir.resolve("good.xml");
        Files.writeString(good, experimentXml(data, out));
        Object[][] cases = {
                {"malformed XML", new String[]{"experiment", "-c", malformed.toString()}, List.of("could not load config", "malformed.xml")},
                {"config file missing", new String[]{"experiment", "-c", dir.resolve("nope.xml").toString()}, List.of("nope.xml")},
                {"included file missing", new String[]{"experiment", "-c", missingInclude.toString()}, List.of("no-such-trainers.xml")},
                {"config without components", new String[]{"experiment", "-c", empty.toString()}, List.of("experiment")},
                {"no -c", new String[]{"experiment"}, List.of("-c")},
                {"unknown command", new String[]{"experimnet", "-c", good.toString()}, List.of("unknown command 'experimnet'", "experiment, sweep, report, audit, export-data")},
                {"report without output dir", new String[]{"report", "--runs", dir.toString()}, List.of("--output-dir")},
                {"report with runs and models", new String[]{"report", "--runs", dir.toString(), "--models", "a.pb", "--output-dir",
                        out.toString()}, List.of("--runs", "--models")},
                {"report target accuracy 2", new String[]{"report", "--runs", dir.toString(), "--output-dir", out.toString(),
                        "--target-accuracy", "2"}, List.of("--target-accuracy", "2")},
                {"report comparison malformed", new String[]{"report", "--runs", dir.toString(), "--output-dir", out.toString(),
                        "--compare", "a against b"}, List.of("--compare", "a against b")},
                {"audit without --model", new String[]{"audit"}, List.of("--model")},
                {"export-data without --data", new String[]{"export-data", "--output-dir", out.toString()}, List.of("--data")},
        };
        return Stream.of(cases).map(k -> DynamicTest.dynamicTest((String) k[0], () -> {
            @SuppressWarnings("unchecked")
            List<String> fragments = (List<String>) k[2];
            assertUserError(tribuoRg((String[]) k[1]), fragments, out);
        }));
    }
}
