package io.spinel.command.geo;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinel.testing.Differential;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.GeoCoordinate;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.GeoUnit;
import redis.clients.jedis.params.GeoSearchParam;
import redis.clients.jedis.resps.GeoRadiusResponse;

/**
 * The geo commands over a socket: raw replies compared with a real Redis (RESP2 and RESP3) for
 * random points and random searches by radius and box in every unit and option combination,
 * the store forms, argument errors, and a Jedis round trip.
 */
class GeoCommandsIT {
    @RegisterExtension
    static final Differential servers = new Differential();

    private static final String[] UNITS = {"m", "km", "ft", "mi", "KM", "Mi"};

    private static String[] cmd(String line) {
        return line.split(" ");
    }

    private static String coordinate(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }

    /** Adds {@code n} random points: half spread over the world, half in clusters around a few cities. */
    private static void addPoints(List<String[]> commands, String key, SplittableRandom random, int n) {
        double[][] centres = {{13.36, 38.11}, {-73.98, 40.75}, {151.2, -33.86}, {179.9, 0.1}, {-179.95, -60}, {0, 84.9}};
        List<String> args = new ArrayList<>(List.of("GEOADD", key));
        for (int i = 0; i < n; i++) {
            double lon;
            double lat;
            if (i % 2 == 0) {
                lon = random.nextDouble(-180, 180);
                lat = random.nextDouble(-85.05, 85.05);
            } else {
                double[] c = centres[random.nextInt(centres.length)];
                double spread = Math.pow(10, random.nextDouble(-3, 1));
                lon = Math.max(-180, Math.min(180, c[0] + random.nextDouble(-spread, spread)));
                lat = Math.max(-85.05, Math.min(85.05, c[1] + random.nextDouble(-spread, spread)));
            }
            args.add(coordinate(lon));
            args.add(coordinate(lat));
            args.add("p" + i);
        }
        commands.add(args.toArray(String[]::new));
    }

    /** Random search options: a sort order, COUNT (maybe ANY), WITH* flags, in random order. */
    private static List<String> randomOptions(SplittableRandom random, boolean withAllowed) {
        List<List<String>> groups = new ArrayList<>();
        int sort = random.nextInt(3);
        if (sort > 0) {
            groups.add(List.of(sort == 1 ? "ASC" : "DESC"));
        }
        if (random.nextInt(3) == 0) {
            String count = Integer.toString(random.nextInt(1, 20));
            groups.add(random.nextBoolean() ? List.of("COUNT", count, "ANY") : List.of("COUNT", count));
        }
        if (withAllowed) {
            for (String with : new String[] {"WITHCOORD", "WITHDIST", "WITHHASH"}) {
                if (random.nextBoolean()) {
                    groups.add(List.of(with));
                }
            }
        }
        Collections.shuffle(groups, new Random(random.nextLong()));
        List<String> options = new ArrayList<>();
        groups.forEach(options::addAll);
        return options;
    }

    private static String distance(SplittableRandom random) {
        return coordinate(Math.pow(10, random.nextDouble(0, 7.3)));
    }

    @Test
    void geosearch_randomPointsAndShapes_sameAsRedis() {
        SplittableRandom random = new SplittableRandom(7);
        List<String[]> commands = new ArrayList<>();
        commands.add(cmd("DEL geo:big geo:small"));
        addPoints(commands, "geo:big", random, 400);
        addPoints(commands, "geo:small", random, 60);
        commands.add(cmd("OBJECT ENCODING geo:big"));
        commands.add(cmd("OBJECT ENCODING geo:small"));
        commands.add(cmd("ZRANGE geo:big 0 30 WITHSCORES"));
        for (int i = 0; i < 300; i++) {
            String key = random.nextBoolean() ? "geo:big" : "geo:small";
            List<String> args = new ArrayList<>(List.of("GEOSEARCH", key));
            if (random.nextInt(3) == 0) {
                args.add("FROMMEMBER");
                args.add("p" + random.nextInt(60));
            } else {
                args.add("FROMLONLAT");
                args.add(coordinate(random.nextDouble(-180, 180)));
                args.add(coordinate(random.nextDouble(-85, 85)));
            }
            String unit = UNITS[random.nextInt(UNITS.length)];
            if (random.nextBoolean()) {
                args.add("BYRADIUS");
                args.add(distance(random));
            } else {
                args.add("BYBOX");
                args.add(distance(random));
                args.add(distance(random));
            }
            args.add(unit);
            args.addAll(randomOptions(random, true));
            commands.add(args.toArray(String[]::new));
        }
        servers.assertSameReplies(commands);
    }

