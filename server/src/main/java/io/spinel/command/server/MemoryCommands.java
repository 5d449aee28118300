package io.spinel.command.server;

import io.spinel.command.Arguments;
import io.spinel.command.Client;
import io.spinel.command.CommandTable;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;
import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;
import io.spinel.store.EntrySize;
import io.spinel.store.Keyspace;
import io.spinel.store.SlotLocks;

/**
 * MEMORY USAGE, STATS, DOCTOR, PURGE, MALLOC-STATS and HELP, over the keyspace's memory
 * accounting ({@link Keyspace#usedMemory}): the figures are the same estimates INFO memory
 * reports and eviction compares with maxmemory. Where Redis reports its allocator (jemalloc's
 * allocated, active and resident bytes), Spinel reports the JVM heap (used, committed) and the
 * process's resident set.
 */
public final class MemoryCommands {
    private static final String[] HELP = {
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
    };
    private static final String DOCTOR_EMPTY = "Hi Sam, this instance is empty or is using very little memory, my issues "
            + "detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some "
            + "data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
    private static final String DOCTOR_FINE = "Hi Sam, I can't find any memory issue in your instance. I can only "
            + "account for what occurs on this base.\n";
    private static final String DOCTOR_PEAK = " * Peak memory: In the past this instance used more than 150% the memory "
            + "that is currently using. The allocator is normally not able to release memory after a peak, so you can "
            + "expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory "
            + "peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will "
            + "be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and "
            + "you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is "
            + "to shutdown and restart the instance.\n\n";
    private static final String DOCTOR_CLIENTS = " * Big client buffers: The clients output buffers in this instance are "
            + "greater than 200K per client (on average). This may result from different causes, like Pub/Sub clients "
            + "subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output "
            + "buffer, or clients sending commands with large replies or very large sequences of commands in the same "
            + "pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in "
            + "your instance, or to understand better why certain clients are using a big amount of memory.\n\n";

    private final ServerContext server;

    public MemoryCommands(ServerContext server) {
        this.server = server;
    }

    /** Binds the MEMORY subcommands' handlers in {@code table}. */
    public void bind(CommandTable table) {
        table.bind("memory|usage", this::memoryUsage);
        table.bind("memory|stats", this::memoryStats);
        table.bind("memory|doctor", this::memoryDoctor);
        table.bind("memory|purge", this::memoryPurge);
        table.bind("memory|malloc-stats", this::memoryMallocStats);
        table.bind("memory|help", (client, argv) -> CommandCommands.writeHelp(client.reply(), HELP));
    }

    /** MEMORY USAGE key [SAMPLES count] */
    void memoryUsage(Client client, byte[][] argv) {
        ReplyWriter reply = client.reply();
        int samples = 5;
        for (int i = 3; i < argv.length; i += 2) {
            if (!Arguments.is(argv[i], "samples") || i + 1 >= argv.length) {
                reply.error(Errors.SYNTAX);
                return;
            }
            Long count = Arguments.integer(argv[i + 1]);
            if (count == null) {
                reply.error(Errors.NOT_INTEGER);
                return;
            }
            if (count < 0) {
                reply.error(Errors.SYNTAX);
                return;
            }
            samples = (int) Math.min(count, Integer.MAX_VALUE);
        }
        Object value = client.db().peek(argv[2]);
        if (value == null) {
            reply.nullBulk();
            return;
        }
        reply.integer(EntrySize.of(argv[2], value, samples));
    }

