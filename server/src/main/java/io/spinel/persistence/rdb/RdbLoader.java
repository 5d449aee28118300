package io.spinel.persistence.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a whole RDB file (versions 6 to 12) held in memory and hands every live key to a
 * {@link Sink}: header, AUX fields, SELECTDB, RESIZEDB, expiry opcodes (seconds and ms), IDLE and
 * FREQ, the values ({@link RdbValueReader}), EOF and the CRC-64 trailer (0 means "not computed",
 * as Redis writes with rdbchecksum off).
 *
 * <h2>What is refused or skipped</h2>
 * Module values and module AUX data are refused (Spinel loads no modules). FUNCTION2 records (Lua
 * libraries, Redis 7.0+) are returned in {@link Report#functions} for the caller to load; the
 * pre-release function format is refused, as Redis 7.2 refuses it. Keys already expired are skipped and counted, as a
 * Redis master does; so are collections that read as empty. SLOT_INFO (cluster hints) is skipped.
 *
 * <p>The checksum is verified before the first key reaches the sink, so a damaged file with a
 * checksum never loads half way; in a file without one (trailer 0) a structural error stops the
 * load after the keys before it were passed on, and the caller decides what to keep. Stateless.
 */
public final class RdbLoader {
    private static final byte[] MAGIC = "REDIS".getBytes(StandardCharsets.US_ASCII);

    private RdbLoader() {
    }

    /** Receives the keys of a file. */
    @FunctionalInterface
    public interface Sink {
        /**
         * One key of database {@code db}: its value, expiry in Unix ms (0: none) and the idle
         * seconds of the IDLE opcode (-1: none). Throws to stop loading (a duplicate key).
         */
        void key(int db, byte[] key, Object value, long expiresAt, long idleSeconds) throws RdbFormatException;
    }

    /** What a load did, and the code of each FUNCTION library the file holds, in file order. */
    public record Report(int version, long keysLoaded, long keysExpired, long emptyKeysSkipped, List<byte[]> functions) {
    }

    /**
     * Loads {@code data}: checks the magic, the version and the checksum, then passes every
     * key of a database below {@code databases} to {@code sink}; keys expired at {@code now} are
     * skipped.
     */
    public static Report load(byte[] data, RdbValueReader values, int databases, long now, Sink sink) throws RdbFormatException {
        return load(data, values, databases, now, sink, offset -> { }, true);
    }

    /**
     * {@link #load(byte[], RdbValueReader, int, long, Sink)} that passes its offset in
     * {@code data} to {@code progress} every {@link io.spinel.persistence.LoadingProgress#RECORDS_PER_REPORT}
     * keys, and checks the checksum only when {@code verifyChecksum}.
     */
    public static Report load(byte[] data, RdbValueReader values, int databases, long now, Sink sink,
            java.util.function.LongConsumer progress, boolean verifyChecksum) throws RdbFormatException {
        int version = header(data);
        if (verifyChecksum) {
            verifyChecksum(data, version);
        }
        RdbInput in = new RdbInput(data, 9, data.length);
        long loaded = 0;
        long expired = 0;
        long empty = 0;
        List<byte[]> functions = new ArrayList<>();
        int db = 0;
        long expiresAt = 0;
        long idle = -1;
        while (true) {
            int type = in.readByte("record type");
            switch (type) {
                case RdbFormat.OPCODE_EXPIRETIME_MS -> expiresAt = in.readLittleEndian(8, "expire time");
                case RdbFormat.OPCODE_EXPIRETIME -> expiresAt = in.readLittleEndian(4, "expire time") * 1000;
                case RdbFormat.OPCODE_FREQ -> in.readByte("LFU frequency");
                case RdbFormat.OPCODE_IDLE -> idle = in.readLength("LRU idle time");
                case RdbFormat.OPCODE_SELECTDB -> {
                    long index = in.readLength("database number");
                    if (index >= databases) {
                        throw in.error("database " + index + " out of range (the server has " + databases + " databases)");
                    }
                    db = (int) index;
                }
                case RdbFormat.OPCODE_RESIZEDB -> {
                    in.readLength("database size hint");
                    in.readLength("expires size hint");
                }
                case RdbFormat.OPCODE_SLOT_INFO -> {
                    in.readLength("slot info");
                    in.readLength("slot info");
                    in.readLength("slot info");
                }
                case RdbFormat.OPCODE_AUX -> {
                    in.readString("AUX field name");
                    in.readString("AUX field value");
                }
                case RdbFormat.OPCODE_MODULE_AUX -> throw in.error("module AUX data: Spinel loads no modules");
                case RdbFormat.OPCODE_FUNCTION_PRE_GA -> throw in.error("pre-release function data (Redis 7.0 release candidates)");
                case RdbFormat.OPCODE_FUNCTION2 -> {
                    functions.add(in.readString("function library"));
                }
                case RdbFormat.OPCODE_EOF -> {
                    return new Report(version, loaded, expired, empty, functions);
                }
                default -> {
                    if (!RdbValueReader.isValueType(type)) {
                        throw in.error("unknown record type " + type);
                    }
                    byte[] key = in.readString("key");
                    Object value = values.read(type, in, now);
                    if (value == null) {
                        empty++;
                    } else if (expiresAt != 0 && expiresAt <= now) {
                        expired++;
                    } else {
                        sink.key(db, key, value, expiresAt, idle);
                        loaded++;
                    }
                    expiresAt = 0;
                    idle = -1;
                    if ((loaded + expired + empty) % io.spinel.persistence.LoadingProgress.RECORDS_PER_REPORT == 0) {
                        progress.accept(in.position());
                    }
                }
            }
        }
    }

    /** The version of the header "REDIS" + 4 digits; refuses other magic and versions. */
    static int header(byte[] data) throws RdbFormatException {
        if (data.length < 9) {
            throw new RdbFormatException("file too short for an RDB header (" + data.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (data[i] != MAGIC[i]) {
                throw new RdbFormatException("wrong signature: not an RDB file");
            }
        }
        int version = 0;
        for (int i = 5; i < 9; i++) {
            int digit = data[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new RdbFormatException("bad version digits in the header");
            }
            version = version * 10 + digit;
        }
        if (version < RdbFormat.OLDEST_READABLE || version > RdbFormat.NEWEST_READABLE) {
            throw new RdbFormatException("can't handle RDB format version " + version);
        }
        return version;
    }

    /**
     * Checks the CRC-64 trailer: the last 8 bytes, over everything before them. A file whose
     * trailer is 0 was written without a checksum.
     */
    private static void verifyChecksum(byte[] data, int version) throws RdbFormatException {
        if (data.length < 9 + 1 + 8) {
            throw new RdbFormatException("file too short: no EOF and checksum");
        }
        int at = data.length - 8;
        long stored = RedisListpack.littleEndian(data, at, 8);
        if (stored == 0) {
            return;
        }
        if ((data[at - 1] & 0xff) != RdbFormat.OPCODE_EOF) {
            throw new RdbFormatException("no EOF before the checksum (truncated file?)");
        }
        long computed = Crc64.of(data, 0, at);
        if (computed != stored) {
            throw new RdbFormatException(String.format("wrong RDB checksum expected: (%x) got: (%x)", stored, computed));
        }
    }
}
