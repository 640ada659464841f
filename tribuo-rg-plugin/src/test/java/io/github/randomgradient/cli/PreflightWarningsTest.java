package io.github.randomgradient.cli;

import io.github.randomgradient.rg.CyclicalLossScale;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The preflight's warning on threads and its check of enum names (the end-to-end cases, through
 * every command, are in the examples module's CliArgumentsTest and ConfigBadInputTest).
 */
public class PreflightWarningsTest {

    @Test
    public void moreWorkerThreadsThanCoresAreWarnedWithAWorkerCountThatFits() {
        assertEquals(Optional.empty(), Preflight.threadsWarning(2, 1, 2), "one thread per core: no warning");
        assertEquals(Optional.empty(), Preflight.threadsWarning(1, 4, 4));
        assertEquals(Optional.of("4 workers x 1 PyTorch thread = 4 threads on 2 cores: the runs compete for the CPU and each takes "
                + "longer (results are unchanged); use --workers 2 or lower numThreads"), Preflight.threadsWarning(4, 1, 2));
        assertEquals(Optional.of("2 workers x 2 PyTorch threads = 4 threads on 3 cores: the runs compete for the CPU and each takes "
                + "longer (results are unchanged); use --workers 1 or lower numThreads"), Preflight.threadsWarning(2, 2, 3));
        assertTrue(Preflight.threadsWarning(1, 8, 2).orElseThrow().contains("use --workers 1"), "never suggests 0 workers");
    }

    @Test
    public void anUnknownEnumNameListsTheAllowedValues() {
        Preflight.checkEnumValue("c", CyclicalLossScale.class.getName(), "mode", "EXP_RANGE", CyclicalLossScale.Mode.class);
        Preflight.checkEnumValue("c", CyclicalLossScale.class.getName(), "mode", "${mode}", CyclicalLossScale.Mode.class);
        CommandException e = assertThrows(CommandException.class, () -> Preflight.checkEnumValue("c", CyclicalLossScale.class.getName(),
                "mode", "SAW", CyclicalLossScale.Mode.class));
        assertEquals("component 'c' (CyclicalLossScale), property 'mode': 'SAW' is not a value of Mode; the allowed values are "
                + "TRIANGULAR, TRIANGULAR2, EXP_RANGE", e.getMessage());
        e = assertThrows(CommandException.class, () -> Preflight.checkEnumValue("c", CyclicalLossScale.class.getName(),
                "mode", "triangular2", CyclicalLossScale.Mode.class));
        assertTrue(e.getMessage().endsWith("(names are case-sensitive: write 'TRIANGULAR2')"), e.getMessage());
    }
}