    @Test
    void georadius_randomSearches_sameAsRedis() {
        SplittableRandom random = new SplittableRandom(11);
        List<String[]> commands = new ArrayList<>();
        commands.add(cmd("DEL geo:r"));
        addPoints(commands, "geo:r", random, 200);
        for (int i = 0; i < 150; i++) {
            List<String> args = new ArrayList<>();
            int form = random.nextInt(4);
            if (form < 2) {
                args.add(form == 0 ? "GEORADIUS" : "GEORADIUS_RO");
                args.add("geo:r");
                args.add(coordinate(random.nextDouble(-180, 180)));
                args.add(coordinate(random.nextDouble(-85, 85)));
            } else {
                args.add(form == 2 ? "GEORADIUSBYMEMBER" : "GEORADIUSBYMEMBER_RO");
                args.add("geo:r");
                args.add("p" + random.nextInt(200));
            }
            args.add(distance(random));
            args.add(UNITS[random.nextInt(UNITS.length)]);
            args.addAll(randomOptions(random, true));
            commands.add(args.toArray(String[]::new));
        }
        servers.assertSameReplies(commands);
    }

    @Test
    void geosearchstore_storeAndStoredist_sameAsRedis() {
        SplittableRandom random = new SplittableRandom(3);
        List<String[]> commands = new ArrayList<>();
        commands.add(cmd("DEL geo:s geo:d geo:e"));
        addPoints(commands, "geo:s", random, 300);
        for (int i = 0; i < 40; i++) {
            List<String> args = new ArrayList<>(List.of("GEOSEARCHSTORE", "geo:d", "geo:s", "FROMMEMBER",
                    "p" + random.nextInt(300), "BYRADIUS", distance(random), UNITS[random.nextInt(UNITS.length)]));
            args.addAll(randomOptions(random, false));
            boolean storeDist = random.nextBoolean();
            if (storeDist) {
                args.add("STOREDIST");
            }
            commands.add(args.toArray(String[]::new));
            commands.add(cmd("OBJECT ENCODING geo:d"));
            // Redis 7.2 prints some fractional scores in exponent form where the 7.0 oracle does
            // not (13092.47... as 1.309247...e+4): distances are compared through their order.
            commands.add(cmd(storeDist ? "ZRANGE geo:d 0 -1" : "ZRANGE geo:d 0 -1 WITHSCORES"));
        }
        commands.add(cmd("GEORADIUS geo:s 13.36 38.11 500 km STORE geo:e"));
        commands.add(cmd("ZRANGE geo:e 0 -1 WITHSCORES"));
        commands.add(cmd("GEORADIUS geo:s 13.36 38.11 500 km COUNT 3 DESC STOREDIST geo:e"));
        commands.add(cmd("ZRANGE geo:e 0 -1"));
        commands.add(cmd("GEORADIUSBYMEMBER geo:s p1 2000 mi STORE geo:e ASC"));
        commands.add(cmd("ZRANGE geo:e 0 -1 WITHSCORES"));
        commands.add(cmd("GEOSEARCHSTORE geo:e geo:s FROMLONLAT 0 0 BYRADIUS 1 m"));
        commands.add(cmd("EXISTS geo:e"));
        commands.add(cmd("SET geo:e x"));
        commands.add(cmd("GEOSEARCHSTORE geo:e geo:missing FROMLONLAT 0 0 BYRADIUS 1 m"));
        commands.add(cmd("EXISTS geo:e"));
        commands.add(cmd("GEORADIUS geo:missing 0 0 1 m STORE geo:d"));
        commands.add(cmd("EXISTS geo:d"));
        servers.assertSameReplies(commands);
    }

