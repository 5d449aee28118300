package io.spinel.command.geo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The geohash arithmetic and number formats, checked against values Redis computes. */
class GeoHashTest {
    @Test
    void score_palermo_isRedisScore() {
        assertThat(GeoHash.score(13.361389, 38.115556)).isEqualTo(3479099956230698L);
        assertThat(GeoHash.score(15.087269, 37.502669)).isEqualTo(3479447370796909L);
    }

    @Test
    void standardHash_palermo_isRedisHash() {
        assertThat(GeoHash.standardHash(3479099956230698.0)).isEqualTo("sqc8b49rny0");
    }

    @Test
    void decode_palermo_printsAsRedis() {
        double[] xy = GeoHash.decode(3479099956230698.0);
        assertThat(GeoHash.human(xy[0])).isEqualTo("13.36138933897018433");
        assertThat(GeoHash.human(xy[1])).isEqualTo("38.11555639549629859");
    }

    @Test
    void decode_outOfRangeScores_convertAsX86() {
        double[] negative = GeoHash.decode(-1.5);
        assertThat(GeoHash.human(negative[0])).isEqualTo("180");
        assertThat(GeoHash.human(negative[1])).isEqualTo("85.0511287799999991");
        double[] huge = GeoHash.decode(1e30);
        assertThat(GeoHash.human(huge[0])).isEqualTo("-179.99999731779098511");
        assertThat(GeoHash.human(huge[1])).isEqualTo("-85.05112751263942528");
    }

    @Test
    void distance_palermoCatania_isRedisDistance() {
        double[] a = GeoHash.decode(3479099956230698.0);
        double[] b = GeoHash.decode(3479447370796909.0);
        assertThat(GeoHash.distanceText(GeoHash.distance(a[0], a[1], b[0], b[1]) / 1000)).isEqualTo("166.2742");
    }

    @Test
    void fixed_specialValues_printAsC() {
        assertThat(GeoHash.fixed(200, 6)).isEqualTo("200.000000");
        assertThat(GeoHash.fixed(-0.0, 6)).isEqualTo("-0.000000");
        assertThat(GeoHash.fixed(Double.POSITIVE_INFINITY, 6)).isEqualTo("inf");
        assertThat(GeoHash.fixed(Double.NEGATIVE_INFINITY, 6)).isEqualTo("-inf");
        assertThat(GeoHash.fixed(0.00005, 4)).isEqualTo("0.0001");
    }

    @Test
    void distanceText_roundsScaledValueHalfEven() {
        assertThat(GeoHash.distanceText(0)).isEqualTo("0.0000");
        assertThat(GeoHash.distanceText(1.23456)).isEqualTo("1.2346");
        assertThat(GeoHash.distanceText(12345678.9)).isEqualTo("12345678.9000");
        // 7.2's fixedpoint_d2string: 0.00005 * 10^4 is 0.5, rounded to even ("%.4f" says 0.0001).
        assertThat(GeoHash.distanceText(0.00005)).isEqualTo("0.0000");
    }

    @Test
    void estimateSteps_radiusAndLatitude_asRedis() {
        assertThat(GeoHash.estimateSteps(0, 0)).isEqualTo(26);
        assertThat(GeoHash.estimateSteps(1e9, 0)).isEqualTo(1);
        assertThat(GeoHash.estimateSteps(1000, 0)).isEqualTo(14);
        assertThat(GeoHash.estimateSteps(1000, 70)).isEqualTo(13);
        assertThat(GeoHash.estimateSteps(1000, -81)).isEqualTo(12);
    }
}
