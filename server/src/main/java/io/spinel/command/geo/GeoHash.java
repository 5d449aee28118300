package io.spinel.command.geo;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The geohash arithmetic of Redis's geohash.c and geohash_helper.c: encoding a longitude and
 * latitude into interleaved cell bits (latitude in the even bits, longitude in the odd ones),
 * decoding a cell back to its centre, the eight neighbours of a cell, the step estimate for a
 * search radius, and the haversine distance on Redis's earth radius. Also the number formats geo
 * replies use. Every computation follows Redis's order of double operations, so that coordinates
 * and distances print with the same bytes.
 */
final class GeoHash {
    static final double LONG_MIN = -180;
    static final double LONG_MAX = 180;
    static final double LAT_MIN = -85.05112878;
    static final double LAT_MAX = 85.05112878;
    /** GEO_STEP_MAX: 26 bits per coordinate, 52 bits in a score. */
    static final int STEP_MAX = 26;
    static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    static final double MERCATOR_MAX = 20037726.37;
    private static final double D_R = Math.PI / 180.0;
    private static final String BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";

    private GeoHash() {
    }

    /**
     * The cell of {@code step} bits per coordinate holding the point, with the latitude range
     * [{@code latMin}, {@code latMax}]; -1 when the point is outside the encodable area.
     */
    static long encode(double longitude, double latitude, double latMin, double latMax, int step) {
        if (longitude > 180 || longitude < -180 || latitude > 85.05112878 || latitude < -85.05112878) {
            return -1;
        }
        if (latitude < latMin || latitude > latMax || longitude < LONG_MIN || longitude > LONG_MAX) {
            return -1;
        }
        double latOffset = (latitude - latMin) / (latMax - latMin);
        double longOffset = (longitude - LONG_MIN) / (LONG_MAX - LONG_MIN);
        latOffset *= (double) (1L << step);
        longOffset *= (double) (1L << step);
        return interleave((long) latOffset & 0xffffffffL, (long) longOffset & 0xffffffffL);
    }

    /** The 52-bit score of a point (valid coordinates): its step-26 cell on the Web Mercator range. */
    static long score(double longitude, double latitude) {
        return encode(longitude, latitude, LAT_MIN, LAT_MAX, STEP_MAX);
    }

    private static long interleave(long x, long y) {
        long result = 0;
        for (int i = 0; i < 32; i++) {
            result |= ((x >>> i) & 1L) << (2 * i);
            result |= ((y >>> i) & 1L) << (2 * i + 1);
        }
        return result;
    }

    private static long evenBits(long bits) {
        long result = 0;
        for (int i = 0; i < 32; i++) {
            result |= ((bits >>> (2 * i)) & 1L) << i;
        }
        return result;
    }

    /**
     * The bounds of a cell: {min longitude, max longitude, min latitude, max latitude}. Bits above
     * the step's width are decoded too (they put the cell outside the range), as Redis does.
     */
    static double[] area(long bits, int step) {
        long lat = evenBits(bits);
        long lon = evenBits(bits >>> 1);
        double latScale = LAT_MAX - LAT_MIN;
        double longScale = LONG_MAX - LONG_MIN;
        double cells = (double) (1L << step);
        return new double[] {
            LONG_MIN + (lon * 1.0 / cells) * longScale,
            LONG_MIN + ((lon + 1) * 1.0 / cells) * longScale,
            LAT_MIN + (lat * 1.0 / cells) * latScale,
            LAT_MIN + ((lat + 1) * 1.0 / cells) * latScale,
        };
    }

    /**
     * The point a score stands for: the centre of its step-26 cell, clamped to the valid range;
     * {longitude, latitude}. The score is converted to an unsigned 64-bit integer as x86-64 code
     * compiled from C's {@code (uint64_t) double} does, so any score decodes as in Redis.
     */
    static double[] decode(double score) {
        double[] a = area(toUnsigned(score), STEP_MAX);
        double x = (a[0] + a[1]) / 2;
        x = Math.min(Math.max(x, LONG_MIN), LONG_MAX);
        double y = (a[2] + a[3]) / 2;
        y = Math.min(Math.max(y, LAT_MIN), LAT_MAX);
        return new double[] {x, y};
    }