    @Test
    void geoadd_posDistHash_sameAsRedis() {
        SplittableRandom random = new SplittableRandom(5);
        List<String[]> commands = new ArrayList<>();
        commands.add(cmd("DEL geo:a"));
        addPoints(commands, "geo:a", random, 100);
        commands.add(cmd("GEOADD geo:a 13.361389 38.115556 Palermo 15.087269 37.502669 Catania"));
        commands.add(cmd("GEOADD geo:a NX 1 1 Palermo 2 2 new"));
        commands.add(cmd("GEOADD geo:a XX CH 1 1 Palermo 3 3 other"));
        commands.add(cmd("GEOADD geo:a CH NX 5 5 x"));
        commands.add(cmd("GEOADD geo:a xx ch 180 85.05112878 edge -180 -85.05112878 x"));
        commands.add(cmd("GEOADD geo:a NX XX 1 1 y"));
        commands.add(cmd("GEOADD geo:a 1 1"));
        commands.add(cmd("GEOADD geo:a ch ch ch"));
        commands.add(cmd("GEOADD geo:a 200 100 bad"));
        commands.add(cmd("GEOADD geo:a -0 -86 bad"));
        commands.add(cmd("GEOADD geo:a inf 1 bad"));
        commands.add(cmd("GEOADD geo:a abc 1 bad"));
        commands.add(cmd("GEOADD geo:a 180.0000001 0 bad"));
        commands.add(cmd("ZADD geo:a -1.5 neg 1e30 huge -1e30 tiny 4503599627370496 over"));
        for (int i = 0; i < 100; i += 7) {
            commands.add(cmd("GEOPOS geo:a p" + i + " nope p" + (i + 1)));
            commands.add(cmd("GEOHASH geo:a p" + i + " nope p" + (i + 1)));
            for (String unit : UNITS) {
                commands.add(cmd("GEODIST geo:a p" + i + " p" + (i + 3) + " " + unit));
            }
        }
        commands.add(cmd("GEOPOS geo:a neg huge tiny over edge x Palermo"));
        commands.add(cmd("GEOHASH geo:a neg huge tiny over edge x Palermo"));
        commands.add(cmd("GEODIST geo:a Palermo Catania"));
        commands.add(cmd("GEODIST geo:a Palermo nope"));
        commands.add(cmd("GEODIST geo:missing a b"));
        commands.add(cmd("GEODIST geo:a Palermo Catania km extra"));
        commands.add(cmd("GEODIST geo:a Palermo Catania parsec"));
        commands.add(cmd("GEODIST geo:a Palermo Palermo"));
        commands.add(cmd("GEOPOS geo:missing a b"));
        commands.add(cmd("GEOHASH geo:missing a b"));
        commands.add(cmd("GEOPOS geo:a"));
        commands.add(cmd("GEOHASH geo:a"));
        commands.add(cmd("SET geo:str x"));
        commands.add(cmd("GEOPOS geo:str a"));
        commands.add(cmd("GEOHASH geo:str a"));
        commands.add(cmd("GEODIST geo:str a b"));
        commands.add(cmd("GEOADD geo:str 1 1 a"));
        commands.add(cmd("GEOSEARCH geo:str FROMLONLAT 0 0 BYRADIUS 1 m"));
        servers.assertSameReplies(commands);
    }

