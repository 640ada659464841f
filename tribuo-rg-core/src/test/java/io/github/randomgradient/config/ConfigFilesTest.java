package io.github.randomgradient.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ConfigFiles}: a -c file in a directory with a space goes through a link, and OLCUT's message
 * about an include it resolved against a URL-escaped path says why the existing file was not found.
 */
public class ConfigFilesTest {

    @Test
    public void aConfigInADirectoryWithASpaceIsLinkedAndMessagesNameTheRealPaths(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("a b"));
        Path config = Files.writeString(dir.resolve("c.xml"), "<config/>");
        try (ConfigFiles files = ConfigFiles.prepare(new String[]{"-c", config.toString(), "--other", "x"})) {
            String linked = files.args()[1];
            assertFalse(linked.contains(" "), linked);
            assertEquals(Files.readString(config), Files.readString(Path.of(linked)));
            assertEquals("could not read " + dir.resolve("d.xml"), files.real("could not read " + Path.of(linked).resolveSibling("d.xml")));
        }
    }

    @Test
    public void anIncludeResolvedAgainstAnEscapedPathIsExplained() {
        ConfigFiles files = ConfigFiles.prepare(new String[0]);
        String m = files.real("/tmp/new%20user/configs/fashion-mnist-trainers.xml (No such file or directory)");
        assertTrue(m.startsWith("/tmp/new%20user/configs/fashion-mnist-trainers.xml (No such file or directory) (OLCUT 5.3 resolved"
                + " a relative <file> include against the URL-escaped path"), m);
        assertEquals("no such component 'x'", files.real("no such component 'x'"));
    }
}
