package io.spinel.command;

import io.spinel.resp.ReplyWriter;
import io.spinel.store.Database;

/**
 * The state of one client connection: selected database, protocol, name, authentication, and
 * the reply writer its commands write to.
 *
 * <p>Owned by the connection's event loop thread, which is the only one that changes it. Other
 * threads (CLIENT LIST, CLIENT KILL, the idle-timeout sweep) read the fields marked volatile and
 * close the connection through {@link Connection#closeAfterReply}, which is thread-safe.
 */
public final class Client {
    /** What the server side of a connection offers to commands. */
    public interface Connection {
        /** "ip:port" of the peer. */
        String remoteAddress();

        /** "ip:port" of our end. */
        String localAddress();

        /** Whether the peer is on the loopback interface (protected mode, enable-debug-command local). */
        boolean isLocal();

        /** Closes the connection after what was written so far has been flushed. Thread-safe. */
        void closeAfterReply();

        /** Bytes of replies written but not yet sent. */
        long pendingOutputBytes();

        /** Bytes received but not yet parsed into commands. */
        int queryBufferBytes();

        /**
         * Blocks this client (call on its event loop, from a handler): requests it already sent or
         * sends later wait until {@link #unblock} runs. After {@code timeoutMillis} (0: never)
         * {@code onTimeout} runs on the event loop, with the reply writer ready, and the client
         * is unblocked.
         */
        void block(long timeoutMillis, java.util.function.Consumer<ReplyWriter> onTimeout);

        /**
         * Unblocks the client, first running {@code reply} on its event loop to write the reply
         * of the blocked command. Thread-safe; does nothing when the client is not blocked.
         */
        void unblock(java.util.function.Consumer<ReplyWriter> reply);

        /** Whether the client is blocked. */
        boolean blocked();

        /**
         * Sends the client a message that answers no request of its own (an invalidation, a
         * published message): runs {@code message} on the client's event loop with the reply
         * writer ready, after the request it may be running, and flushes. Thread-safe.
         */
        void push(java.util.function.Consumer<ReplyWriter> message);
    }

    /** CLIENT REPLY modes. */
    public enum ReplyMode { ON, OFF, SKIP }

    private final long id;
    private final Connection connection;
    private final ReplyWriter reply;
    private final long createdMillis;
    private volatile Database db;
    private volatile String name = "";
    private volatile String libName = "";
    private volatile String libVersion = "";
    private volatile boolean authenticated;
    private volatile long lastInteractionMillis;
    private volatile String lastCommand = "NULL";
    private volatile boolean noEvict;
    private volatile boolean noTouch;
    private ReplyMode replyMode = ReplyMode.ON;
    private volatile Tracking.Settings tracking;
    private boolean trackingCaching;
    private volatile boolean trackingRedirectBroken;
    final KeySpec.KeyPositions keyPositions = new KeySpec.KeyPositions();
    int[] lockedSlots = new int[8];

    public Client(long id, Connection connection, ReplyWriter reply, Database db, boolean authenticated, long nowMillis) {
        this.id = id;
        this.connection = connection;
        this.reply = reply;
        this.db = db;
        this.authenticated = authenticated;
        this.createdMillis = nowMillis;
        this.lastInteractionMillis = nowMillis;
    }

    public long id() {
        return id;
    }

    public Connection connection() {
        return connection;
    }

    public ReplyWriter reply() {
        return reply;
    }

    public Database db() {
        return db;
    }

    public void select(Database database) {
        this.db = database;
    }

    public String name() {
        return name;
    }

    public void name(String newName) {
        this.name = newName;
    }

    public String libName() {
        return libName;
    }

    public void libName(String value) {
        this.libName = value;
    }

    public String libVersion() {
        return libVersion;
    }

    public void libVersion(String value) {
        this.libVersion = value;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void authenticated(boolean value) {
        this.authenticated = value;
    }

    public long createdMillis() {
        return createdMillis;
    }

    public long lastInteractionMillis() {
        return lastInteractionMillis;
    }

    void interacted(long nowMillis, String command) {
        this.lastInteractionMillis = nowMillis;
        this.lastCommand = command;
    }

    /** The full name of the last command run ("NULL" before the first). */
    public String lastCommand() {
        return lastCommand;
    }

    public boolean noEvict() {
        return noEvict;
    }

    public void noEvict(boolean value) {
        this.noEvict = value;
    }

    public boolean noTouch() {
        return noTouch;
    }

    public void noTouch(boolean value) {
        this.noTouch = value;
    }

    public ReplyMode replyMode() {
        return replyMode;
    }

    public void replyMode(ReplyMode mode) {
        this.replyMode = mode;
    }

    /** The client's CLIENT TRACKING settings, null while tracking is off. */
    public Tracking.Settings tracking() {
        return tracking;
    }

    void tracking(Tracking.Settings settings) {
        this.tracking = settings;
    }

    /** Whether CLIENT CACHING YES (OPTIN) or NO (OPTOUT) applies to the next command. */
    public boolean trackingCaching() {
        return trackingCaching;
    }

    public void trackingCaching(boolean value) {
        this.trackingCaching = value;
    }

    /** Whether the client's tracking redirect target was found gone (TRACKINGINFO broken_redirect). */
    public boolean trackingRedirectBroken() {
        return trackingRedirectBroken;
    }

    void trackingRedirectBroken(boolean value) {
        this.trackingRedirectBroken = value;
    }
}
