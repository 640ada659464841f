package io.github.randomgradient.examples;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import io.github.randomgradient.sweep.PlannedRun;
import io.github.randomgradient.sweep.SweepPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.github.randomgradient.examples.ExperimentCliTest.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The configs read Fashion-MNIST with {@code IdxImageDataSource}; a sweep whose data sources are
 * Tribuo's {@code IDXDataSource} over the same files trains on the same floats, so its runs keep
 * their identities (a sweep started before the switch resumes), while other files change them.
 */
public class IdxSourceIdentityTest {

    private static List<String> ids(Path configs) {
        return SweepPlan.expand(new ConfigurationManager(configs.resolve("sweep-smoke.xml").toString()), "sweep").runs()
                .stream().map(PlannedRun::id).toList();
    }

    private static Path copy(Path to, String from, String replacement) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(ROOT.resolve("configs"))) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".xml"))::iterator) {
                Files.writeString(to.resolve(f.getFileName()), Files.readString(f).replace(from, replacement));
            }
        }
        return to;
    }

    @Test
    void bothIdxSourcesGiveTheSameRunIdentities(@TempDir Path tmp) throws IOException {
        String fast = "type=\"io.github.randomgradient.images.IdxImageDataSource\"";
        assertTrue(Files.readString(ROOT.resolve("configs").resolve("data-fashion-mnist.xml")).contains(fast));
        List<String> configured = ids(copy(tmp.resolve("fast"), "", ""));
        List<String> tribuo = ids(copy(tmp.resolve("tribuo"), fast, "type=\"org.tribuo.datasource.IDXDataSource\""));
        assertTrue(configured.size() >= 2, configured.toString());
        assertEquals(configured, tribuo);
        List<String> otherFiles = ids(copy(tmp.resolve("other"), "data/fashion-mnist-subset/train-images", "data/elsewhere/train-images"));
        assertNotEquals(configured.get(0), otherFiles.get(0));
    }
}
