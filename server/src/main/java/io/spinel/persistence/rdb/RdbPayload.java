package io.spinel.persistence.rdb;

import java.util.ArrayList;
import java.util.List;

/**
 * DUMP payloads (and FUNCTION DUMP payloads, below): one RDB object (type byte and value), then the RDB version as 2 bytes
 * little-endian, then the CRC-64 of everything before it, little-endian, as Redis's
 * createDumpPayload and verifyDumpPayload define them. Stateless.
 */
public final class RdbPayload {
    /** The footer: 2 version bytes and 8 checksum bytes. */
    private static final int FOOTER = 10;

    private RdbPayload() {
    }

    /** Why a payload was refused: Redis answers the two with different errors. */
    public enum Problem {
        /** Too short, a version newer than 12, or a wrong checksum. */
        VERSION_OR_CHECKSUM,
        /** The value does not parse, or bytes are left over before the footer. */
        BAD_FORMAT
    }

    /** A refused payload. */
    public static final class InvalidPayload extends Exception {
        private final Problem problem;

        InvalidPayload(Problem problem, String detail) {
            super(detail);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /**
     * Checks the footer of a payload at least {@link #FOOTER} bytes long: a version we read, and
     * the right checksum when {@code verifyChecksum}.
     */
    private static void verifyFooter(byte[] payload, boolean verifyChecksum) throws InvalidPayload {
        int footer = payload.length - FOOTER;
        int version = (payload[footer] & 0xff) | (payload[footer + 1] & 0xff) << 8;
        if (version > RdbFormat.NEWEST_READABLE) {
            throw new InvalidPayload(Problem.VERSION_OR_CHECKSUM, "RDB version " + version);
        }
        long stored = RedisListpack.littleEndian(payload, footer + 2, 8);
        if (verifyChecksum && Crc64.of(payload, 0, footer + 2) != stored) {
            throw new InvalidPayload(Problem.VERSION_OR_CHECKSUM, "checksum");
        }
    }

    /** Appends the footer (RDB version, CRC-64 of everything before it) and returns the payload. */
    private static byte[] withFooter(RdbOutput out, int version) {
        out.writeLittleEndian(version, 2);
        long crc = Crc64.of(out.array(), 0, out.size());
        out.writeLittleEndian(crc, 8);
        return out.toByteArray();
    }

    /**
     * The FUNCTION DUMP payload of libraries with {@code codes}: a FUNCTION2 record (opcode and
     * the code as an RDB string) per library, then the footer, as Redis's functionDumpCommand.
     */
    public static byte[] dumpFunctions(List<byte[]> codes, boolean compress) {
        RdbOutput out = new RdbOutput(64, compress);
        for (byte[] code : codes) {
            out.writeByte(RdbFormat.OPCODE_FUNCTION2);
            out.writeString(code);
        }
        return withFooter(out, RdbFormat.VERSION);
    }

    /**
     * The records of a FUNCTION RESTORE payload: the library codes read, in order, and the error
     * (Redis's text) of the record that stopped the reading, or null when every record parsed.
     * Redis loads each library as it reads it, so a library that fails to load is reported
     * before a damaged record after it.
     */
    public record FunctionPayload(List<byte[]> codes, String error) {
    }

    /**
     * Reads a FUNCTION RESTORE payload. Throws {@link InvalidPayload} for a bad footer. As in
     * Redis, records are read while more than the footer's 10 bytes remain, and a record's
     * string may run into the footer.
     */
    public static FunctionPayload restoreFunctions(byte[] payload, boolean verifyChecksum) throws InvalidPayload {
        if (payload.length < FOOTER) {
            throw new InvalidPayload(Problem.VERSION_OR_CHECKSUM, "payload too short");
        }
        verifyFooter(payload, verifyChecksum);
        RdbInput in = new RdbInput(payload, 0, payload.length);
        List<byte[]> codes = new ArrayList<>();
        while (in.remaining() > FOOTER) {
            int type;
            try {
                type = in.readByte("record type");
            } catch (RdbFormatException e) {
                return new FunctionPayload(codes, "ERR can not read data type");
            }
            if (type == RdbFormat.OPCODE_FUNCTION_PRE_GA) {
                return new FunctionPayload(codes, "ERR Pre-GA function format not supported");
            }
            if (type != RdbFormat.OPCODE_FUNCTION2) {
                return new FunctionPayload(codes, "ERR given type is not a function");
            }
            try {
                codes.add(in.readString("function library"));
            } catch (RdbFormatException e) {
                return new FunctionPayload(codes, "ERR Failed loading library payload");
            }
        }
        return new FunctionPayload(codes, null);
    }

    /** The DUMP payload of {@code value}, stamped with the version it needs (10 or 12). */
    public static byte[] dump(Object value, boolean compress) {
        RdbOutput out = new RdbOutput(64, compress);
        int version = RdbValueWriter.write(out, null, value);
        return withFooter(out, version);
    }

    /**
     * The value of {@code payload}, checked deeply: footer, checksum (when
     * {@code verifyChecksum}), the whole value, nothing left over. Hash fields expired at
     * {@code now} are dropped; a value left empty is {@link Problem#BAD_FORMAT}.
     */
    public static Object restore(byte[] payload, RdbValueReader values, long now, boolean verifyChecksum) throws InvalidPayload {
        if (payload.length < FOOTER + 1) {
            throw new InvalidPayload(Problem.VERSION_OR_CHECKSUM, "payload too short");
        }
        verifyFooter(payload, verifyChecksum);
        int footer = payload.length - FOOTER;
        RdbInput in = new RdbInput(payload, 0, footer);
        try {
            int type = in.readByte("value type");
            if (!RdbValueReader.isValueType(type)) {
                throw in.error("not a value type: " + type);
            }
            Object value = values.read(type, in, now);
            if (value == null) {
                throw in.error("empty value");
            }
            if (in.remaining() != 0) {
                throw in.error(in.remaining() + " bytes after the value");
            }
            return value;
        } catch (RdbFormatException e) {
            throw new InvalidPayload(Problem.BAD_FORMAT, e.getMessage());
        }
    }
}