    private static long toUnsigned(double d) {
        if (d < 9223372036854775808.0) {
            return truncate(d);
        }
        return truncate(d - 9223372036854775808.0) ^ Long.MIN_VALUE;
    }

    /** cvttsd2si: truncation, with the "integer indefinite" value for anything out of range. */
    private static long truncate(double d) {
        if (d >= 9223372036854775808.0 || d < -9223372036854775808.0 || Double.isNaN(d)) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    /** The 11-character standard geohash (latitude -90..90) of a score, as GEOHASH prints it. */
    static String standardHash(double score) {
        double[] xy = decode(score);
        long bits = encode(xy[0], xy[1], -90, 90, STEP_MAX);
        StringBuilder text = new StringBuilder(11);
        for (int i = 0; i < 11; i++) {
            // 52 bits make 10.4 characters: the last one is always the first of the alphabet.
            int index = i == 10 ? 0 : (int) ((bits >>> (52 - ((i + 1) * 5))) & 0x1f);
            text.append(BASE32.charAt(index));
        }
        return text.toString();
    }

    /** The cell {@code bits} of {@code step} moved by {@code dx} cells east and {@code dy} cells north. */
    static long move(long bits, int step, int dx, int dy) {
        return moveY(moveX(bits, step, dx), step, dy);
    }

    private static long moveX(long bits, int step, int d) {
        if (d == 0) {
            return bits;
        }
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - step * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        return x | y;
    }

    private static long moveY(long bits, int step, int d) {
        if (d == 0) {
            return bits;
        }
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= 0x5555555555555555L >>> (64 - step * 2);
        return x | y;
    }

    /** geohashEstimateStepsByRadius: the coarsest step whose cells still contain the radius. */
    static int estimateSteps(double rangeMeters, double latitude) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        // Cells narrow towards the poles.
        if (latitude > 66 || latitude < -66) {
            step--;
            if (latitude > 80 || latitude < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }

    static double degRad(double angle) {
        return angle * D_R;
    }

    static double radDeg(double angle) {
        return angle / D_R;
    }

    /** The distance along a meridian between two latitudes. */
    static double latDistance(double lat1, double lat2) {
        return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2) - degRad(lat1));
    }

    /** The haversine distance in meters between two points. */
    static double distance(double lon1, double lat1, double lon2, double lat2) {
        double lon1r = degRad(lon1);
        double lon2r = degRad(lon2);
        double v = Math.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            return latDistance(lat1, lat2);
        }
        double lat1r = degRad(lat1);
        double lat2r = degRad(lat2);
        double u = Math.sin((lat2r - lat1r) / 2);
        double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
    }

    /** C's {@code "%.<decimals>f"}: the exact binary value rounded half-even; "inf" for infinities. */
    static String fixed(double value, int decimals) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(value)) {
            return "nan";
        }
        String text = new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        boolean negative = value < 0 || (value == 0 && 1 / value < 0);
        return negative && !text.startsWith("-") ? "-" + text : text;
    }

    /**
     * A distance as Redis 7.2 prints it (fixedpoint_d2string with 4 digits): the value times
     * 10^4 rounded half-even to an integer, then written with the dot put back. This differs from
     * {@code "%.4f"} (Redis 7.0) only when the scaled value lands exactly on a half.
     */
    static String distanceText(double distance) {
        long scaled = (long) Math.rint(distance * 10000.0);
        StringBuilder digits = new StringBuilder(Long.toString(Math.abs(scaled)));
        while (digits.length() < 5) {
            digits.insert(0, '0');
        }
        digits.insert(digits.length() - 4, '.');
        return scaled < 0 ? "-" + digits : digits.toString();
    }

    /** Redis's addReplyHumanLongDouble text of a double: {@code "%.17Lf"} without trailing zeros. */
    static String human(double value) {
        String text = new BigDecimal(value).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = text.length();
        while (text.charAt(end - 1) == '0') {
            end--;
        }
        if (text.charAt(end - 1) == '.') {
            end--;
        }
        text = text.substring(0, end);
        return text.equals("-0") ? "0" : text;
    }
}
