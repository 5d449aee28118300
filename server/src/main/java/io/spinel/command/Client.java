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
    /**
     * An out-of-band message (a pub/sub message, a tracking invalidation, a MONITOR line): writes
     * itself into the receiving client's reply stream, on that client's event loop, and may
     * decide there to write nothing (a pub/sub message for a subscription ended meanwhile).
     */
    @FunctionalInterface
    public interface Delivery {
        void write(Client receiver, ReplyWriter reply);
    }

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
         * Hands the client an out-of-band message (a pub/sub message, a tracking invalidation),
         * which writes itself on the client's event loop between replies. Thread-safe; messages
         * given by one thread arrive in the order given. When the client is running a command
         * on this thread (it published to itself), the message is written at once, before that
         * command's reply, as in Redis.
         */
        void deliver(Delivery message);
    }

    /** CLIENT REPLY modes. */
    public enum ReplyMode { ON, OFF, SKIP }

    private final long id;
    private final Connection connection;
    /**
     * Where the client's commands write their replies: the connection's writer, except while a
     * thread other than the event loop runs a blocked client's command ({@link #redirectReplies}).
     */
    private ReplyWriter reply;
    private final long createdMillis;
    private volatile Database db;
    private long aofOffset;
    private volatile String name = "";
    private volatile String libName = "";
    private volatile String libVersion = "";
    private volatile boolean authenticated;
    /*
     * Written on every command by the owner thread, read by others (CLIENT LIST, the idle-timeout
     * sweep) that can use a slightly stale value: plain fields, so the command path pays no fence.
     */
    private long lastInteractionMillis;
    private String lastCommand = "NULL";
    private volatile boolean noEvict;
    private volatile boolean noTouch;
    private ReplyMode replyMode = ReplyMode.ON;
    private volatile Transaction transaction;
    private volatile boolean monitor;
    private final io.spinel.pubsub.Subscriptions subscriptions = new io.spinel.pubsub.Subscriptions();
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

    /**
     * Sends the replies of the client's commands to {@code writer} and returns the writer they
     * went to before. Only for the thread that runs a command of this client while its connection
     * is blocked (the script runner running an EXEC): the connection keeps its own writer for
     * the messages its event loop delivers meanwhile, so no writer is shared between threads.
     */
    public ReplyWriter redirectReplies(ReplyWriter writer) {
        ReplyWriter previous = reply;
        reply = writer;
        return previous;
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
        if (lastCommand != command) { // a repeated command stores nothing: no collector write barrier
            this.lastCommand = command;
        }
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

    /** The AOF offset past this client's last command while the AOF is on (Redis's woff, for WAITAOF). */
    public long aofOffset() {
        return aofOffset;
    }

    public void aofOffset(long offset) {
        this.aofOffset = offset;
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

    /** The client's MULTI/WATCH state, or null when it never used MULTI or WATCH. */
    public Transaction transaction() {
        return transaction;
    }

    /** The client's MULTI/WATCH state, created on first use (MULTI, WATCH). */
    public Transaction transactionState() {
        Transaction tx = transaction;
        if (tx == null) {
            tx = new Transaction(this);
            transaction = tx;
        }
        return tx;
    }

    /** Whether the client is a MONITOR (CLIENT LIST flag O). */
    public boolean monitor() {
        return monitor;
    }

    public void monitor(boolean value) {
        this.monitor = value;
    }

    /** The client's pub/sub subscriptions (changed by the pub/sub registry on the client's event loop). */
    public io.spinel.pubsub.Subscriptions subscriptions() {
        return subscriptions;
    }

    /** Whether the client is subscribed to anything: in RESP2, subscribed mode; its output limits are the pubsub class's. */
    public boolean subscribed() {
        return subscriptions.any();
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