    /** MEMORY STATS: Redis's fields, in Redis's order, from the memory accounting. */
    void memoryStats(Client client, byte[][] argv) {
        Keyspace keyspace = server.keyspace();
        MemoryFigures figures = MemoryFigures.now(server);
        long[] keysPerDb = keyCounts(keyspace);
        int dbsWithKeys = 0;
        long keys = 0;
        for (long count : keysPerDb) {
            keys += count;
            dbsWithKeys += count > 0 ? 1 : 0;
        }
        ReplyWriter reply = client.reply();
        reply.map(27 + dbsWithKeys);
        entry(reply, "peak.allocated", figures.peak());
        entry(reply, "total.allocated", figures.used());
        entry(reply, "startup.allocated", figures.startup());
        entry(reply, "replication.backlog", 0);
        entry(reply, "clients.slaves", 0);
        entry(reply, "clients.normal", figures.clients());
        entry(reply, "cluster.links", 0);
        entry(reply, "aof.buffer", 0);
        entry(reply, "lua.caches", 0);
        entry(reply, "functions.caches", 0);
        for (int i = 0; i < keysPerDb.length; i++) {
            if (keysPerDb[i] > 0) {
                reply.bulk("db." + i);
                reply.map(3);
                // The slot tables' positions are the counterpart of Redis's main dict buckets.
                entry(reply, "overhead.hashtable.main", keysPerDb[i] * 24);
                entry(reply, "overhead.hashtable.expires", 0);
                entry(reply, "overhead.hashtable.slot-to-keys", 0);
            }
        }
        entry(reply, "overhead.total", figures.overhead());
        entry(reply, "keys.count", keys);
        entry(reply, "keys.bytes-per-key", keys == 0 ? 0 : (figures.used() - figures.startup()) / keys);
        entry(reply, "dataset.bytes", figures.dataset());
        reply.bulk("dataset.percentage");
        reply.doubleReply(MemoryFigures.format(figures.datasetPercent()));
        reply.bulk("peak.percentage");
        reply.doubleReply(MemoryFigures.format(figures.peak() == 0 ? 0 : figures.used() * 100.0 / figures.peak()));
        entry(reply, "allocator.allocated", figures.heapUsed());
        entry(reply, "allocator.active", figures.heapCommitted());
        entry(reply, "allocator.resident", figures.rss());
        reply.bulk("allocator-fragmentation.ratio");
        reply.doubleReply(MemoryFigures.format(figures.ratio(figures.heapCommitted(), figures.heapUsed())));
        entry(reply, "allocator-fragmentation.bytes", figures.heapCommitted() - figures.heapUsed());
        reply.bulk("allocator-rss.ratio");
        reply.doubleReply(MemoryFigures.format(figures.ratio(figures.rss(), figures.heapCommitted())));
        entry(reply, "allocator-rss.bytes", figures.rss() - figures.heapCommitted());
        reply.bulk("rss-overhead.ratio");
        reply.doubleReply(MemoryFigures.format(1.0));
        entry(reply, "rss-overhead.bytes", 0);
        reply.bulk("fragmentation");
        reply.doubleReply(MemoryFigures.format(figures.fragmentation()));
        entry(reply, "fragmentation.bytes", figures.rss() - figures.used());
    }

    private static void entry(ReplyWriter reply, String name, long value) {
        reply.bulk(name);
        reply.integer(value);
    }

    /** The number of keys of every database, each counted under all slot locks of a moment. */
    private static long[] keyCounts(Keyspace keyspace) {
        long[] counts = new long[keyspace.databaseCount()];
        SlotLocks locks = keyspace.locks();
        locks.lockAll();
        try {
            for (int i = 0; i < counts.length; i++) {
                Database db = keyspace.database(i);
                counts[i] = db.size();
            }
        } finally {
            locks.unlockAll();
        }
        return counts;
    }

    /** MEMORY DOCTOR: Redis's report, with the checks that apply to a JVM (peak, client buffers). */
    void memoryDoctor(Client client, byte[][] argv) {
        MemoryFigures figures = MemoryFigures.now(server);
        String report;
        if (figures.used() < 5L * 1024 * 1024) {
            report = DOCTOR_EMPTY;
        } else {
            StringBuilder issues = new StringBuilder();
            if ((float) figures.peak() / figures.used() > 1.5) {
                issues.append(DOCTOR_PEAK);
            }
            int clients = Math.max(1, server.clients().size());
            if (figures.clients() / clients > 200 * 1024) {
                issues.append(DOCTOR_CLIENTS);
            }
            report = issues.isEmpty() ? DOCTOR_FINE
                    : "Sam, I detected a few issues in this Redis instance memory implants:\n\n" + issues
                    + "I'm here to keep you safe, Sam. I want to help you.\n";
        }
        client.reply().verbatim(report);
    }

    /**
     * MEMORY PURGE: Redis asks its allocator to return dirty pages; the counterpart here is a full
     * collection, after which the collector gives unused heap back to the system.
     */
    void memoryPurge(Client client, byte[][] argv) {
        System.gc();
        client.reply().ok();
    }

    /** MEMORY MALLOC-STATS: what Redis answers when its allocator has no statistics to report. */
    void memoryMallocStats(Client client, byte[][] argv) {
        client.reply().bulk("Stats not supported for the current allocator");
    }
}
