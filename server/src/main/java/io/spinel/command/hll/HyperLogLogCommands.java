package io.spinel.command.hll;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;
import io.spinel.config.KeyspaceEvents;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.types.HyperLogLog;
import io.spinel.types.MutableString;
import io.spinel.types.StringValue;
import java.util.Random;

/**
 * The HyperLogLog commands (Redis's hyperloglog.c) over string values in Redis's exact format
 * ({@link HyperLogLog}).
 *
 * <h2>Values</h2>
 * A HyperLogLog is an ordinary string: GET returns its bytes and SET may write one. The commands
 * that read it for writing (PFADD, single-key PFCOUNT, which caches the count in the value,
 * PFMERGE's destination, PFDEBUG) first unshare it as Redis's dbUnshareStringValue does: the key
 * then holds a {@link MutableString} ("raw") with no spare room, whose buffer is the value itself,
 * so that dense registers and the cached count are updated in place. A sparse value that changes
 * length is stored anew.
 */
public final class HyperLogLogCommands {
    private final ServerContext server;

    public HyperLogLogCommands(ServerContext server) {
        this.server = server;
    }

    /** Binds the HyperLogLog commands' handlers in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("pfadd", this::pfadd);
        table.bind("pfcount", this::pfcount);
        table.bind("pfmerge", this::pfmerge);
        table.bind("pfdebug", this::pfdebug);
        table.bind("pfselftest", this::pfselftest);
    }

    /**
     * The bytes of a stored value when it is a valid HyperLogLog (no copy), else null after
     * replying the error Redis gives (WRONGTYPE for a non-string or a string not in the format).
     */
    private static byte[] readable(Object value, ReplyWriter reply) {
        if (!StringValue.isString(value)) {
            reply.error(Errors.WRONGTYPE);
            return null;
        }
        byte[] bytes;
        int length;
        if (value instanceof MutableString s) {
            bytes = s.buffer();
            length = s.length();
        } else if (value instanceof byte[] b) {
            bytes = b;
            length = b.length;
        } else {
            reply.error(Errors.HLL_WRONGTYPE);
            return null;
        }
        if (!HyperLogLog.isValid(bytes, length)) {
            reply.error(Errors.HLL_WRONGTYPE);
            return null;
        }
        return length == bytes.length ? bytes : StringValue.bytes(value);
    }

    /**
     * The value of {@code key} unshared for modification in place (dbUnshareStringValue): the
     * array backing the key's MutableString, which is replaced by an exact-sized one first when
     * the key holds anything else.
     */
    private static byte[] unshare(Database db, byte[] key, Object value, byte[] bytes) {
        if (value instanceof MutableString s && s.buffer() == bytes) {
            return bytes;
        }
        return store(db, key, bytes);
    }

    /**
     * Stores a copy of {@code hll} as the value of the existing {@code key}, as an exact-sized
     * MutableString; returns the stored copy, which later in-place updates must write to.
     */
    private static byte[] store(Database db, byte[] key, byte[] hll) {
        MutableString value = new MutableString(hll, hll.length);
        db.replace(key, value);
        return value.buffer();
    }

    /** PFADD key [element [element ...]] */
    void pfadd(Client client, byte[][] argv) {
        Database db = client.db();
        byte[] key = argv[1];
        Object value = db.getForWrite(key);
        byte[] hll;
        boolean updated = false;
        if (value == null) {
            hll = HyperLogLog.create();
            db.set(key, new MutableString(hll, hll.length), 0);
            hll = ((MutableString) db.peek(key)).buffer();
            updated = true;
        } else {
            byte[] bytes = readable(value, client.reply());
            if (bytes == null) {
                return;
            }
            hll = unshare(db, key, value, bytes);
        }
        long sparseMax = server.config().hllSparseMaxBytes.value();
        byte[] stored = hll;
        for (int i = 2; i < argv.length; i++) {
            byte[] result = HyperLogLog.add(hll, argv[i], sparseMax);
            if (result == HyperLogLog.CORRUPT) {
                if (hll != stored) {
                    store(db, key, hll);
                }
                client.reply().error(Errors.HLL_CORRUPTED);
                return;
            }
            if (result != null) {
                hll = result;
                updated = true;
            }
        }
        if (updated) {
            HyperLogLog.invalidateCache(hll);
            if (hll != stored) {
                store(db, key, hll);
            }
            db.changed(key, KeyspaceEvents.STRING, "pfadd");
        }
        client.reply().integer(updated ? 1 : 0);
    }

    /** PFCOUNT key [key ...] */
    void pfcount(Client client, byte[][] argv) {
        Database db = client.db();
        if (argv.length > 2) {
            byte[] registers = new byte[HyperLogLog.REGISTERS];
            for (int i = 1; i < argv.length; i++) {
                Object value = db.get(argv[i]);
                if (value == null) {
                    continue;
                }
                byte[] hll = readable(value, client.reply());
                if (hll == null) {
                    return;
                }
                if (!HyperLogLog.mergeInto(registers, hll)) {
                    client.reply().error(Errors.HLL_CORRUPTED);
                    return;
                }
            }
            client.reply().integer(HyperLogLog.countRegisters(registers));
            return;
        }
        byte[] key = argv[1];
        Object value = db.get(key);
        if (value == null) {
            client.reply().integer(0);
            return;
        }
        byte[] bytes = readable(value, client.reply());
        if (bytes == null) {
            return;
        }
        byte[] hll = unshare(db, key, value, bytes);
        long card;
        if (HyperLogLog.cacheValid(hll)) {
            card = HyperLogLog.cachedCount(hll);
        } else {
            card = HyperLogLog.count(hll);
            if (card < 0) {
                client.reply().error(Errors.HLL_CORRUPTED);
                return;
            }
            HyperLogLog.setCachedCount(hll, card);
            db.changedSilently(key);
        }
        client.reply().integer(card);
    }

