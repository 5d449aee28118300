package io.spinel.persistence.rdb;

import io.spinel.store.Database;
import io.spinel.store.Keyspace;
import io.spinel.store.SlotHash;
import io.spinel.store.SlotLocks;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One point-in-time RDB snapshot of the keyspace, taken without forking and without stopping
 * the server: the file holds the dataset as it was when {@link #begin} returned, while clients
 * keep reading and writing.
 *
 * <h2>The slot barrier</h2>
 * The hash slot is the unit. {@link #begin} takes every slot lock (so no command is half way
 * through), records each database's size, marks all 16384 slots pending and installs itself as
 * the {@link SlotLocks.Barrier}. From then on, any thread that takes a pending slot's lock
 * (the dispatcher before a command, the expire cycle, SCAN, blocked-client service, the saver
 * itself) first serializes that slot: its keys in every database, into per-database byte
 * chunks kept for the slot. A slot is serialized exactly once and always before anything
 * changes it, so every chunk is the slot as of the start. Read-only commands trigger it too:
 * that covers keys a read expires lazily, at the cost of a read occasionally paying for one
 * slot's serialization. Commands holding every lock (FLUSHALL, SWAPDB, KEYS) serialize all
 * remaining slots as they lock them, before they change anything. Slots the starting thread
 * already held (SAVE inside a transaction) are serialized inside {@link #begin}.
 *
 * <h2>File layout</h2>
 * An RDB file is ordered by database, but the barrier produces slots in any order. The saver
 * ({@link #writeTo}) walks slots in ascending order, locking each (which serializes it if no one
 * has) and taking its chunks: the chunks of the lowest non-empty database go straight to the file
 * after its SELECTDB and RESIZEDB, those of other databases are appended to per-database
 * in-memory buffers written after it. A chunk serialized early by a writer waits in memory until
 * the saver reaches its slot. So with one database (the common case) memory holds only the slots
 * writers got to first; with several, the non-first databases are buffered whole.
 *
 * <h2>Version</h2>
 * The header says 10 (Redis 7.0) unless a value needs 12 (hash field expiry types); that is known
 * only at the end, so the header is then patched and the checksum computed again from the file.
 *
 * <h2>Expiry</h2>
 * Keys already expired at the start are left out; keys that expire during the save are in the
 * file with their expiry, as a forked Redis child writes them.
 *
 * <p>Thread-safe as described: the barrier runs on any thread under the slot's lock; one saver
 * thread calls {@link #writeTo}.
 */
public final class RdbSnapshot implements SlotLocks.Barrier {
    private static final int SLOTS = SlotHash.SLOTS;
    private static final ThreadLocal<RdbOutput> BUFFERS = new ThreadLocal<>();

    private final Keyspace keyspace;
    private final boolean compress;
    private final long startMillis;
    /** Per slot: not yet serialized. Read and written under the slot's lock. */
    private final boolean[] pending = new boolean[SLOTS];
    /** Per slot, per database: the serialized records, waiting for the saver. Under the slot's lock. */
    private final byte[][][] chunks = new byte[SLOTS][][];
    private final long[] sizes;
    private final long[] volatileSizes;
    private final AtomicInteger version = new AtomicInteger(RdbFormat.VERSION);
    private final AtomicLong keysWritten = new AtomicLong();
    private final long keysTotal;
    /** The code of each FUNCTION library when the snapshot began, written before the databases. */
    private final List<byte[]> functions;

    private RdbSnapshot(Keyspace keyspace, boolean compress, long startMillis, List<byte[]> functions) {
        this.keyspace = keyspace;
        this.compress = compress;
        this.functions = List.copyOf(functions);
        this.startMillis = startMillis;
        int databases = keyspace.databaseCount();
        this.sizes = new long[databases];
        this.volatileSizes = new long[databases];
        long total = 0;
        for (int db = 0; db < databases; db++) {
            sizes[db] = keyspace.database(db).size();
            volatileSizes[db] = keyspace.database(db).volatileSize();
            total += sizes[db];
        }
        this.keysTotal = total;
    }

    /**
     * Starts a snapshot of the keyspace and the FUNCTION libraries ({@code functions}: their
     * codes) as they are now and installs its barrier. Takes every slot lock for the time it
     * needs to read the databases' sizes (and the libraries, which change under that lock). Only one snapshot may run at a
     * time (the caller ensures it); {@link #writeTo} must follow, on any thread.
     */
    public static RdbSnapshot begin(Keyspace keyspace, boolean compress, Supplier<List<byte[]>> functions) {
        return begin(keyspace, compress, functions, () -> { });
    }

    /**
     * {@link #begin(Keyspace, boolean, Supplier)}, running {@code atStart} under every slot lock at
     * the moment the snapshot is taken: an AOF rewrite switches to a new incremental file there, so
     * every write lands either in the snapshot or in that file, never both nor neither.
     */
    public static RdbSnapshot begin(Keyspace keyspace, boolean compress, Supplier<List<byte[]>> functions, Runnable atStart) {
        SlotLocks locks = keyspace.locks();
        locks.lockAll();
        try {
            atStart.run();
            RdbSnapshot snapshot = new RdbSnapshot(keyspace, compress, keyspace.clock().millis(), functions.get());
            java.util.Arrays.fill(snapshot.pending, true);
            for (int slot = 0; slot < SLOTS; slot++) {
                if (locks.holdCount(slot) > 1) {
                    snapshot.entered(slot);
                }
            }
            locks.barrier(snapshot);
            return snapshot;
        } finally {
            locks.unlockAll();
        }
    }

    /** Keys in the databases when the snapshot began. */
    public long keysTotal() {
        return keysTotal;
    }

    /** Keys serialized so far. */
    public long keysWritten() {
        return keysWritten.get();
    }

    /** Serializes {@code slot} if it is still pending; runs under the slot's lock. */
    @Override
    public void entered(int slot) {
        if (!pending[slot]) {
            return;
        }
        pending[slot] = false;
        RdbOutput out = BUFFERS.get();
        if (out == null) {
            out = new RdbOutput(1 << 16, compress);
            BUFFERS.set(out);
        }
        byte[][] perDatabase = null;
        int databases = keyspace.databaseCount();
        for (int db = 0; db < databases; db++) {
            if (sizes[db] == 0) {
                continue;
            }
            Database database = keyspace.database(db);
            if (database.sizeOfSlot(slot) == 0) {
                continue;
            }
            out.reset();
            RdbOutput target = out;
            long[] written = {0};
            database.forEachInSlot(slot, (key, value, expiresAt) -> {
                if (expiresAt != 0 && expiresAt <= startMillis) {
                    return;
                }
                if (expiresAt != 0) {
                    target.writeByte(RdbFormat.OPCODE_EXPIRETIME_MS);
                    target.writeLittleEndian(expiresAt, 8);
                }
                int needed = RdbValueWriter.write(target, key, value);
                if (needed > version.get()) {
                    version.accumulateAndGet(needed, Math::max);
                }
                written[0]++;
            });
            if (out.size() > 0) {
                if (perDatabase == null) {
                    perDatabase = new byte[databases][];
                }
                perDatabase[db] = out.toByteArray();
                keysWritten.addAndGet(written[0]);
            }
            if (out.array().length > (1 << 22)) {
                BUFFERS.remove();
                out = new RdbOutput(1 << 16, compress);
                BUFFERS.set(out);
            }
        }
        chunks[slot] = perDatabase;
    }

    /**
     * Writes the snapshot to {@code file}: a temporary file in the same directory, fsynced, then
     * renamed over {@code file}. Walks every slot (serializing the ones nobody reached yet), then
     * removes the barrier. {@code aux} are the AUX fields, in order. On failure the temporary
     * file is deleted and the barrier removed all the same.
     */
    public void writeTo(Path file, Map<String, String> aux, boolean checksum) throws IOException {
        Path temp = file.resolveSibling("temp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().threadId() + ".rdb");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                ChecksumStream out = new ChecksumStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), checksum);
                writeBody(out, aux);
                out.flush();
                if (version.get() != RdbFormat.VERSION) {
                    channel.write(ByteBuffer.wrap(versionDigits(version.get())), 5);
                }
                long crc = 0;
                if (checksum) {
                    crc = version.get() == RdbFormat.VERSION ? out.crc : checksumOf(channel, out.count);
                }
                byte[] trailer = new byte[8];
                for (int i = 0; i < 8; i++) {
                    trailer[i] = (byte) (crc >>> (8 * i));
                }
                out.write(trailer);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        } finally {
            finish();
        }
    }

    /** The serialized file without its checksum, for DEBUG RELOAD and tests: walks every slot too. */
    public byte[] toBytes(Map<String, String> aux) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try {
            ChecksumStream out = new ChecksumStream(bytes, true);
            writeBody(out, aux);
            out.flush();
            byte[] data = bytes.toByteArray();
            if (version.get() != RdbFormat.VERSION) {
                System.arraycopy(versionDigits(version.get()), 0, data, 5, 4);
            }
            long crc = Crc64.of(data, 0, data.length);
            byte[] full = java.util.Arrays.copyOf(data, data.length + 8);
            for (int i = 0; i < 8; i++) {
                full[data.length + i] = (byte) (crc >>> (8 * i));
            }
            return full;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            finish();
        }
    }

    /** Removes the barrier; after a failure, the snapshot is abandoned with whatever it holds. */
    private void finish() {
        keyspace.locks().barrier(null);
    }

    private void writeBody(ChecksumStream out, Map<String, String> aux) throws IOException {
        RdbOutput head = new RdbOutput(256, false);
        head.writeBytes(("REDIS" + new String(versionDigits(RdbFormat.VERSION), StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, String> field : aux.entrySet()) {
            head.writeByte(RdbFormat.OPCODE_AUX);
            head.writeString(field.getKey().getBytes(StandardCharsets.ISO_8859_1));
            head.writeString(field.getValue().getBytes(StandardCharsets.ISO_8859_1));
        }
        RdbOutput libraries = new RdbOutput(256, compress);
        for (byte[] code : functions) {
            libraries.writeByte(RdbFormat.OPCODE_FUNCTION2);
            libraries.writeString(code);
        }
        head.writeBytes(libraries.array(), 0, libraries.size());
        int databases = sizes.length;
        int first = -1;
        for (int db = 0; db < databases && first < 0; db++) {
            if (sizes[db] > 0) {
                first = db;
            }
        }
        if (first >= 0) {
            selectDb(head, first);
        }
        out.write(head.array(), 0, head.size());
        RdbOutput[] later = new RdbOutput[databases];
        SlotLocks locks = keyspace.locks();
        for (int slot = 0; slot < SLOTS; slot++) {
            byte[][] chunk;
            locks.lock(slot);
            try {
                chunk = chunks[slot];
                chunks[slot] = null;
            } finally {
                locks.unlock(slot);
            }
            if (chunk == null) {
                continue;
            }
            for (int db = 0; db < databases; db++) {
                if (chunk[db] == null) {
                    continue;
                }
                if (db == first) {
                    out.write(chunk[db], 0, chunk[db].length);
                } else {
                    if (later[db] == null) {
                        later[db] = new RdbOutput(1 << 16, false);
                        selectDb(later[db], db);
                    }
                    later[db].writeBytes(chunk[db]);
                }
            }
        }
        for (int db = 0; db < databases; db++) {
            if (later[db] != null) {
                out.write(later[db].array(), 0, later[db].size());
            }
        }
        out.write(new byte[] {(byte) RdbFormat.OPCODE_EOF}, 0, 1);
    }

    private void selectDb(RdbOutput out, int db) {
        out.writeByte(RdbFormat.OPCODE_SELECTDB);
        out.writeLength(db);
        out.writeByte(RdbFormat.OPCODE_RESIZEDB);
        out.writeLength(sizes[db]);
        out.writeLength(volatileSizes[db]);
    }

    private static byte[] versionDigits(int version) {
        return String.format("%04d", version).getBytes(StandardCharsets.US_ASCII);
    }

    /** The CRC-64 of the first {@code length} bytes of the file, read back. */
    private static long checksumOf(FileChannel channel, long length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long crc = 0;
        long position = 0;
        while (position < length) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), length - position));
            int read = channel.read(buffer, position);
            if (read <= 0) {
                throw new IOException("short read while checksumming the snapshot");
            }
            crc = Crc64.update(crc, buffer.array(), 0, read);
            position += read;
        }
        return crc;
    }

    /** Makes the rename durable (best effort: not every platform lets a directory be opened). */
    private static void syncDirectory(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // The data itself is synced; only the rename's durability is left to the OS.
        }
    }

    /** An output stream computing the CRC-64 and the byte count of what passes through it. */
    private static final class ChecksumStream extends OutputStream {
        private final OutputStream out;
        private final boolean checksum;
        long crc;
        long count;

        ChecksumStream(OutputStream out, boolean checksum) {
            this.out = out;
            this.checksum = checksum;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            if (checksum) {
                crc = Crc64.update(crc, data, offset, length);
            }
            count += length;
            out.write(data, offset, length);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }
}
