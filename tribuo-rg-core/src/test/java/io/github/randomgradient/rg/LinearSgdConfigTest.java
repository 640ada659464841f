package io.github.randomgradient.rg;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.example.GaussianLabelDataSource;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code configs/linear-sgd-rg.xml} loads through OLCUT, trains, and its model provenance JSON
 * shows the RG range, the learning rate and the momentum.
 */
public class LinearSgdConfigTest {

    /** The repository's configs folder, relative to this module's directory (Maven's working directory). */
    static final Path CONFIG = Paths.get("..", "configs", "linear-sgd-rg.xml");

    @Test
    public void configTrainsAnRgModelWhoseProvenanceJsonShowsTheRun() throws Exception {
        ConfigurationManager cm = new ConfigurationManager(CONFIG.toString());
        @SuppressWarnings("unchecked")
        Trainer<Label> trainer = (Trainer<Label>) cm.lookup("linear-sgd-rg");
        double[] cov = {1.0, 0.0, 0.0, 1.0};
        Dataset<Label> train = new MutableDataset<>(new GaussianLabelDataSource(2000, 1L, new double[]{0, 0}, cov, new double[]{3, 3}, cov));
        Dataset<Label> test = new MutableDataset<>(new GaussianLabelDataSource(1000, 2L, new double[]{0, 0}, cov, new double[]{3, 3}, cov));
        Model<Label> model = trainer.train(train);
        double accuracy = new LabelEvaluator().evaluate(model, test).accuracy();
        assertTrue(accuracy >= 0.95, "accuracy " + accuracy);

        String json = new JsonProvenanceSerialization(true).marshalAndSerialize(model.getProvenance());
        // Find the marshalled objects by class and check their fields.
        JsonNode root = new ObjectMapper().readTree(json);
        List<JsonNode> objects = new ArrayList<>();
        root.forEach(objects::add);
        JsonNode scale = find(objects, UniformLossScale.class.getName());
        assertEquals("0.0", scale.at("/map/low/value").asText());
        assertEquals("1.0", scale.at("/map/high/value").asText());
        JsonNode sgd = find(objects, "org.tribuo.math.optimisers.SimpleSGD");
        assertEquals("0.01", sgd.at("/map/initialLearningRate/value").asText());
        assertEquals("0.5", sgd.at("/map/rho/value").asText());
        assertEquals("STANDARD", sgd.at("/map/useMomentum/value").asText());
        JsonNode rg = find(objects, RandomGradientOptimiser.class.getName());
        assertEquals("1", rg.at("/map/seed/value").asText());

        // The lr-matched baseline in the same file really is the baseline at learning rate x E[u].
        double expected = UniformLossScale.paperDefault().expectedValue();
        Trainer<?> matched = (Trainer<?>) cm.lookup("linear-sgd-lr-matched");
        String matchedLr = ProvenanceUtil.formattedProvenanceString(matched.getProvenance());
        assertTrue(matchedLr.contains("initialLearningRate = " + (0.01 * expected)), matchedLr);
    }

    private static JsonNode find(List<JsonNode> objects, String className) {
        for (JsonNode n : objects) {
            if (className.equals(n.path("object-class-name").asText())) {
                return n;
            }
        }
        throw new AssertionError("no marshalled provenance of class " + className);
    }
}