    /** PFMERGE destkey [sourcekey [sourcekey ...]] */
    void pfmerge(Client client, byte[][] argv) {
        Database db = client.db();
        byte[] registers = new byte[HyperLogLog.REGISTERS];
        boolean dense = false;
        for (int i = 1; i < argv.length; i++) {
            Object value = db.get(argv[i]);
            if (value == null) {
                continue;
            }
            byte[] hll = readable(value, client.reply());
            if (hll == null) {
                return;
            }
            if (HyperLogLog.encoding(hll) == HyperLogLog.DENSE) {
                dense = true;
            }
            if (!HyperLogLog.mergeInto(registers, hll)) {
                client.reply().error(Errors.HLL_CORRUPTED);
                return;
            }
        }
        byte[] key = argv[1];
        Object value = db.getForWrite(key);
        byte[] hll;
        if (value == null) {
            hll = HyperLogLog.create();
            db.set(key, new MutableString(hll, hll.length), 0);
        } else {
            hll = unshare(db, key, value, StringValue.bytes(value));
        }
        byte[] merged = HyperLogLog.writeRegisters(hll, registers, dense, server.config().hllSparseMaxBytes.value());
        if (merged == HyperLogLog.CORRUPT) {
            client.reply().error(Errors.HLL_CORRUPTED);
            return;
        }
        store(db, key, merged);
        db.changed(key, KeyspaceEvents.STRING, "pfadd");
        client.reply().ok();
    }

    /** PFDEBUG subcommand key */
    void pfdebug(Client client, byte[][] argv) {
        Database db = client.db();
        byte[] key = argv[2];
        Object value = db.getForWrite(key);
        if (value == null) {
            client.reply().error(Errors.HLL_NO_KEY);
            return;
        }
        byte[] bytes = readable(value, client.reply());
        if (bytes == null) {
            return;
        }
        byte[] hll = unshare(db, key, value, bytes);
        byte[] sub = argv[1];
        ReplyWriter reply = client.reply();
        if (Arguments.is(sub, "getreg")) {
            byte[] dense = HyperLogLog.toDense(hll);
            if (dense == HyperLogLog.CORRUPT) {
                reply.error(Errors.HLL_CORRUPTED);
                return;
            }
            if (dense != hll) {
                store(db, key, dense);
            }
            reply.array(HyperLogLog.REGISTERS);
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                reply.integer(HyperLogLog.denseGet(dense, i));
            }
        } else if (Arguments.is(sub, "decode")) {
            if (HyperLogLog.encoding(hll) != HyperLogLog.SPARSE) {
                reply.error(Errors.HLL_NOT_SPARSE);
                return;
            }
            reply.bulk(HyperLogLog.decode(hll));
        } else if (Arguments.is(sub, "encoding")) {
            reply.simple(HyperLogLog.encoding(hll) == HyperLogLog.DENSE ? "dense" : "sparse");
        } else if (Arguments.is(sub, "todense")) {
            byte[] dense = HyperLogLog.toDense(hll);
            if (dense == HyperLogLog.CORRUPT) {
                reply.error(Errors.HLL_CORRUPTED);
                return;
            }
            if (dense != hll) {
                store(db, key, dense);
            }
            reply.integer(dense != hll ? 1 : 0);
        } else {
            reply.error(Errors.hllUnknownSubcommand(Arguments.text(untilNul(sub))));
        }
    }

    /**
     * PFSELFTEST
     *
     * <p>Checks the dense register packing against a plain array, then that the estimate of
     * growing sets stays within Redis's tolerance (5 standard errors) in both encodings and
     * that both encodings estimate alike.
     */
    void pfselftest(Client client, byte[][] argv) {
        String failure = selfTest();
        if (failure == null) {
            client.reply().ok();
        } else {
            client.reply().error("TESTFAILED " + failure);
        }
    }

    private static String selfTest() {
        Random random = new Random(1);
        byte[] dense = HyperLogLog.toDense(HyperLogLog.create());
        int[] expected = new int[HyperLogLog.REGISTERS];
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                expected[i] = random.nextInt(64);
                HyperLogLog.denseWrite(dense, i, expected[i]);
            }
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                if (HyperLogLog.denseGet(dense, i) != expected[i]) {
                    return "Register error at " + i;
                }
            }
        }
        byte[] sparse = HyperLogLog.create();
        byte[] full = HyperLogLog.toDense(HyperLogLog.create());
        double relativeError = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
        byte[] element = new byte[8];
        for (long n = 1; n <= 100_000; n++) {
            for (int b = 0; b < 8; b++) {
                element[b] = (byte) ((n + 1_000_000_000L) >>> (8 * b));
            }
            byte[] next = HyperLogLog.add(sparse, element, 3000);
            if (next != null) {
                sparse = next;
            }
            HyperLogLog.add(full, element, 3000);
            if (n % 1000 == 0 || n < 1000) {
                long a = HyperLogLog.count(sparse);
                long b = HyperLogLog.count(full);
                if (a != b) {
                    return "Sparse and dense estimates differ for " + n + " elements: " + a + " vs " + b;
                }
                double maxError = n < 100 ? 1 : 5 * relativeError * n;
                if (Math.abs(n - b) > maxError) {
                    return "Too big error. card:" + n + " abserr:" + Math.abs(n - b);
                }
            }
        }
        return null;
    }

    /** The argument as Redis's %s prints it in an error: up to its first NUL byte. */
    private static byte[] untilNul(byte[] arg) {
        for (int i = 0; i < arg.length; i++) {
            if (arg[i] == 0) {
                return java.util.Arrays.copyOf(arg, i);
            }
        }
        return arg;
    }
}
