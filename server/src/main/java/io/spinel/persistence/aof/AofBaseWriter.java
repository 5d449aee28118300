package io.spinel.persistence.aof;

import io.spinel.persistence.rdb.RdbFormatException;
import io.spinel.persistence.rdb.RdbLoader;
import io.spinel.persistence.rdb.RdbValueReader;
import io.spinel.store.Effects;
import io.spinel.types.HashValue;
import io.spinel.types.ListCursor;
import io.spinel.types.ListValue;
import io.spinel.types.Score;
import io.spinel.types.SetValue;
import io.spinel.types.SortedSetValue;
import io.spinel.types.StreamId;
import io.spinel.types.StreamValue;
import io.spinel.types.StringValue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a base file in command form (aof-use-rdb-preamble no), as Redis's
 * rewriteAppendOnlyFileRio does: per database a SELECT, per key the commands that rebuild it
 * (SET; RPUSH, SADD, ZADD, HSET with at most 64 items per command; a stream's XADDs, XSETID,
 * groups and pending entries) and its PEXPIREAT. The input is the RDB image of the fork-less
 * snapshot, so the file is the dataset as of the rewrite's start. Not thread-safe.
 */
final class AofBaseWriter {
    /** Redis's AOF_REWRITE_ITEMS_PER_CMD. */
    private static final int ITEMS_PER_COMMAND = 64;

    private final CommandEncoder encoder = new CommandEncoder();
    private final OutputStream out;
    private int selectedDb = -1;

    private AofBaseWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes the keys of the RDB image {@code rdb} to {@code out} as commands. */
    static void write(byte[] rdb, RdbValueReader values, int databases, long now, OutputStream out)
            throws IOException, RdbFormatException {
        AofBaseWriter writer = new AofBaseWriter(out);
        try {
            RdbLoader.load(rdb, values, databases, now, (db, key, value, expiresAt, idle) -> {
                try {
                    writer.key(db, key, value, expiresAt);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void key(int db, byte[] key, Object value, long expiresAt) throws IOException {
        encoder.reset();
        if (db != selectedDb) {
            encoder.command(bytes("SELECT"), Effects.bytes(db));
            selectedDb = db;
        }
        switch (value) {
            case ListValue list -> {
                List<byte[]> items = new ArrayList<>();
                for (ListCursor cursor = list.cursor(0, true); cursor.valid(); cursor.advance()) {
                    items.add(cursor.bytes());
                }
                batches("RPUSH", key, items, 1);
            }
            case SetValue set -> {
                List<byte[]> items = new ArrayList<>();
                for (Iterator<byte[]> it = set.iterator(); it.hasNext(); ) {
                    items.add(it.next());
                }
                batches("SADD", key, items, 1);
            }
            case SortedSetValue zset -> {
                List<byte[]> items = new ArrayList<>();
                zset.forEach(0, false, (member, score) -> {
                    items.add(bytes(Score.format(score)));
                    items.add(member);
                    return true;
                });
                batches("ZADD", key, items, 2);
            }
            case HashValue hash -> {
                List<byte[]> items = new ArrayList<>();
                List<byte[][]> fieldExpiries = new ArrayList<>();
                hash.forEach((field, fieldValue) -> {
                    items.add(field);
                    items.add(fieldValue);
                    long at = hash.expiryOf(field);
                    if (at > 0) {
                        fieldExpiries.add(new byte[][] {bytes("HPEXPIREAT"), key, Effects.bytes(at), bytes("FIELDS"), bytes("1"), field});
                    }
                });
                batches("HSET", key, items, 2);
                fieldExpiries.forEach(encoder::command);
            }
            case StreamValue stream -> stream(key, stream);
            default -> encoder.command(bytes("SET"), key, StringValue.bytes(value));
        }
        if (expiresAt > 0) {
            encoder.command(bytes("PEXPIREAT"), key, Effects.bytes(expiresAt));
        }
        out.write(encoder.buffer(), 0, encoder.length());
    }

    /** Commands named {@code command} on {@code key}, each with up to 64 items of {@code width} arguments. */
    private void batches(String command, byte[] key, List<byte[]> items, int width) {
        int perCommand = ITEMS_PER_COMMAND * width;
        for (int from = 0; from < items.size(); from += perCommand) {
            int to = Math.min(items.size(), from + perCommand);
            byte[][] argv = new byte[2 + to - from][];
            argv[0] = bytes(command);
            argv[1] = key;
            for (int i = from; i < to; i++) {
                argv[2 + i - from] = items.get(i);
            }
            encoder.command(argv);
        }
    }

    /** A stream: its entries, its last ID and counters, its groups with their consumers and pending entries (rewriteStreamObject). */
    private void stream(byte[] key, StreamValue stream) {
        List<StreamValue.Entry> entries = stream.range(StreamId.MIN, StreamId.MAX, false, 0); // 0: no count
        if (entries.isEmpty()) {
            // An empty stream is created by an XADD that MAXLEN 0 trims away at once, as Redis writes it.
            encoder.command(bytes("XADD"), key, bytes("MAXLEN"), bytes("0"), id(stream.lastId()), bytes("x"), bytes("y"));
        }
        for (StreamValue.Entry entry : entries) {
            byte[][] argv = new byte[3 + entry.fieldsAndValues().length][];
            argv[0] = bytes("XADD");
            argv[1] = key;
            argv[2] = id(entry.id());
            System.arraycopy(entry.fieldsAndValues(), 0, argv, 3, entry.fieldsAndValues().length);
            encoder.command(argv);
        }
        encoder.command(bytes("XSETID"), key, id(stream.lastId()), bytes("ENTRIESADDED"), Effects.bytes(stream.entriesAdded()),
                bytes("MAXDELETEDID"), id(stream.maxDeletedId()));
        for (Map.Entry<byte[], StreamValue.ConsumerGroup> named : stream.groups().entrySet()) {
            StreamValue.ConsumerGroup group = named.getValue();
            encoder.command(bytes("XGROUP"), bytes("CREATE"), key, group.name, id(group.lastId), bytes("ENTRIESREAD"),
                    Effects.bytes(group.entriesRead));
            for (StreamValue.Consumer consumer : group.consumers.values()) {
                if (consumer.pel.isEmpty()) {
                    encoder.command(bytes("XGROUP"), bytes("CREATECONSUMER"), key, group.name, consumer.name);
                }
                for (Map.Entry<StreamId, StreamValue.Nack> pending : consumer.pel.entrySet()) {
                    StreamValue.Nack nack = pending.getValue();
                    encoder.command(bytes("XCLAIM"), key, group.name, consumer.name, bytes("0"), id(pending.getKey()),
                            bytes("TIME"), Effects.bytes(nack.deliveryTime), bytes("RETRYCOUNT"), Effects.bytes(nack.deliveryCount),
                            bytes("JUSTID"), bytes("FORCE"));
                }
            }
        }
    }

    private static byte[] id(StreamId id) {
        return bytes(id.toString());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
