package io.spinel.command.geo;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;
import io.spinel.config.KeyspaceEvents;
import io.spinel.command.zset.SortedSetCommands;
import io.spinel.resp.ReplyWriter;
import io.spinel.types.Score;
import io.spinel.types.SortedSetValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The geo commands (Redis's geo.c): points are sorted set members scored with the 52-bit
 * geohash of their coordinates ({@link GeoHash}), so GEOADD is ZADD with computed scores and the
 * searches read score ranges.
 *
 * <h2>Searches</h2>
 * As in Redis: the search shape's bounding box picks a geohash step (cells about as large as the
 * radius), the centre's cell and its eight neighbours are scanned (neighbours that the bounding
 * box does not reach are dropped, a neighbour equal to the one scanned before it is skipped), and
 * each member in those cells whose distance (or box offsets) qualifies is collected, in cell
 * order and then score order. ASC/DESC sort by distance (stable, so equal distances keep that
 * order); COUNT without ANY sorts ascending; COUNT ANY stops collecting once it has enough.
 */
public final class GeoCommands {
    private static final int RADIUS_COORDS = 1;
    private static final int RADIUS_MEMBER = 1 << 1;
    private static final int RADIUS_NOSTORE = 1 << 2;
    private static final int SEARCH = 1 << 3;
    private static final int SEARCH_STORE = 1 << 4;

    private static final int SORT_NONE = 0;
    private static final int SORT_ASC = 1;
    private static final int SORT_DESC = 2;

    private final SortedSetCommands sortedSets;

    public GeoCommands(ServerContext server) {
        this.sortedSets = new SortedSetCommands(server);
    }

    /** Binds the geo commands' handlers in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("geoadd", this::geoadd);
        table.bind("geodist", this::geodist);
        table.bind("geohash", this::geohash);
        table.bind("geopos", this::geopos);
        table.bind("geosearch", this::geosearch);
        table.bind("geosearchstore", this::geosearchstore);
        table.bind("georadius", this::georadius);
        table.bind("georadius_ro", this::georadiusRo);
        table.bind("georadiusbymember", this::georadiusbymember);
        table.bind("georadiusbymember_ro", this::georadiusbymemberRo);
    }

    /** A search area: a circle of {@code radius} or a {@code width} x {@code height} box, in units of {@code conversion} meters. */
    private static final class Shape {
        boolean box;
        double longitude;
        double latitude;
        double radius;
        double width;
        double height;
        double conversion = 1;
    }

    /** A search result: a member, its score, decoded position and distance from the centre. */
    private record Point(byte[] member, double score, double longitude, double latitude, double distance) {
    }

    /** The meters per unit named by {@code arg}, or -1 after replying the error. */
    private static double unit(byte[] arg, ReplyWriter reply) {
        if (Arguments.is(arg, "m")) {
            return 1;
        } else if (Arguments.is(arg, "km")) {
            return 1000;
        } else if (Arguments.is(arg, "ft")) {
            return 0.3048;
        } else if (Arguments.is(arg, "mi")) {
            return 1609.34;
        }
        reply.error(Errors.GEO_UNIT);
        return -1;
    }

    /** A float argument read as getDoubleFromObject does, or NaN after replying {@code error}. */
    private static double number(byte[] arg, ReplyWriter reply, String error) {
        double value = Score.parse(arg);
        if (Double.isNaN(value)) {
            reply.error(error);
        }
        return value;
    }

    /** Reads longitude and latitude at {@code argv[at]}; null after replying the error. */
    private static double[] lonLat(byte[][] argv, int at, ReplyWriter reply) {
        double longitude = number(argv[at], reply, Errors.NOT_FLOAT);
        if (Double.isNaN(longitude)) {
            return null;
        }
        double latitude = number(argv[at + 1], reply, Errors.NOT_FLOAT);
        if (Double.isNaN(latitude)) {
            return null;
        }
        if (longitude < GeoHash.LONG_MIN || longitude > GeoHash.LONG_MAX
                || latitude < GeoHash.LAT_MIN || latitude > GeoHash.LAT_MAX) {
            reply.error(Errors.GEO_INVALID_PAIR + GeoHash.fixed(longitude, 6) + "," + GeoHash.fixed(latitude, 6));
            return null;
        }
        return new double[] {longitude, latitude};
    }