    @Test
    void geosearch_errors_sameAsRedis() {
        List<String[]> commands = new ArrayList<>();
        commands.add(cmd("DEL geo:e"));
        commands.add(cmd("GEOADD geo:e 13.361389 38.115556 Palermo 15.087269 37.502669 Catania"));
        String[] lines = {
            "GEOSEARCH geo:e FROMLONLAT 15 37 BYRADIUS 200 km",
            "GEOSEARCH geo:e FROMLONLAT 15 37",
            "GEOSEARCH geo:e BYRADIUS 200 km ASC",
            "GEOSEARCH geo:e FROMMEMBER nope BYRADIUS 200 km",
            "GEOSEARCH geo:missing FROMMEMBER nope BYRADIUS 200 km",
            "GEOSEARCH geo:missing FROMMEMBER nope BYRADIUS 200 km WITHDIST",
            "GEOSEARCH geo:e FROMMEMBER Palermo FROMLONLAT 1 1 BYRADIUS 200 km",
            "GEOSEARCH geo:e FROMLONLAT 1 1 FROMMEMBER Palermo BYRADIUS 200 km",
            "GEOSEARCH geo:e FROMLONLAT 1 1 BYRADIUS 200 km BYBOX 1 1 km",
            "GEOSEARCH geo:e FROMLONLAT 1 1 BYBOX 1 1 km BYRADIUS 200 km",
            "GEOSEARCH geo:e FROMLONLAT 1 1 BYRADIUS -1 km",
            "GEOSEARCH geo:e FROMLONLAT 1 1 BYRADIUS abc km",
            "GEOSEARCH geo:e FROMLONLAT 1 1 BYRADIUS 1 parsec",
            "GEOSEARCH geo:e FROMLONLAT 1 1 BYBOX -1 1 km",
            "GEOSEARCH geo:e FROMLONLAT 1 1 BYBOX x 1 km",
            "GEOSEARCH geo:e FROMLONLAT 1 1 BYBOX 1 y km",
            "GEOSEARCH geo:e FROMLONLAT 1 1 BYBOX 1 1",
            "GEOSEARCH geo:e FROMLONLAT 200 100 BYRADIUS 1 km",
            "GEOSEARCH geo:e FROMLONLAT 15 37 BYRADIUS 200 km COUNT 0",
            "GEOSEARCH geo:e FROMLONLAT 15 37 BYRADIUS 200 km COUNT -3",
            "GEOSEARCH geo:e FROMLONLAT 15 37 BYRADIUS 200 km COUNT x",
            "GEOSEARCH geo:e FROMLONLAT 15 37 BYRADIUS 200 km COUNT",
            "GEOSEARCH geo:e FROMLONLAT 15 37 BYRADIUS 200 km ANY",
            "GEOSEARCH geo:e FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST",
            "GEOSEARCH geo:e FROMLONLAT 15 37 BYRADIUS 200 km STORE x",
            "GEOSEARCH geo:e FROMLONLAT 15 37 BYBOX 400 400 km COUNT 1 ANY WITHDIST",
            "GEOSEARCH geo:e FROMLONLAT 15 37 BYRADIUS 0 km",
            "GEOSEARCH geo:e FROMMEMBER Palermo BYRADIUS 0 km WITHCOORD",
            "GEOSEARCHSTORE geo:d geo:e FROMLONLAT 15 37 BYRADIUS 200 km WITHDIST",
            "GEOSEARCHSTORE geo:d geo:e FROMLONLAT 15 37 BYRADIUS 200 km WITHHASH STOREDIST",
            "GEOSEARCHSTORE geo:d geo:e FROMLONLAT 15 37 BYRADIUS 200 km STORE x",
            "GEOSEARCHSTORE geo:d geo:e FROMLONLAT 15 37",
            "GEORADIUS geo:e 15 37 200 km STORE geo:d WITHCOORD",
            "GEORADIUS_RO geo:e 15 37 200 km STORE geo:d",
            "GEORADIUS geo:e 15 37 200 km FROMLONLAT 1 1",
            "GEORADIUS geo:e 200 37 200 km",
            "GEORADIUS geo:e 15 37 -200 km",
            "GEORADIUS geo:e 15 37 200 lightyears",
            "GEORADIUS geo:e 15 37 200 km COUNT 1 ANY",
            "GEORADIUSBYMEMBER geo:e nope 200 km",
            "GEORADIUSBYMEMBER geo:missing nope 200 km",
            "GEORADIUSBYMEMBER geo:missing nope 200 km STORE geo:d",
            "GEORADIUSBYMEMBER geo:missing nope 200 km STORE geo:d WITHDIST",
            "GEORADIUSBYMEMBER geo:e Palermo 200 km STOREDIST geo:d",
            "GEORADIUSBYMEMBER_RO geo:e Palermo 200 km STOREDIST geo:d",
            "geosearch geo:e frommember Palermo bybox 1000 10 km withdist withcoord withhash desc",
        };
        for (String line : lines) {
            commands.add(cmd(line));
        }
        commands.add(cmd("ZRANGE geo:d 0 -1 WITHSCORES"));
        servers.assertSameReplies(commands);
    }

