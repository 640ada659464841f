package io.github.randomgradient.examples;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.ListProperty;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import io.github.randomgradient.config.ConfigFiles;
import io.github.randomgradient.cli.Experiment;
import io.github.randomgradient.run.ProvenanceFacts;
import org.junit.jupiter.api.Test;
import org.tribuo.Trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every experiment config in {@code configs/} loads, names trainers that build, and compares RG
 * only with trainers that differ from it in the loss scale and learning rate alone.
 */
public class ConfigsTest {

    @Test
    public void everyExperimentConfigLoadsAndItsTrainersBuild() throws IOException {
        List<Path> experiments;
        try (Stream<Path> files = Files.list(ExperimentCliTest.ROOT.resolve("configs"))) {
            experiments = files.filter(p -> p.getFileName().toString().startsWith("experiment-")).sorted().toList();
        }
        assertTrue(experiments.size() >= 2, "experiment configs: " + experiments);
        for (Path config : experiments) {
            ConfigurationManager cm;
            try (ConfigFiles files = ConfigFiles.prepare(new String[]{"-c", config.toString()})) {
                cm = new ConfigurationManager(files.args());
            }
            ConfigurationData experiment = cm.getConfigurationData("experiment").orElseThrow();
            assertEquals(Experiment.class.getName(), experiment.getClassName(), config.toString());
            List<String> trainers = new ArrayList<>();
            ((ListProperty) experiment.get("trainers").orElseThrow()).getSimpleList().forEach(s -> trainers.add(s.getValue()));
            for (String name : trainers) {
                Trainer<?> trainer = (Trainer<?>) cm.lookup(name);
                assertFalse(trainer.toString().isEmpty(), config + ": " + name);
            }
            // Each comparison pits candidate and reference against each other with nothing but the
            // loss scale and learning rate changed.
            if (experiment.get("comparisons").isPresent()) {
                for (SimpleProperty c : ((ListProperty) experiment.get("comparisons").get()).getSimpleList()) {
                    String[] pair = c.getValue().split("\\s+vs\\s+");
                    Map<String, String> a = ProvenanceFacts.configurationOf(((Trainer<?>) cm.lookup(pair[0])).getProvenance());
                    Map<String, String> b = ProvenanceFacts.configurationOf(((Trainer<?>) cm.lookup(pair[1])).getProvenance());
                    for (String key : a.keySet()) {
                        if (!key.startsWith("lossScale") && !key.equals("learningRate")) {
                            assertEquals(a.get(key), b.get(key), config + ": " + c.getValue() + " differ in " + key);
                        }
                    }
                }
            }
        }
    }
}