    /** Reads a radius and unit at {@code argv[at]} into {@code shape}; false after replying the error. */
    private static boolean radius(byte[][] argv, int at, Shape shape, ReplyWriter reply) {
        double radius = number(argv[at], reply, Errors.GEO_NEED_RADIUS);
        if (Double.isNaN(radius)) {
            return false;
        }
        if (radius < 0) {
            reply.error(Errors.GEO_NEGATIVE_RADIUS);
            return false;
        }
        double conversion = unit(argv[at + 1], reply);
        if (conversion < 0) {
            return false;
        }
        shape.radius = radius;
        shape.conversion = conversion;
        shape.box = false;
        return true;
    }

    /** Reads a width, height and unit at {@code argv[at]} into {@code shape}; false after replying the error. */
    private static boolean box(byte[][] argv, int at, Shape shape, ReplyWriter reply) {
        double width = number(argv[at], reply, Errors.GEO_NEED_WIDTH);
        if (Double.isNaN(width)) {
            return false;
        }
        double height = number(argv[at + 1], reply, Errors.GEO_NEED_HEIGHT);
        if (Double.isNaN(height)) {
            return false;
        }
        if (height < 0 || width < 0) {
            reply.error(Errors.GEO_NEGATIVE_BOX);
            return false;
        }
        double conversion = unit(argv[at + 2], reply);
        if (conversion < 0) {
            return false;
        }
        shape.width = width;
        shape.height = height;
        shape.conversion = conversion;
        shape.box = true;
        return true;
    }

    /** A distance in the reply's unit, with 4 decimals as Redis 7.2 prints it. */
    private static void distanceReply(ReplyWriter reply, double distance) {
        reply.bulk(GeoHash.distanceText(distance));
    }

    // ---- GEOADD, GEODIST, GEOHASH, GEOPOS

    /** GEOADD key [NX | XX] [CH] longitude latitude member [longitude latitude member ...] */
    void geoadd(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        boolean nx = false;
        boolean xx = false;
        int first = 2;
        while (first < argv.length) {
            if (Arguments.is(argv[first], "nx")) {
                nx = true;
            } else if (Arguments.is(argv[first], "xx")) {
                xx = true;
            } else if (!Arguments.is(argv[first], "ch")) {
                break;
            }
            first++;
        }
        if ((argv.length - first) % 3 != 0 || (xx && nx)) {
            reply.error(Errors.SYNTAX);
            return;
        }
        int elements = (argv.length - first) / 3;
        // Redis rewrites the command as ZADD key [options] score member ... and runs that.
        byte[][] zadd = new byte[first + elements * 2][];
        zadd[0] = "zadd".getBytes();
        System.arraycopy(argv, 1, zadd, 1, first - 1);
        for (int i = 0; i < elements; i++) {
            double[] xy = lonLat(argv, first + i * 3, reply);
            if (xy == null) {
                return;
            }
            zadd[first + i * 2] = Long.toString(GeoHash.score(xy[0], xy[1])).getBytes();
            zadd[first + i * 2 + 1] = argv[first + i * 3 + 2];
        }
        sortedSets.zadd(client, zadd);
    }

    /** GEODIST key member1 member2 [M | KM | FT | MI] */
    void geodist(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        double toMeters = 1;
        if (argv.length == 5) {
            toMeters = unit(argv[4], reply);
            if (toMeters < 0) {
                return;
            }
        } else if (argv.length > 5) {
            reply.error(Errors.SYNTAX);
            return;
        }
        boolean[] wrongType = {false};
        SortedSetValue set = SortedSetCommands.read(client, argv[1], wrongType);
        if (wrongType[0]) {
            return;
        }
        if (set == null) {
            reply.nullBulk();
            return;
        }
        double score1 = set.score(argv[2]);
        double score2 = set.score(argv[3]);
        if (Double.isNaN(score1) || Double.isNaN(score2)) {
            reply.nullBulk();
            return;
        }
        double[] a = GeoHash.decode(score1);
        double[] b = GeoHash.decode(score2);
        distanceReply(reply, GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeters);
    }

