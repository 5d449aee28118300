package io.spinel.resp;

/** Decimal numbers as Redis writes them in replies and settings. */
public final class DecimalText {
    private DecimalText() {
    }

    /**
     * {@code number} without the zeros that end its fraction, nor the point when nothing is left
     * after it ("99.900000" to "99.9", "50.000000" to "50"); a number without a point is kept
     * (Redis's trimDoubleString).
     */
    public static String withoutTrailingZeros(String number) {
        if (number.indexOf('.') < 0) {
            return number;
        }
        int end = number.length();
        while (number.charAt(end - 1) == '0') {
            end--;
        }
        if (number.charAt(end - 1) == '.') {
            end--;
        }
        return number.substring(0, end);
    }
}