    @Test
    void geosearch_polesAntimeridianAndHugeShapes_sameAsRedis() {
        SplittableRandom random = new SplittableRandom(13);
        List<String[]> commands = new ArrayList<>();
        commands.add(cmd("DEL geo:x"));
        addPoints(commands, "geo:x", random, 300);
        double[][] centres = {{180, 0}, {-180, 0}, {179.99, 85.05}, {-179.99, -85.05}, {0, 85.05112878},
            {0, -85.05112878}, {0, 0}, {90, 66.5}, {-90, -80.5}};
        String[] sizes = {"0", "1", "1000", "100000", "5000000", "20000000", "40000000", "100000000"};
        for (double[] centre : centres) {
            for (String size : sizes) {
                String from = "FROMLONLAT " + coordinate(centre[0]) + " " + coordinate(centre[1]);
                commands.add(cmd("GEOSEARCH geo:x " + from + " BYRADIUS " + size + " m ASC WITHDIST"));
                commands.add(cmd("GEOSEARCH geo:x " + from + " BYBOX " + size + " " + size + " m DESC WITHCOORD"));
                commands.add(cmd("GEOSEARCH geo:x " + from + " BYBOX " + size + " 1000 m WITHHASH"));
                commands.add(cmd("GEOSEARCH geo:x " + from + " BYRADIUS " + size + " m COUNT 3 ANY"));
                commands.add(cmd("GEORADIUS geo:x " + coordinate(centre[0]) + " " + coordinate(centre[1]) + " "
                        + size + " m"));
            }
        }
        for (int i = 0; i < 300; i += 17) {
            commands.add(cmd("GEOSEARCH geo:x FROMMEMBER p" + i + " BYRADIUS 0 m WITHDIST"));
            commands.add(cmd("GEORADIUSBYMEMBER geo:x p" + i + " 50 km WITHDIST WITHCOORD"));
        }
        servers.assertSameReplies(commands);
    }

    @Test
    void geo_jedis_roundTrip() {
        try (Jedis jedis = new Jedis("127.0.0.1", servers.spinel().port())) {
            jedis.del("geo:j");
            assertThat(jedis.geoadd("geo:j", 13.361389, 38.115556, "Palermo")).isEqualTo(1);
            assertThat(jedis.geoadd("geo:j", 15.087269, 37.502669, "Catania")).isEqualTo(1);
            assertThat(jedis.geodist("geo:j", "Palermo", "Catania", GeoUnit.KM)).isEqualTo(166.2742);
            assertThat(jedis.geohash("geo:j", "Palermo")).containsExactly("sqc8b49rny0");
            GeoCoordinate position = jedis.geopos("geo:j", "Palermo").get(0);
            assertThat(position.getLongitude()).isCloseTo(13.361389, Offset.offset(1e-5));
            List<GeoRadiusResponse> found = jedis.geosearch("geo:j",
                    new GeoSearchParam().fromLonLat(15, 37).byRadius(200, GeoUnit.KM).asc().withDist());
            assertThat(found).extracting(GeoRadiusResponse::getMemberByString).containsExactly("Catania", "Palermo");
            assertThat(found.get(0).getDistance()).isEqualTo(56.4413);
            assertThat(jedis.georadius("geo:j", 15, 37, 100, GeoUnit.KM))
                    .extracting(GeoRadiusResponse::getMemberByString).containsExactly("Catania");
        }
    }
}
