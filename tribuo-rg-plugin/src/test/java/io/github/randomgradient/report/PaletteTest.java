package io.github.randomgradient.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The heatmaps' colours: white at zero, equally strong for equal and opposite values, distinct hues, clamped. */
public class PaletteTest {

    private static int[] rgb(String css) {
        return new int[]{Integer.parseInt(css.substring(1, 3), 16), Integer.parseInt(css.substring(3, 5), 16),
                Integer.parseInt(css.substring(5, 7), 16)};
    }

    /** Distance from white, summed over the channels. */
    private static int strength(String css) {
        int[] c = rgb(css);
        return 3 * 255 - c[0] - c[1] - c[2];
    }

    @Test
    public void zeroIsNeutralAndSignsAreSymmetric() {
        assertEquals("#ffffff", Palette.diverging(0, 2));
        assertEquals("#ffffff", Palette.diverging(0.5, 0));
        assertEquals("#4393c3", Palette.diverging(2, 2));   // RdBu blue at full strength
        assertEquals("#e08214", Palette.diverging(-2, 2));  // PuOr orange at full strength
        assertEquals("#4393c3", Palette.diverging(5, 2));   // clamped
        for (double v : new double[]{0.1, 0.5, 1.0, 1.7}) {
            String up = Palette.diverging(v, 2);
            String down = Palette.diverging(-v, 2);
            assertNotEquals(up, down);
            // Each channel moves from white by the same fraction t = |v| / scale towards its end.
            double t = v / 2;
            assertEquals(Math.round(255 + (67 - 255) * t), rgb(up)[0]);
            assertEquals(Math.round(255 + (224 - 255) * t), rgb(down)[0]);
            assertEquals(Math.round(255 + (130 - 255) * t), rgb(down)[1]);
        }
        // Strength grows with |v| on both sides.
        assertEquals(true, strength(Palette.diverging(0.5, 2)) < strength(Palette.diverging(1.5, 2)));
        assertEquals(true, strength(Palette.diverging(-0.5, 2)) < strength(Palette.diverging(-1.5, 2)));
        assertEquals("", Palette.diverging(Double.NaN, 2));
        assertThrows(IllegalArgumentException.class, () -> Palette.diverging(1, -1));
        assertThrows(IllegalArgumentException.class, () -> Palette.diverging(1, Double.NaN));
    }

    @Test
    public void sequentialRunsFromWhiteAndClamps() {
        assertEquals("#ffffff", Palette.sequential(0));
        assertEquals("#6baed6", Palette.sequential(1));
        assertEquals("#6baed6", Palette.sequential(3));
        assertEquals("", Palette.sequential(Double.NaN));
    }
}