    /** GEOHASH key [member [member ...]] */
    void geohash(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        boolean[] wrongType = {false};
        SortedSetValue set = SortedSetCommands.read(client, argv[1], wrongType);
        if (wrongType[0]) {
            return;
        }
        reply.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            double score = set == null ? Double.NaN : set.score(argv[i]);
            if (Double.isNaN(score)) {
                reply.nullBulk();
            } else {
                reply.bulk(GeoHash.standardHash(score));
            }
        }
    }

    /** GEOPOS key [member [member ...]] */
    void geopos(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        boolean[] wrongType = {false};
        SortedSetValue set = SortedSetCommands.read(client, argv[1], wrongType);
        if (wrongType[0]) {
            return;
        }
        reply.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            double score = set == null ? Double.NaN : set.score(argv[i]);
            if (Double.isNaN(score)) {
                reply.nullArray();
                continue;
            }
            double[] xy = GeoHash.decode(score);
            reply.array(2);
            reply.doubleReply(GeoHash.human(xy[0]));
            reply.doubleReply(GeoHash.human(xy[1]));
        }
    }

    // ---- searches

    /**
     * GEOSEARCH key &lt;FROMMEMBER member | FROMLONLAT longitude latitude&gt; &lt;BYRADIUS radius
     * &lt;M | KM | FT | MI&gt; | BYBOX width height &lt;M | KM | FT | MI&gt;&gt; [ASC | DESC] [COUNT count
     * [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]
     */
    void geosearch(Client client, byte[][] argv) {
        searchGeneric(client, argv, 1, SEARCH);
    }

    /**
     * GEOSEARCHSTORE destination source &lt;FROMMEMBER member | FROMLONLAT longitude latitude&gt;
     * &lt;BYRADIUS radius &lt;M | KM | FT | MI&gt; | BYBOX width height &lt;M | KM | FT | MI&gt;&gt; [ASC |
     * DESC] [COUNT count [ANY]] [STOREDIST]
     */
    void geosearchstore(Client client, byte[][] argv) {
        searchGeneric(client, argv, 2, SEARCH | SEARCH_STORE);
    }

    /**
     * GEORADIUS key longitude latitude radius &lt;M | KM | FT | MI&gt; [WITHCOORD] [WITHDIST]
     * [WITHHASH] [COUNT count [ANY]] [ASC | DESC] [STORE key | STOREDIST key]
     */
    void georadius(Client client, byte[][] argv) {
        searchGeneric(client, argv, 1, RADIUS_COORDS);
    }

    /**
     * GEORADIUS_RO key longitude latitude radius &lt;M | KM | FT | MI&gt; [WITHCOORD] [WITHDIST]
     * [WITHHASH] [COUNT count [ANY]] [ASC | DESC]
     */
    void georadiusRo(Client client, byte[][] argv) {
        searchGeneric(client, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE);
    }

    /**
     * GEORADIUSBYMEMBER key member radius &lt;M | KM | FT | MI&gt; [WITHCOORD] [WITHDIST] [WITHHASH]
     * [COUNT count [ANY]] [ASC | DESC] [STORE key | STOREDIST key]
     */
    void georadiusbymember(Client client, byte[][] argv) {
        searchGeneric(client, argv, 1, RADIUS_MEMBER);
    }

    /**
     * GEORADIUSBYMEMBER_RO key member radius &lt;M | KM | FT | MI&gt; [WITHCOORD] [WITHDIST]
     * [WITHHASH] [COUNT count [ANY]] [ASC | DESC]
     */
    void georadiusbymemberRo(Client client, byte[][] argv) {
        searchGeneric(client, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE);
    }

    /** The position of {@code member} in {@code set}, or null when it is not a member. */
    private static double[] position(SortedSetValue set, byte[] member) {
        double score = set.score(member);
        return Double.isNaN(score) ? null : GeoHash.decode(score);
    }

    /**
     * Every search command (Redis's georadiusGeneric): parses the options in Redis's order of
     * checks, collects the points, sorts them, then replies or stores.
     */
    private void searchGeneric(Client client, byte[][] argv, int keyIndex, int flags) {
        ReplyWriter reply = client.reply();
        boolean[] wrongType = {false};
        SortedSetValue set = SortedSetCommands.read(client, argv[keyIndex], wrongType);
        if (wrongType[0]) {
            return;
        }
        Shape shape = new Shape();
        byte[] storeKey = null;
        boolean storeDist = false;
        int base;
        if ((flags & RADIUS_COORDS) != 0) {
            base = 6;
            double[] xy = lonLat(argv, 2, reply);
            if (xy == null) {
                return;
            }
            shape.longitude = xy[0];
            shape.latitude = xy[1];
            if (!radius(argv, base - 2, shape, reply)) {
                return;
            }
        } else if ((flags & RADIUS_MEMBER) != 0) {
            base = 5;
            // Without the source key the options are still parsed, for the reply they call for.
            if (set != null) {
                double[] xy = position(set, argv[2]);
                if (xy == null) {
                    reply.error(Errors.GEO_MEMBER_NOT_DECODED);
                    return;
                }
                shape.longitude = xy[0];
                shape.latitude = xy[1];
                if (!radius(argv, base - 2, shape, reply)) {
                    return;
                }
            }
        } else {
            base = 2;
            if ((flags & SEARCH_STORE) != 0) {
                base = 3;
                storeKey = argv[1];
            }
        }
        boolean withDist = false;
        boolean withHash = false;
        boolean withCoords = false;
        boolean fromMember = false;
        boolean fromLonLat = false;
        boolean byRadius = false;
        boolean byBox = false;
        boolean any = false;
        int sort = SORT_NONE;
        long count = 0;
        int remaining = argv.length - base;
        for (int i = 0; i < remaining; i++) {
            byte[] arg = argv[base + i];
            if (Arguments.is(arg, "withdist")) {
                withDist = true;
            } else if (Arguments.is(arg, "withhash")) {
                withHash = true;
            } else if (Arguments.is(arg, "withcoord")) {
                withCoords = true;
            } else if (Arguments.is(arg, "any")) {
                any = true;
            } else if (Arguments.is(arg, "asc")) {
                sort = SORT_ASC;
            } else if (Arguments.is(arg, "desc")) {
                sort = SORT_DESC;
            } else if (Arguments.is(arg, "count") && i + 1 < remaining) {
                Long value = Arguments.integer(argv[base + i + 1]);
                if (value == null) {
                    reply.error(Errors.NOT_INTEGER);
                    return;
                }
                if (value <= 0) {
                    reply.error(Errors.GEO_COUNT);
                    return;
                }
                count = value;
                i++;
            } else if ((Arguments.is(arg, "store") || Arguments.is(arg, "storedist")) && i + 1 < remaining
                    && (flags & RADIUS_NOSTORE) == 0 && (flags & SEARCH) == 0) {
                storeKey = argv[base + i + 1];
                storeDist = Arguments.is(arg, "storedist");
                i++;
            } else if (Arguments.is(arg, "storedist") && (flags & SEARCH_STORE) != 0) {
                storeDist = true;
            } else if (Arguments.is(arg, "frommember") && i + 1 < remaining && (flags & SEARCH) != 0
                    && !fromLonLat) {
                if (set != null) {
                    double[] xy = position(set, argv[base + i + 1]);
                    if (xy == null) {
                        reply.error(Errors.GEO_MEMBER_NOT_DECODED);
                        return;
                    }
                    shape.longitude = xy[0];
                    shape.latitude = xy[1];
                }
                fromMember = true;
                i++;
            } else if (Arguments.is(arg, "fromlonlat") && i + 2 < remaining && (flags & SEARCH) != 0
                    && !fromMember) {
                double[] xy = lonLat(argv, base + i + 1, reply);
                if (xy == null) {
                    return;
                }
                shape.longitude = xy[0];
                shape.latitude = xy[1];
                fromLonLat = true;
                i += 2;
            } else if (Arguments.is(arg, "byradius") && i + 2 < remaining && (flags & SEARCH) != 0 && !byBox) {
                if (!radius(argv, base + i + 1, shape, reply)) {
                    return;
                }
                byRadius = true;
                i += 2;
            } else if (Arguments.is(arg, "bybox") && i + 3 < remaining && (flags & SEARCH) != 0 && !byRadius) {
                if (!box(argv, base + i + 1, shape, reply)) {
                    return;
                }
                byBox = true;
                i += 3;
            } else {
                reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (storeKey != null && (withDist || withHash || withCoords)) {
            reply.error((flags & SEARCH_STORE) != 0 ? Errors.GEOSEARCHSTORE_WITH : Errors.GEORADIUS_STORE_WITH);
            return;
        }
        if ((flags & SEARCH) != 0 && !(fromMember || fromLonLat)) {
            reply.error(Errors.GEO_NEED_FROM + Arguments.text(argv[0]));
            return;
        }
        if ((flags & SEARCH) != 0 && !(byRadius || byBox)) {
            reply.error(Errors.GEO_NEED_BY + Arguments.text(argv[0]));
            return;
        }
        if (any && count == 0) {
            reply.error(Errors.GEO_ANY_NEEDS_COUNT);
            return;
        }
        if (set == null) {
            if (storeKey != null) {
                if (client.db().delete(storeKey)) {
                    client.db().changed(storeKey, KeyspaceEvents.GENERIC, "del");
                }
                reply.integer(0);
            } else {
                reply.array(0);
            }
            return;
        }
        if (count != 0 && sort == SORT_NONE && !any) {
            sort = SORT_ASC;
        }
        List<Point> points = new ArrayList<>();
        collect(set, shape, points, any ? count : 0);
        if (points.isEmpty() && storeKey == null) {
            reply.array(0);
            return;
        }
        if (sort == SORT_ASC) {
            points.sort(Comparator.comparingDouble(Point::distance));
        } else if (sort == SORT_DESC) {
            points.sort(Comparator.comparingDouble(Point::distance).reversed());
        }
        int returned = count == 0 || points.size() < count ? points.size() : (int) count;
        if (storeKey != null) {
            byte[][] members = new byte[returned][];
            double[] scores = new double[returned];
            for (int i = 0; i < returned; i++) {
                Point point = points.get(i);
                members[i] = point.member();
                scores[i] = storeDist ? point.distance() / shape.conversion : point.score();
            }
            sortedSets.store(client, storeKey, members, scores, returned,
                    (flags & SEARCH) != 0 ? "geosearchstore" : "georadiusstore");
            return;
        }
        int options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
        reply.array(returned);
        for (int i = 0; i < returned; i++) {
            Point point = points.get(i);
            if (options > 0) {
                reply.array(options + 1);
            }
            reply.bulk(point.member());
            if (withDist) {
                distanceReply(reply, point.distance() / shape.conversion);
            }
            if (withHash) {
                reply.integer((long) point.score());
            }
            if (withCoords) {
                reply.array(2);
                reply.doubleReply(GeoHash.human(point.longitude()));
                reply.doubleReply(GeoHash.human(point.latitude()));
            }
        }
    }

    /**
     * The cells to scan (geohashCalculateAreasByShapeWGS84): the centre's cell at the estimated
     * step and its neighbours in Redis's order (centre, N, S, E, W, NE, NW, SE, SW), each as
     * {bits, step}; a dropped neighbour is {0, 0}.
     */
    private static long[][] cells(Shape shape) {
        double height = shape.conversion * (shape.box ? shape.height / 2 : shape.radius);
        double width = shape.conversion * (shape.box ? shape.width / 2 : shape.radius);
        double latitude = shape.latitude;
        double longitude = shape.longitude;
        double latDelta = GeoHash.radDeg(height / GeoHash.EARTH_RADIUS_IN_METERS);
        double longDeltaTop = GeoHash.radDeg(width / GeoHash.EARTH_RADIUS_IN_METERS
                / Math.cos(GeoHash.degRad(latitude + latDelta)));
        double longDeltaBottom = GeoHash.radDeg(width / GeoHash.EARTH_RADIUS_IN_METERS
                / Math.cos(GeoHash.degRad(latitude - latDelta)));
        // North and south of the equator the box's widest edge is on opposite sides.
        boolean southern = latitude < 0;
        double minLon = southern ? longitude - longDeltaBottom : longitude - longDeltaTop;
        double maxLon = southern ? longitude + longDeltaBottom : longitude + longDeltaTop;
        double minLat = latitude - latDelta;
        double maxLat = latitude + latDelta;

        double radiusMeters = shape.box
                ? Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2))
                : shape.radius;
        radiusMeters *= shape.conversion;
        int steps = GeoHash.estimateSteps(radiusMeters, latitude);
        long hash = GeoHash.encode(longitude, latitude, GeoHash.LAT_MIN, GeoHash.LAT_MAX, steps);
        double[] north = GeoHash.area(GeoHash.move(hash, steps, 0, 1), steps);
        double[] south = GeoHash.area(GeoHash.move(hash, steps, 0, -1), steps);
        double[] east = GeoHash.area(GeoHash.move(hash, steps, 1, 0), steps);
        double[] west = GeoHash.area(GeoHash.move(hash, steps, -1, 0), steps);
        // A neighbour too close to the search area's edge cannot cover it: use larger cells.
        boolean decrease = north[3] < maxLat || south[2] > minLat || east[1] < maxLon || west[0] > minLon;
        if (steps > 1 && decrease) {
            steps--;
            hash = GeoHash.encode(longitude, latitude, GeoHash.LAT_MIN, GeoHash.LAT_MAX, steps);
        }
        double[] area = GeoHash.area(hash, steps);
        int[][] moves = {{0, 0}, {0, 1}, {0, -1}, {1, 0}, {-1, 0}, {1, 1}, {-1, 1}, {1, -1}, {-1, -1}};
        long[][] cells = new long[9][];
        for (int i = 0; i < 9; i++) {
            int dx = moves[i][0];
            int dy = moves[i][1];
            boolean useless = steps >= 2 && ((dy < 0 && area[2] < minLat) || (dy > 0 && area[3] > maxLat)
                    || (dx < 0 && area[0] < minLon) || (dx > 0 && area[1] > maxLon));
            cells[i] = useless ? new long[] {0, 0} : new long[] {GeoHash.move(hash, steps, dx, dy), steps};
        }
        return cells;
    }

    /** membersOfAllNeighbors: collects the points of the cells within the shape, up to {@code limit} (0: all). */
    private static void collect(SortedSetValue set, Shape shape, List<Point> out, long limit) {
        long[][] cells = cells(shape);
        int lastProcessed = 0;
        for (int i = 0; i < cells.length; i++) {
            long bits = cells[i][0];
            int step = (int) cells[i][1];
            if (bits == 0 && step == 0) {
                continue;
            }
            // Huge radii make neighbours coincide; like Redis, only a repeat of a scanned
            // neighbour (not of the centre) is skipped.
            if (lastProcessed != 0 && bits == cells[lastProcessed][0] && step == cells[lastProcessed][1]) {
                continue;
            }
            if (!out.isEmpty() && limit != 0 && out.size() >= limit) {
                break;
            }
            double min = (double) (bits << (52 - step * 2));
            double max = (double) ((bits + 1) << (52 - step * 2));
            collectRange(set, min, max, shape, out, limit);
            lastProcessed = i;
        }
    }

    /** Collects the members scored in [min, max) that lie within the shape, up to {@code limit}. */
    private static void collectRange(SortedSetValue set, double min, double max, Shape shape, List<Point> out,
            long limit) {
        long rank = set.countBelow(min, false);
        set.forEach(rank, false, (member, score) -> {
            if (score >= max) {
                return false;
            }
            double[] xy = GeoHash.decode(score);
            double distance;
            if (shape.box) {
                distance = inBox(shape, xy);
            } else {
                distance = GeoHash.distance(shape.longitude, shape.latitude, xy[0], xy[1]);
                if (distance > shape.radius * shape.conversion) {
                    distance = -1;
                }
            }
            if (distance >= 0) {
                out.add(new Point(member, score, xy[0], xy[1], distance));
            }
            return out.isEmpty() || limit == 0 || out.size() < limit;
        });
    }

    /** The distance from the box's centre to {@code xy}, or -1 when the point is outside the box. */
    private static double inBox(Shape shape, double[] xy) {
        double latDistance = GeoHash.latDistance(xy[1], shape.latitude);
        if (latDistance > shape.height * shape.conversion / 2) {
            return -1;
        }
        double lonDistance = GeoHash.distance(xy[0], xy[1], shape.longitude, xy[1]);
        if (lonDistance > shape.width * shape.conversion / 2) {
            return -1;
        }
        return GeoHash.distance(shape.longitude, shape.latitude, xy[0], xy[1]);
    }
}
