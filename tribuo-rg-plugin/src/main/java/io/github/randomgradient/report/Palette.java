package io.github.randomgradient.report;

import java.util.Locale;

/**
 * Colour-blind-safe colours for the reports' heatmaps, as CSS colours.
 * <ul>
 *   <li>{@link #diverging}: blue for a favourable difference, orange for an unfavourable one, white for
 *   zero (the ends of ColorBrewer's RdBu and PuOr schemes, which stay distinct under the common
 *   colour-vision deficiencies); the strength grows linearly with |value| / scale, the same for both
 *   signs, so equal and opposite differences get equally strong colours.</li>
 *   <li>{@link #sequential}: white to light blue-grey, for absolute values (accuracies).</li>
 * </ul>
 * Colour shows size only; significance is shown apart from it (an outline and a mark), so a faint
 * significant cell and a strong noisy one are told apart.
 * <pre>
 *   C. A. Brewer, ColorBrewer 2.0 (colorbrewer2.org): diverging schemes RdBu and PuOr, "colorblind safe".
 * </pre>
 */
public final class Palette {

    /** The colour of zero. */
    public static final String NEUTRAL = "#ffffff";

    /** The favourable end, RdBu's blue (67, 147, 195). */
    private static final int[] FAVOURABLE = {67, 147, 195};
    /** The unfavourable end, PuOr's orange (224, 130, 20). */
    private static final int[] UNFAVOURABLE = {224, 130, 20};
    /** The sequential end (blue-grey). */
    private static final int[] SEQUENTIAL = {107, 174, 214};

    private Palette() {}

    /**
     * A diverging colour.
     * @param value The value, signed so that positive is favourable.
     * @param scale The |value| that gets the full colour (e.g. the largest |value| of the heatmap); larger values are clamped.
     * @return A CSS colour {@code #rrggbb}: {@link #NEUTRAL} at 0 (or when the scale is 0); empty for a non-finite value.
     * @throws IllegalArgumentException If the scale is negative or not finite.
     */
    public static String diverging(double value, double scale) {
        if (!(scale >= 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("a palette's scale must be finite and >= 0, found " + scale);
        }
        if (!Double.isFinite(value)) {
            return "";
        }
        double t = scale == 0 ? 0 : Math.min(1, Math.abs(value) / scale);
        return mix(value >= 0 ? FAVOURABLE : UNFAVOURABLE, t);
    }

    /**
     * A sequential colour.
     * @param fraction Where the value lies between the smallest (0) and the largest (1) shown; clamped to [0, 1].
     * @return A CSS colour {@code #rrggbb}; empty for a non-finite fraction.
     */
    public static String sequential(double fraction) {
        if (!Double.isFinite(fraction)) {
            return "";
        }
        return mix(SEQUENTIAL, Math.max(0, Math.min(1, fraction)));
    }

    /** White mixed towards an end colour by t in [0, 1]. */
    private static String mix(int[] end, double t) {
        int[] c = new int[3];
        for (int i = 0; i < 3; i++) {
            c[i] = (int) Math.round(255 + (end[i] - 255) * t);
        }
        return String.format(Locale.ROOT, "#%02x%02x%02x", c[0], c[1], c[2]);
    }
}
