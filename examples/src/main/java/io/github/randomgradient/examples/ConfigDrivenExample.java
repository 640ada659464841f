package io.github.randomgradient.examples;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A config-driven run: load the {@code mlp-rg} trainer from {@code configs/fashion-mnist-trainers.xml}
 * through OLCUT's {@link ConfigurationManager}, train it and evaluate it. Change the trainer by
 * editing the XML, not the code.
 * <p>
 * Run from the repository root: {@code java -cp "examples/target/tribuo-rg-examples.jar:examples/target/lib/*"
 * io.github.randomgradient.examples.ConfigDrivenExample [DATA_DIR]}.
 */
public final class ConfigDrivenExample {

    /** The trainers config. */
    static final Path CONFIG = Paths.get("configs", "fashion-mnist-trainers.xml");

    private ConfigDrivenExample() {}

    /**
     * Entry point.
     * @param args Optional IDX data directory (default: the bundled subset).
     */
    @SuppressWarnings("unchecked")
    public static void main(String[] args) {
        ConfigurationManager cm = new ConfigurationManager(CONFIG.toString());
        Trainer<Label> trainer = (Trainer<Label>) cm.lookup("mlp-rg");
        System.out.println("Trainer: " + trainer);
        Dataset<Label> train = ExampleData.train(args);
        Dataset<Label> test = ExampleData.test(args);
        Model<Label> model = trainer.train(train);
        System.out.println(new LabelEvaluator().evaluate(model, test));
    }
}
