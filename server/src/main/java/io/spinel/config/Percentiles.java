package io.spinel.config;

import io.spinel.resp.DecimalText;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The value of latency-tracking-info-percentiles: the percentiles INFO latencystats reports,
 * written as Redis writes them (each as "%f" without trailing zeros, separated by spaces; ""
 * for none).
 */
public final class Percentiles {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private Percentiles() {
    }

    static double[] parse(String text, double[] current) {
        if (text.isEmpty()) {
            return new double[0];
        }
        String[] words = text.split(" ", -1); // one argument per space, as Redis splits it: "50  99" is refused
        double[] percentiles = new double[words.length];
        for (int i = 0; i < words.length; i++) {
            if (!NUMBER.matcher(words[i]).matches()) {
                throw new IllegalArgumentException("Invalid latency-tracking-info-percentiles parameters");
            }
            double percentile = Double.parseDouble(words[i]);
            if (percentile > 100.0 || percentile < 0.0) {
                throw new IllegalArgumentException("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            percentiles[i] = percentile;
        }
        return percentiles;
    }

    static String format(double[] percentiles) {
        StringBuilder out = new StringBuilder();
        for (double percentile : percentiles) {
            out.append(out.isEmpty() ? "" : " ").append(name(percentile));
        }
        return out.toString();
    }

    /** A percentile as Redis prints it: "%f" without its trailing zeros (50, 99.9). */
    public static String name(double percentile) {
        return DecimalText.withoutTrailingZeros(String.format(Locale.ROOT, "%f", percentile));
    }
}
