package io.github.randomgradient.examples;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layers of ../shared/DESIGN.md, checked on the compiled classes of every module on this
 * module's class path (core, plugin, bridge, examples; Spark has no arrow into them).
 * <p>
 * From the floor up: {@code rg}, {@code config}, {@code history} (tribuo-rg-core); {@code data};
 * {@code run}; {@code report}; {@code sweep}; {@code cli}. A package may use those below it, never
 * one above, and no two top-level packages may depend on each other in a cycle. The bridge
 * ({@code djl..}) stands on the core alone; Maven already refuses a bridge class that names a
 * plugin class (djl-bridge does not depend on the plugin), and this test says which arrow it was.
 */
public class ArchitectureTest {

    private static final String BASE = "io.github.randomgradient.";

    /** Each package and the packages it may not use (those above it, and the bridge for the plugin). */
    private static final Map<String, List<String>> FORBIDDEN = new LinkedHashMap<>();
    static {
        List<String> order = List.of("core", "data", "run", "report", "sweep", "cli");
        Map<String, List<String>> packagesOf = Map.of(
                "core", List.of("rg", "config", "history", "optim"),
                "data", List.of("data"),
                "run", List.of("run"),
                "report", List.of("report"),
                "sweep", List.of("sweep"),
                "cli", List.of("cli"));
        for (int i = 0; i < order.size(); i++) {
            List<String> above = order.subList(i + 1, order.size()).stream().flatMap(l -> packagesOf.get(l).stream()).toList();
            for (String pkg : packagesOf.get(order.get(i))) {
                List<String> forbidden = new java.util.ArrayList<>(above);
                forbidden.addAll(List.of("djl", "spark", "examples"));
                FORBIDDEN.put(pkg, forbidden);
            }
        }
        FORBIDDEN.put("djl", List.of("data", "run", "report", "sweep", "cli", "spark", "examples"));
    }

    private static JavaClasses classes;

    @BeforeAll
    public static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.randomgradient");
    }

    @Test
    public void everyLayerIsOnTheClassPath() {
        for (String pkg : FORBIDDEN.keySet()) {
            assertTrue(classes.stream().anyMatch(c -> c.getPackageName().equals(BASE + pkg) || c.getPackageName().startsWith(BASE + pkg + ".")),
                    "no classes of " + BASE + pkg + " were found: the rules would pass vacuously");
        }
    }

    @Test
    public void noPackageUsesALayerAboveIt() {
        StringBuilder violations = new StringBuilder();
        for (Map.Entry<String, List<String>> e : FORBIDDEN.entrySet()) {
            ArchRule rule = noClasses().that().resideInAPackage(BASE + e.getKey() + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(e.getValue().stream().map(p -> BASE + p + "..").toArray(String[]::new))
                    .because("DESIGN.md's layers: " + e.getKey() + " stands below " + e.getValue());
            EvaluationResult result = rule.evaluate(classes);
            if (result.hasViolation()) {
                violations.append(result.getFailureReport()).append('\n');
            }
        }
        assertEquals("", violations.toString());
    }

    @Test
    public void topLevelPackagesHaveNoCycle() {
        EvaluationResult result = slices().matching(BASE + "(*)..").should().beFreeOfCycles().evaluate(classes);
        assertFalse(result.hasViolation(), result.getFailureReport().toString());
    }

    @Test
    public void theRulesSeeAnUpwardArrow() {
        // The checker itself: the examples use the command line, so a rule forbidding that arrow must fire.
        EvaluationResult result = noClasses().that().resideInAPackage(BASE + "examples..")
                .should().dependOnClassesThat().resideInAnyPackage(BASE + "cli..").evaluate(classes);
        assertTrue(result.hasViolation(), "the rules could not see examples -> cli");
        assertTrue(Arrays.stream(result.getFailureReport().toString().split("\n")).anyMatch(l -> l.contains(BASE + "cli.")),
                result.getFailureReport().toString());
    }
}
