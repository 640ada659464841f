package io.github.randomgradient.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java quick start of docs/java-api.md (linked from the README) is {@link QuickStart} as written (from its first import to its
 * end), so the snippet compiles because the build compiles that file.
 */
public class ReadmeQuickStartTest {

    @Test
    public void readmeSnippetIsTheCompiledQuickStart() throws IOException {
        String readme = Files.readString(ExperimentCliTest.ROOT.resolve("docs/java-api.md"));
        String source = Files.readString(ExperimentCliTest.ROOT.resolve(
                "examples/src/main/java/io/github/randomgradient/examples/QuickStart.java"));
        String program = source.substring(source.indexOf("import "));
        assertTrue(readme.contains("```java\n" + program + "```\n"),
                "docs/java-api.md's Java quick start must be QuickStart.java from its first import on, unchanged");
    }
}
