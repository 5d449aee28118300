package io.spinel.command.set;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ScanOptions;
import io.spinel.command.ServerContext;
import io.spinel.config.KeyspaceEvents;
import io.spinel.config.Config;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.store.Effects;
import io.spinel.types.IntSet;
import io.spinel.types.PackedSet;
import io.spinel.types.SetValue;
import io.spinel.types.StringValue;
import io.spinel.types.TableSet;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The set commands (Redis's t_set.c command half): membership, random picks and pops, moves,
 * the algebra (intersection, union, difference, with their STORE forms) and SSCAN.
 *
 * <h2>Encodings</h2>
 * The commands read the thresholds from the configuration on each call and let
 * {@link SetValue} convert; when a set converts to a larger encoding the new object replaces the
 * old one under the key with {@link Database#replace} (the TTL stays). The sets the algebra
 * builds follow Redis 7.2's choices: SINTERSTORE starts from the encoding of the smallest input
 * and ends as an intset when every member is an integer; SUNIONSTORE and SDIFFSTORE start from an
 * empty intset and grow through the usual conversions.
 *
 * <h2>Order of checks</h2>
 * Each handler checks arguments, key types and existence in Redis's order, so that the error a
 * client sees when several apply is Redis's; the differential tests pin it down.
 */
public final class SetCommands {
    /** SPOP rebuilds the set from the members it keeps once it pops more than 5 times as many. */
    private static final int SPOP_MOVE_STRATEGY_MUL = 5;
    /** SRANDMEMBER copies the whole set once it asks for more than a third of it. */
    private static final int SRANDMEMBER_SUB_STRATEGY_MUL = 3;

    private static final byte[] SREM = Effects.bytes("SREM");
    private final ServerContext server;

    public SetCommands(ServerContext server) {
        this.server = server;
    }

    /** Binds the set commands' handlers in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("sadd", this::sadd);
        table.bind("scard", this::scard);
        table.bind("sdiff", this::sdiff);
        table.bind("sdiffstore", this::sdiffstore);
        table.bind("sinter", this::sinter);
        table.bind("sintercard", this::sintercard);
        table.bind("sinterstore", this::sinterstore);
        table.bind("sismember", this::sismember);
        table.bind("smembers", this::smembers);
        table.bind("smismember", this::smismember);
        table.bind("smove", this::smove);
        table.bind("spop", this::spop);
        table.bind("srandmember", this::srandmember);
        table.bind("srem", this::srem);
        table.bind("sscan", this::sscan);
        table.bind("sunion", this::sunion);
        table.bind("sunionstore", this::sunionstore);
    }

    /** The encoding thresholds in force now. */
    private SetValue.Limits limits() {
        Config config = server.config();
        return new SetValue.Limits(config.setMaxIntsetEntries.value(), config.setMaxListpackEntries.value(),
                config.setMaxListpackValue.value());
    }

    /**
     * Whether {@code value} (a looked-up value, possibly null) is something other than a set;
     * replies WRONGTYPE when it is.
     */
    private static boolean wrongType(Client client, Object value) {
        if (value != null && !(value instanceof SetValue)) {
            client.reply().error(Errors.WRONGTYPE);
            return true;
        }
        return false;
    }

    /** Writes {@code members} as a set reply. */
    private static void writeMembers(ReplyWriter reply, List<byte[]> members) {
        reply.set(members.size());
        for (byte[] member : members) {
            reply.bulk(member);
        }
    }

    // ---- adding and removing

    /** SADD key member [member ...] */
    void sadd(Client client, byte[][] argv) {
        Database db = client.db();
        Object value = db.getForWrite(argv[1]);
        if (wrongType(client, value)) {
            return;
        }
        SetValue.Limits limits = limits();
        long hint = argv.length - 2;
        SetValue stored = (SetValue) value;
        SetValue set = stored == null ? SetValue.create(argv[2], hint, limits) : stored.reserve(hint, limits);
        int added = 0;
        for (int i = 2; i < argv.length; i++) {
            int before = set.size();
            set = set.add(argv[i], limits);
            if (set.size() > before) {
                added++;
            }
        }
        if (stored == null) {
            db.set(argv[1], set, 0L);
        } else if (set != stored) {
            db.replace(argv[1], set);
        }
        if (added > 0) {
            db.changed(argv[1], KeyspaceEvents.SET, "sadd");
        }
        client.reply().integer(added);
    }

    /** SREM key member [member ...] */
    void srem(Client client, byte[][] argv) {
        Database db = client.db();
        Object value = db.getForWrite(argv[1]);
        if (value == null) {
            client.reply().integer(0);
            return;
        }
        if (wrongType(client, value)) {
            return;
        }
        SetValue set = (SetValue) value;
        int removed = 0;
        for (int i = 2; i < argv.length; i++) {
            if (set.remove(argv[i])) {
                removed++;
                if (set.size() == 0) {
                    db.delete(argv[1]);
                    break;
                }
            }
        }
        if (removed > 0) {
            removed(db, argv[1], set, "srem");
        }
        client.reply().integer(removed);
    }

    /** SMOVE source destination member */
    void smove(Client client, byte[][] argv) {
        Database db = client.db();
        Object source = db.getForWrite(argv[1]);
        Object destination = db.getForWrite(argv[2]);
        byte[] member = argv[3];
        if (source == null) {
            client.reply().integer(0);
            return;
        }
        if (wrongType(client, source) || wrongType(client, destination)) {
            return;
        }
        SetValue from = (SetValue) source;
        if (from == destination) {
            client.reply().integer(from.contains(member) ? 1 : 0);
            return;
        }
        if (!from.remove(member)) {
            client.reply().integer(0);
            return;
        }
        if (from.size() == 0) {
            db.delete(argv[1]);
        }
        removed(db, argv[1], from, "srem");
        SetValue.Limits limits = limits();
        SetValue to = (SetValue) destination;
        if (to == null) {
            db.set(argv[2], SetValue.create(member, 1, limits).add(member, limits), 0L);
            db.changed(argv[2], KeyspaceEvents.SET, "sadd");
        } else {
            int before = to.size();
            SetValue grown = to.add(member, limits);
            if (grown != to) {
                db.replace(argv[2], grown);
            }
            if (grown.size() > before) {
                db.changed(argv[2], KeyspaceEvents.SET, "sadd");
            }
        }
        client.reply().integer(1);
    }

    // ---- reading

    /** SCARD key */
    void scard(Client client, byte[][] argv) {
        Object value = client.db().get(argv[1]);
        if (!wrongType(client, value)) {
            client.reply().integer(value == null ? 0 : ((SetValue) value).size());
        }
    }

    /** SISMEMBER key member */
    void sismember(Client client, byte[][] argv) {
        Object value = client.db().get(argv[1]);
        if (!wrongType(client, value)) {
            client.reply().integer(value != null && ((SetValue) value).contains(argv[2]) ? 1 : 0);
        }
    }

    /** SMISMEMBER key member [member ...] */
    void smismember(Client client, byte[][] argv) {
        Object value = client.db().get(argv[1]);
        if (wrongType(client, value)) {
            return;
        }
        SetValue set = (SetValue) value;
        ReplyWriter reply = client.reply();
        reply.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            reply.integer(set != null && set.contains(argv[i]) ? 1 : 0);
        }
    }

    /** SMEMBERS key */
    void smembers(Client client, byte[][] argv) {
        interGeneric(client, Arrays.copyOfRange(argv, 1, 2), null, false, 0);
    }

    // ---- random members

    /** SRANDMEMBER key [count] */
    void srandmember(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        if (argv.length > 3) {
            reply.error(Errors.SYNTAX);
            return;
        }
        if (argv.length == 3) {
            srandmemberWithCount(client, argv);
            return;
        }
        Object value = client.db().get(argv[1]);
        if (value == null) {
            reply.nullBulk();
        } else if (!wrongType(client, value)) {
            reply.bulk(((SetValue) value).randomMember(ThreadLocalRandom.current()));
        }
    }

    /**
     * SRANDMEMBER with a count: repeated draws for a negative count, else distinct members
     * chosen by Redis's strategy for the set's size (a one-pass sample for a listpack, a shuffled
     * copy when asking for over a third of the set, repeated draws otherwise).
     */
    private void srandmemberWithCount(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Long parsed = Arguments.integer(argv[2]);
        if (parsed == null) {
            reply.error(Errors.NOT_INTEGER);
            return;
        }
        if (parsed == Long.MIN_VALUE) {
            reply.error(Errors.LONG_RANGE);
            return;
        }
        Object value = client.db().get(argv[1]);
        if (value == null) {
            reply.array(0);
            return;
        }
        if (wrongType(client, value)) {
            return;
        }
        SetValue set = (SetValue) value;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long count = Math.abs(parsed);
        boolean unique = parsed >= 0;
        if (count == 0) {
            reply.array(0);
            return;
        }
        if (!unique || count == 1) {
            // With repetitions: count independent draws, in random order.
            reply.array((int) Math.min(count, Integer.MAX_VALUE));
            for (long i = 0; i < count; i++) {
                reply.bulk(set.randomMember(random));
            }
            return;
        }
        int size = set.size();
        if (count >= size) {
            List<byte[]> all = members(set);
            reply.array(all.size());
            all.forEach(reply::bulk);
            return;
        }
        List<byte[]> picked;
        if (set instanceof PackedSet) {
            picked = sampleInOrder(set, (int) count, random);
        } else if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
            picked = members(set);
            Collections.shuffle(picked, random);
            picked = picked.subList(0, (int) count);
        } else {
            Set<ByteBuffer> distinct = new LinkedHashSet<>();
            while (distinct.size() < count) {
                distinct.add(ByteBuffer.wrap(set.randomMember(random)));
            }
            picked = new ArrayList<>(distinct.size());
            for (ByteBuffer member : distinct) {
                picked.add(member.array());
            }
        }
        reply.array(picked.size());
        picked.forEach(reply::bulk);
    }

    /**
     * {@code count} distinct members chosen uniformly, kept in the set's order (selection
     * sampling, one pass, as Redis samples a listpack).
     */
    private static List<byte[]> sampleInOrder(SetValue set, int count, ThreadLocalRandom random) {
        List<byte[]> picked = new ArrayList<>(count);
        int remaining = set.size();
        int needed = count;
        for (Iterator<byte[]> it = set.iterator(); it.hasNext() && needed > 0; remaining--) {
            byte[] member = it.next();
            if (random.nextInt(remaining) < needed) {
                picked.add(member);
                needed--;
            }
        }
        return picked;
    }

    /** Every member of {@code set}, in its order. */
    private static List<byte[]> members(SetValue set) {
        List<byte[]> all = new ArrayList<>(set.size());
        set.iterator().forEachRemaining(all::add);
        return all;
    }

    /** SPOP key [count] */
    void spop(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        if (argv.length > 3) {
            reply.error(Errors.SYNTAX);
            return;
        }
        if (argv.length == 3) {
            spopWithCount(client, argv);
            return;
        }
        Database db = client.db();
        Object value = db.getForWrite(argv[1]);
        if (value == null) {
            reply.nullBulk();
            return;
        }
        if (wrongType(client, value)) {
            return;
        }
        SetValue set = (SetValue) value;
        byte[] member = set.randomMember(ThreadLocalRandom.current());
        set.remove(member);
        if (set.size() == 0) {
            db.delete(argv[1]);
        }
        removed(db, argv[1], set, "spop");
        server.keyspace().effects().rewrite(SREM, argv[1], member); // the random choice travels as its effect
        reply.bulk(member);
    }

    /**
     * SPOP with a count: the whole set when the count covers it; else random members removed one
     * by one, or, when more than five times as many go as stay, a new set of the members that
     * stay (whose encoding Redis chooses afresh) stored in place of the old one.
     */
    private void spopWithCount(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Long count = Arguments.integer(argv[2]);
        if (count == null || count < 0) {
            reply.error(Errors.MUST_BE_POSITIVE);
            return;
        }
        Database db = client.db();
        Object value = db.getForWrite(argv[1]);
        if (value == null) {
            reply.set(0);
            return;
        }
        if (wrongType(client, value)) {
            return;
        }
        if (count == 0) {
            reply.set(0);
            return;
        }
        SetValue set = (SetValue) value;
        int size = set.size();
        db.changed(argv[1], KeyspaceEvents.SET, "spop");
        if (count >= size) {
            writeMembers(reply, members(set));
            db.delete(argv[1]);
            db.changed(argv[1], KeyspaceEvents.GENERIC, "del");
            server.keyspace().effects().rewrite(
                    Effects.bytes(server.config().lazyfreeLazyServerDel.value() ? "UNLINK" : "DEL"), argv[1]);
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int popCount = count.intValue();
        int remaining = size - popCount;
        List<byte[]> popped;
        if ((long) remaining * SPOP_MOVE_STRATEGY_MUL > popCount) {
            if (set instanceof PackedSet) {
                popped = sampleInOrder(set, popCount, random);
                popped.forEach(set::remove);
            } else {
                popped = new ArrayList<>(popCount);
                for (int i = 0; i < popCount; i++) {
                    byte[] member = set.randomMember(random);
                    set.remove(member);
                    popped.add(member);
                }
            }
        } else {
            // Popping nearly everything: draw the members that stay into a new set instead.
            SetValue.Limits limits = limits();
            SetValue kept;
            if (set instanceof PackedSet) {
                kept = new PackedSet();
                for (byte[] member : sampleInOrder(set, remaining, random)) {
                    kept = kept.add(member, limits);
                    set.remove(member);
                }
            } else {
                kept = set instanceof IntSet ? new IntSet() : new PackedSet();
                for (int i = 0; i < remaining; i++) {
                    byte[] member = set.randomMember(random);
                    kept = kept.add(member, limits);
                    set.remove(member);
                }
            }
            popped = members(set);
            db.replace(argv[1], kept);
        }
        Effects effects = server.keyspace().effects();
        if (effects.active()) { // one SREM per popped member, as Redis propagates them
            for (byte[] member : popped) {
                effects.emit(db.index(), SREM, argv[1], member);
            }
            effects.suppress();
        }
        writeMembers(reply, popped);
    }

    // ---- algebra

    /** SINTER key [key ...] */
    void sinter(Client client, byte[][] argv) {
        interGeneric(client, Arrays.copyOfRange(argv, 1, argv.length), null, false, 0);
    }

    /** SINTERSTORE destination key [key ...] */
    void sinterstore(Client client, byte[][] argv) {
        interGeneric(client, Arrays.copyOfRange(argv, 2, argv.length), argv[1], false, 0);
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit] */
    void sintercard(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Long numkeys = Arguments.integer(argv[1]);
        if (numkeys == null || numkeys < 1) {
            reply.error(Errors.NUMKEYS_POSITIVE);
            return;
        }
        if (numkeys > argv.length - 2) {
            reply.error(Errors.NUMKEYS_OVER_ARGS);
            return;
        }
        long limit = 0;
        for (int i = 2 + numkeys.intValue(); i < argv.length; i++) {
            if (Arguments.is(argv[i], "limit") && i + 1 < argv.length) {
                Long parsed = Arguments.integer(argv[++i]);
                if (parsed == null || parsed < 0) {
                    reply.error(Errors.LIMIT_NEGATIVE);
                    return;
                }
                limit = parsed;
            } else {
                reply.error(Errors.SYNTAX);
                return;
            }
        }
        interGeneric(client, Arrays.copyOfRange(argv, 2, 2 + numkeys.intValue()), null, true, limit);
    }

    /**
     * Looks up the sets at {@code keys} for the algebra (read lookups); null after replying
     * WRONGTYPE for the first key holding another type. Missing keys are null entries.
     */
    private static SetValue[] lookupSets(Client client, byte[][] keys) {
        SetValue[] sets = new SetValue[keys.length];
        for (int i = 0; i < keys.length; i++) {
            Object value = client.db().get(keys[i]);
            if (wrongType(client, value)) {
                return null;
            }
            sets[i] = (SetValue) value;
        }
        return sets;
    }

    /**
     * SINTER, SMEMBERS, SINTERSTORE (with {@code destination}) and SINTERCARD
     * ({@code cardinalityOnly}, stopping at {@code limit} unless 0): walks the smallest set and
     * keeps the members every other set has.
     */
    private void interGeneric(Client client, byte[][] keys, byte[] destination, boolean cardinalityOnly, long limit) {
        ReplyWriter reply = client.reply();
        Database db = client.db();
        SetValue[] sets = lookupSets(client, keys);
        if (sets == null) {
            return;
        }
        boolean empty = Arrays.stream(sets).anyMatch(set -> set == null);
        if (empty) {
            if (destination != null) {
                store(client, destination, null, "sinterstore");
            } else if (cardinalityOnly) {
                reply.integer(0);
            } else {
                reply.set(0);
            }
            return;
        }
        Arrays.sort(sets, Comparator.comparingInt(SetValue::size));
        SetValue.Limits limits = destination == null ? null : limits();
        SetValue result = null;
        if (destination != null) {
            result = sets[0] instanceof IntSet ? new IntSet() : new PackedSet();
        }
        boolean onlyIntegers = true;
        List<byte[]> found = new ArrayList<>();
        long cardinality = 0;
        for (Iterator<byte[]> it = sets[0].iterator(); it.hasNext(); ) {
            byte[] member = it.next();
            boolean everywhere = true;
            for (int j = 1; j < sets.length && everywhere; j++) {
                everywhere = sets[j] == sets[0] || sets[j].contains(member);
            }
            if (!everywhere) {
                continue;
            }
            if (cardinalityOnly) {
                cardinality++;
                if (limit != 0 && cardinality >= limit) {
                    break;
                }
            } else if (destination == null) {
                found.add(member);
            } else {
                onlyIntegers &= member.length <= 20 && StringValue.parseLong(member) != null;
                result = result.add(member, limits);
            }
        }
        if (cardinalityOnly) {
            reply.integer(cardinality);
        } else if (destination == null) {
            writeMembers(reply, found);
        } else {
            store(client, destination, result.size() == 0 ? null : result.compacted(onlyIntegers, limits), "sinterstore");
        }
    }

    /**
     * Stores {@code result} at {@code destination} (replacing any value and TTL; the keyspace
     * event {@code event}) and replies its size; deletes it when null ("del" if it existed).
     */
    private static void store(Client client, byte[] destination, SetValue result, String event) {
        if (result == null) {
            if (client.db().delete(destination)) {
                client.db().changed(destination, KeyspaceEvents.GENERIC, "del");
            }
            client.reply().integer(0);
            return;
        }
        client.db().set(destination, result, 0L);
        client.db().changed(destination, KeyspaceEvents.SET, event);
        client.reply().integer(result.size());
    }

    /** Reports members removed from the set at {@code key} by {@code event}, and "del" when that emptied it. */
    private static void removed(Database db, byte[] key, SetValue set, String event) {
        db.changed(key, KeyspaceEvents.SET, event);
        if (set.size() == 0) {
            db.changed(key, KeyspaceEvents.GENERIC, "del");
        }
    }

    /** SUNION key [key ...] */
    void sunion(Client client, byte[][] argv) {
        unionDiffGeneric(client, Arrays.copyOfRange(argv, 1, argv.length), null, false);
    }

    /** SUNIONSTORE destination key [key ...] */
    void sunionstore(Client client, byte[][] argv) {
        unionDiffGeneric(client, Arrays.copyOfRange(argv, 2, argv.length), argv[1], false);
    }

    /** SDIFF key [key ...] */
    void sdiff(Client client, byte[][] argv) {
        unionDiffGeneric(client, Arrays.copyOfRange(argv, 1, argv.length), null, true);
    }

    /** SDIFFSTORE destination key [key ...] */
    void sdiffstore(Client client, byte[][] argv) {
        unionDiffGeneric(client, Arrays.copyOfRange(argv, 2, argv.length), argv[1], true);
    }

    /**
     * SUNION, SDIFF and their STORE forms: builds the result in a new set that starts as an
     * empty intset. The difference picks Redis's cheaper algorithm: walk the first set and probe
     * the others (sorted by decreasing size), or copy the first set and remove the others'
     * members; the two can leave the result in different encodings, as in Redis.
     */
    private void unionDiffGeneric(Client client, byte[][] keys, byte[] destination, boolean diff) {
        SetValue[] sets = lookupSets(client, keys);
        if (sets == null) {
            return;
        }
        boolean sameSet = false;
        for (int j = 1; j < sets.length; j++) {
            sameSet |= sets[0] != null && sets[j] == sets[0];
        }
        SetValue.Limits limits = limits();
        SetValue result = new IntSet();
        if (!diff) {
            for (SetValue set : sets) {
                if (set != null) {
                    for (Iterator<byte[]> it = set.iterator(); it.hasNext(); ) {
                        result = result.add(it.next(), limits);
                    }
                }
            }
        } else if (sets[0] != null && !sameSet) {
            long walkWork = 0;
            long copyWork = 0;
            for (SetValue set : sets) {
                if (set != null) {
                    walkWork += sets[0].size();
                    copyWork += set.size();
                }
            }
            if (walkWork / 2 <= copyWork) {
                SetValue[] others = Arrays.copyOfRange(sets, 1, sets.length);
                Arrays.sort(others, Comparator.comparingInt((SetValue set) -> set == null ? 0 : set.size()).reversed());
                for (Iterator<byte[]> it = sets[0].iterator(); it.hasNext(); ) {
                    byte[] member = it.next();
                    boolean elsewhere = false;
                    for (int j = 0; j < others.length && !elsewhere; j++) {
                        elsewhere = others[j] != null && others[j].contains(member);
                    }
                    if (!elsewhere) {
                        result = result.add(member, limits);
                    }
                }
            } else {
                for (int j = 0; j < sets.length && (j == 0 || result.size() > 0); j++) {
                    if (sets[j] == null) {
                        continue;
                    }
                    for (Iterator<byte[]> it = sets[j].iterator(); it.hasNext(); ) {
                        if (j == 0) {
                            result = result.add(it.next(), limits);
                        } else {
                            result.remove(it.next());
                        }
                    }
                }
            }
        }
        if (destination == null) {
            writeMembers(client.reply(), members(result));
        } else {
            if (result instanceof PackedSet packed) {
                packed.trim();
            }
            store(client, destination, result.size() == 0 ? null : result, diff ? "sdiffstore" : "sunionstore");
        }
    }

    // ---- scanning

    /** SSCAN key cursor [MATCH pattern] [COUNT count] */
    void sscan(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        Long cursor = ScanOptions.cursor(argv[2], reply);
        if (cursor == null) {
            return;
        }
        Object value = client.db().get(argv[1]);
        if (value == null) {
            reply.array(2);
            reply.bulk("0");
            reply.array(0);
            return;
        }
        if (wrongType(client, value)) {
            return;
        }
        ScanOptions options = ScanOptions.parse(argv, 3, ScanOptions.Extra.NONE, reply);
        if (options == null) {
            return;
        }
        List<byte[]> batch = new ArrayList<>();
        long next = 0;
        if (value instanceof TableSet table) {
            next = table.scan(cursor, options.batch(), batch::add);
        } else {
            // Packed encodings are returned whole, whatever the cursor, as Redis does.
            batch = members((SetValue) value);
        }
        List<byte[]> matched = new ArrayList<>(batch.size());
        for (byte[] member : batch) {
            if (options.matches(member)) {
                matched.add(member);
            }
        }
        reply.array(2);
        reply.bulk(Long.toUnsignedString(next));
        reply.array(matched.size());
        matched.forEach(reply::bulk);
    }
}
