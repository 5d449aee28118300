package io.spinel.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.spinel.command.Client;
import io.spinel.command.Dispatcher;
import io.spinel.command.Errors;
import io.spinel.command.ServerContext;
import io.spinel.resp.ProtocolException;
import io.spinel.resp.ReplyWriter;
import io.spinel.resp.RequestDecoder;
import io.spinel.resp.RequestLimits;
import io.spinel.store.KeyPrefetch;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One client connection on its event loop: accumulates what the client sends, decodes and runs
 * every complete request, and writes all replies of one read batch as one buffer, sent once
 * (pipelining costs one write per batch, not per reply).
 *
 * <h2>Sending</h2>
 * Replies leave after the event loop's pass over its ready sockets, not after each socket's read
 * ({@link PendingFlushes}), as Redis writes every client's replies before it sleeps: a client
 * woken by its first reply would otherwise be woken again for the next one, which on a virtual
 * machine doubled the kernel's time per request. When Netty has nothing queued for the
 * connection, the buffer goes out with one send on the epoll socket and is kept for the next
 * batch ({@link #sendDirectly}); what the socket does not take goes through Netty's outbound
 * queue, and so do the following batches until it drains, so bytes always leave in order.
 *
 * <h2>Back-pressure</h2>
 * When the socket cannot take more (Netty's write-buffer high-water mark), the handler stops
 * reading and stops running buffered requests until the peer drains its replies, so a client
 * that sends without reading cannot make the server buffer without bound. The kernel's socket
 * buffers hold several megabytes of replies before {@link #STOP_READING_BYTES} of unsent replies
 * pile up here, so a pipeline that writes everything before reading (Jedis pipelines) completes
 * as long as its replies fit in those buffers plus this bound (a million SETs do). One whose
 * replies do not, and whose requests also outgrow the buffers, stalls: it waits for the server to
 * read, the server waits for it to read. Redis buffers such replies without limit instead.
 *
 * <h2>Out-of-band messages</h2>
 * Pub/sub messages and keyspace notifications come from other threads (publishers, writers
 * under slot locks, the expire cycle): {@link #deliver} queues them (a lock-free queue, so one
 * thread's messages stay in order) and schedules one task that writes every queued message and
 * flushes, however many arrived meanwhile. A message the client sends itself (it published, or
 * its write fired a notification it listens to) is written at once, before its command's reply,
 * as Redis does. Back-pressure does not apply to them: a subscriber that does not read keeps
 * receiving until the output limit of its class (pubsub) closes it.
 *
 * <h2>Buffers</h2>
 * The input accumulation buffer and the output buffer are owned by this handler and released
 * when the channel closes; a buffer handed to Netty's outbound queue is owned by Netty.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter implements Client.Connection, RequestLimits {
    /** Unsent reply bytes at which the handler stops reading (Netty's high-water mark). */
    static final int STOP_READING_BYTES = 1024 * 1024;
    /** Unsent reply bytes at which it reads again (low-water mark). */
    static final int RESUME_READING_BYTES = 256 * 1024;
    /** Write what a batch produced so far once it grows past this, to bound a single batch. */
    private static final int OUTPUT_CHUNK = 64 * 1024;
    /** Requests decoded ahead of running them, at most; 16 is redis-benchmark's -P 16. */
    private static final int AHEAD = 16;
    /** Argument bytes decoded ahead, at most (the first request is decoded whatever its size). */
    private static final int AHEAD_BYTES = 16 * 1024;
    /** The largest output buffer kept for the next batch once sent; a larger one is freed. */
    private static final int KEPT_OUTPUT_BYTES = 4096;

    private final ServerContext server;
    private final Dispatcher dispatcher;
    private final Log log;
    private ChannelHandlerContext ctx;
    private Client client;
    /**
     * The connection's reply writer, used here rather than {@code client.reply()}, which another
     * thread may redirect while it runs this blocked client's command.
     */
    private ReplyWriter writer;
    private RequestDecoder decoder;
    private ByteBuf input;
    /**
     * Requests decoded from the input but not run yet, {@code ahead[aheadNext..aheadCount)}: a
     * pipeline's requests are decoded a few at a time so that their keys' memory is read ahead of
     * running them ({@link #readAhead}).
     */
    private final byte[][][] ahead = new byte[AHEAD][][];
    private int aheadNext;
    private int aheadCount;
    /**
     * The keys of the requests read ahead, whose lookups are read ahead of running them; made
     * when a read-ahead first collects keys (about 800 bytes that a connection sending only lone
     * short requests, or blocked, does without).
     */
    private KeyPrefetch prefetch;
    /** A protocol error met while reading ahead, answered once the requests before it have run. */
    private ProtocolException aheadError;
    private ByteBuf output;
    /** The connection's socket when it is epoll's, for {@link #sendDirectly}; null otherwise. */
    private io.netty.channel.unix.Socket socket;
    private boolean closing;
    /** When the pending output first passed the soft output limit, 0 while under it. */
    private long softLimitSince;
    /** The pending timeout of a blocked client; non-null exactly while blocked. */
    private io.netty.util.concurrent.Future<?> blockTimeout;
    private static final io.netty.util.concurrent.Future<?> NO_TIMEOUT =
            io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
    /** Out-of-band messages other threads handed over, written by {@link #writeDeliveries} in order. */
    private final java.util.Queue<Client.Delivery> deliveries =
            io.netty.util.internal.PlatformDependent.newMpscQueue();
    /** Whether a {@link #writeDeliveries} task is queued on the event loop. */
    private final java.util.concurrent.atomic.AtomicBoolean deliveryScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    /** Whether one of this client's requests is running (on its event loop). */
    private boolean running;
    /** Whether replies written by {@link #channelReadComplete} wait in {@link PendingFlushes}. */
    private boolean flushPending;

    ClientHandler(ServerContext server, Dispatcher dispatcher, Log log) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.log = log;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel() instanceof io.netty.channel.epoll.EpollSocketChannel epoll) {
            this.socket = (io.netty.channel.unix.Socket) epoll.fd();
        }
        this.decoder = new RequestDecoder(this);
        this.writer = new ReplyWriter(server.stats()::errorReplied);
        this.client = new Client(server.nextClientId(), this, writer, server.keyspace().database(0),
                server.config().requirepass.value().isEmpty(), server.clock().millis());
        server.stats().connectionsReceived.increment();
        if (server.clients().size() >= server.config().maxclients.value()) {
            server.stats().rejectedConnections.increment();
            refuse(Errors.MAX_CLIENTS);
            return;
        }
        if (protectedModeRefuses()) {
            refuse(Errors.PROTECTED_MODE);
            return;
        }
        server.register(client);
        ctx.fireChannelActive();
    }

    private void refuse(String error) {
        closing = true;
        ByteBuf buf = ctx.alloc().buffer();
        buf.writeByte('-').writeCharSequence(error, java.nio.charset.StandardCharsets.ISO_8859_1);
        buf.writeByte('\r').writeByte('\n');
        ctx.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE);
    }

    private boolean protectedModeRefuses() {
        var config = server.config();
        return config.protectedMode.value() && config.requirepass.value().isEmpty() && !isLocal();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        if (closing) {
            data.release();
            return;
        }
        server.stats().netInputBytes.add(data.readableBytes());
        input = input == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), input, data);
        if (input.readableBytes() > server.config().clientQueryBufferLimit.value()) {
            log.warning("Closing client that reached max query buffer length: id=" + client.id());
            close();
            return;
        }
        processInput();
    }

    /** Runs every complete request in the input, unless the socket is backed up. */
    private void processInput() {
        while (!closing && blockTimeout == null) {
            if (aheadNext == aheadCount && !readAhead()) {
                break;
            }
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
                break;
            }
            byte[][] argv = ahead[aheadNext];
            ahead[aheadNext++] = null;
            reply();
            running = true;
            try {
                dispatcher.execute(client, argv);
            } finally {
                running = false;
            }
            if (outputLimitReached()) {
                break;
            }
            if (output != null && output.readableBytes() > OUTPUT_CHUNK) {
                writeOutput(false);
            }
        }
        if (input != null && !input.isReadable()) {
            input.release();
            input = null;
        }
    }

    /**
     * Decodes the next requests of the input into {@link #ahead}: up to {@link #AHEAD} of them
     * and {@link #AHEAD_BYTES} of arguments, stopping after one that is not a command on keys
     * ({@link Dispatcher#prefetch}, which collects their keys), then reads ahead the memory that
     * looking those keys up will touch ({@link KeyPrefetch}). Returns whether it decoded any. A
     * protocol error after decoded requests waits until they have run, as Redis answers the
     * requests before the bad one; with none before it, it is answered here and the connection
     * closes after the reply.
     */
    private boolean readAhead() {
        aheadNext = 0;
        aheadCount = 0;
        if (aheadError == null) {
            long bytes = 0;
            while (aheadCount < AHEAD && bytes < AHEAD_BYTES && input != null && input.isReadable()) {
                byte[][] argv;
                try {
                    argv = decoder.decode(input);
                } catch (ProtocolException e) {
                    aheadError = e;
                    break;
                }
                if (argv == null) {
                    break;
                }
                if (argv.length == 0) {
                    continue;
                }
                ahead[aheadCount++] = argv;
                for (byte[] arg : argv) {
                    bytes += arg.length;
                }
                if (aheadCount == 1 && argv.length <= 4 && !input.isReadable()) {
                    break; // a lone request of up to three arguments (GET, SET, HSET, ZADD...): too few lookups to overlap
                }
                if (prefetch == null) {
                    prefetch = new KeyPrefetch();
                }
                if (!dispatcher.prefetch(client, argv, prefetch)) {
                    break;
                }
            }
        }
        if (aheadCount > 0) {
            if (prefetch != null) {
                prefetch.run(client.db());
            }
            return true;
        }
        if (aheadError != null) {
            reply().error(aheadError.getMessage());
            log.verbose("Protocol error (" + aheadError.getMessage() + ") from client: id=" + client.id());
            aheadError = null;
            closeAfterReply();
        }
        return false;
    }

    /**
     * Whether the pending output passed the client-output-buffer-limit of the client's class
     * (pubsub while subscribed, else normal): the hard limit, or the soft one for longer than its
     * seconds; closes the connection then, as Redis does.
     */
    private boolean outputLimitReached() {
        var limits = server.config().clientOutputBufferLimit.value();
        var limit = client.subscribed() ? limits.pubsub() : limits.normal();
        if (!limit.enabled()) {
            return false;
        }
        long pending = pendingOutputBytes();
        long now = server.clock().millis();
        boolean overSoft = limit.softBytes() > 0 && pending >= limit.softBytes();
        if (!overSoft) {
            softLimitSince = 0;
        } else if (softLimitSince == 0) {
            softLimitSince = now;
        }
        boolean hard = limit.hardBytes() > 0 && pending >= limit.hardBytes();
        if (!hard && !(overSoft && now - softLimitSince > limit.softSeconds() * 1000)) {
            return false;
        }
        log.warning("Client " + io.spinel.command.connection.ClientInfoLine.of(server, client)
                + " scheduled to be closed ASAP for overcoming of output buffer limits.");
        close();
        return true;
    }

    /** The reply writer, aimed at this batch's output buffer (allocated on first use). */
    private ReplyWriter reply() {
        ReplyWriter reply = writer;
        if (output == null) {
            output = ctx.alloc().ioBuffer(256);
            reply.target(output);
        }
        return reply;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (closing) {
            writeOutput(true);
            return;
        }
        if (!flushPending) {
            flushPending = true;
            PendingFlushes pending = PENDING_FLUSHES.get();
            if (pending.handlers.isEmpty()) {
                ctx.executor().execute(pending);
            }
            pending.handlers.add(this);
        }
    }

    /** Sends what the requests of this pass replied, once the event loop's pass is over. */
    private void flushPendingReplies() {
        flushPending = false;
        writeOutput(true);
    }

    /**
     * The connections of one event loop whose replies wait for the end of its pass over the ready
     * sockets: flushed together by a task that runs after the pass, as Redis writes every
     * client's replies before it sleeps.
     */
    private static final class PendingFlushes implements Runnable {
        private final java.util.ArrayList<ClientHandler> handlers = new java.util.ArrayList<>();

        @Override
        public void run() {
            for (int i = 0; i < handlers.size(); i++) {
                handlers.get(i).flushPendingReplies();
            }
            handlers.clear();
        }
    }

    private static final io.netty.util.concurrent.FastThreadLocal<PendingFlushes> PENDING_FLUSHES =
            new io.netty.util.concurrent.FastThreadLocal<>() {
                @Override
                protected PendingFlushes initialValue() {
                    return new PendingFlushes();
                }
            };

    private void writeOutput(boolean flush) {
        server.keyspace().effects().beforeReplies(); // the AOF holds what the replies acknowledge
        if (output != null && output.isReadable()) {
            server.stats().netOutputBytes.add(output.readableBytes());
            if (sendDirectly()) {
                return;
            }
            ByteBuf buf = output;
            output = null;
            writer.target(null);
            if (flush) {
                ctx.writeAndFlush(buf, ctx.voidPromise());
            } else {
                ctx.write(buf, ctx.voidPromise());
            }
        } else if (flush) {
            ctx.flush();
        }
        if (closing && flush) {
            ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Writes the output buffer to the socket with one send, without Netty's outbound queue, when
     * nothing is queued there (so bytes leave in order) and the socket is epoll's. True when all of
     * it left or the connection failed: the buffer is then kept, cleared, for the next batch (one
     * buffer per connection instead of one per batch), unless it has grown past
     * {@link #KEPT_OUTPUT_BYTES}. False leaves the rest to Netty, which waits for the socket.
     */
    private boolean sendDirectly() {
        ByteBuf out = output;
        ChannelOutboundBuffer queued = ctx.channel().unsafe().outboundBuffer();
        if (socket == null || closing || !out.hasMemoryAddress() || queued == null
                || !queued.isEmpty() || queued.totalPendingWriteBytes() != 0) { // written but not yet flushed counts too
            return false;
        }
        try {
            int sent = socket.sendAddress(out.memoryAddress(), out.readerIndex(), out.writerIndex());
            out.skipBytes(sent);
        } catch (java.io.IOException e) {
            exceptionCaught(ctx, e);
            return true;
        }
        if (out.isReadable()) {
            return false;
        }
        if (out.capacity() > KEPT_OUTPUT_BYTES) {
            out.release();
            output = null;
            writer.target(null);
        } else {
            out.clear();
        }
        return true;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !closing) {
            processInput();
            writeOutput(true);
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        if (client != null) {
            server.unregister(client);
        }
        if (input != null) {
            input.release();
            input = null;
        }
        if (output != null) {
            output.release();
            output = null;
        }
        deliveries.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.verbose("Closing client id=" + (client == null ? "?" : client.id()) + ": " + cause);
        close();
    }

    private void close() {
        closing = true;
        ctx.close();
    }

    // Client.Connection

    @Override
    public String remoteAddress() {
        return format(ctx.channel().remoteAddress());
    }

    @Override
    public String localAddress() {
        return format(ctx.channel().localAddress());
    }

    private static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            return host + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    @Override
    public boolean isLocal() {
        SocketAddress address = ctx.channel().remoteAddress();
        return !(address instanceof InetSocketAddress inet) || (inet.getAddress() != null && inet.getAddress().isLoopbackAddress());
    }

    @Override
    public void closeAfterReply() {
        Channel channel = ctx.channel();
        if (channel.eventLoop().inEventLoop()) {
            closing = true;
        } else {
            channel.eventLoop().execute(() -> {
                closing = true;
                writeOutput(true);
            });
        }
    }

    @Override
    public long pendingOutputBytes() {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        long pending = buffer == null ? 0 : buffer.totalPendingWriteBytes();
        ByteBuf out = output;
        return pending + (out == null ? 0 : out.readableBytes());
    }

    @Override
    public int queryBufferBytes() {
        ByteBuf in = input;
        return in == null ? 0 : in.readableBytes();
    }

    @Override
    public void block(long timeoutMillis, java.util.function.Consumer<ReplyWriter> onTimeout) {
        blockTimeout = timeoutMillis <= 0 ? NO_TIMEOUT
                : ctx.executor().schedule(() -> finishBlock(onTimeout), timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void unblock(java.util.function.Consumer<ReplyWriter> reply) {
        // Always a task of its own, even from this loop: the caller may be in the middle of
        // another client's request, which must not run this client's next requests nested.
        ctx.executor().execute(() -> {
            if (blockTimeout != null) {
                blockTimeout.cancel(false);
                finishBlock(reply);
            }
        });
    }

    private void finishBlock(java.util.function.Consumer<ReplyWriter> reply) {
        blockTimeout = null;
        if (closing) {
            return;
        }
        reply.accept(reply());
        if (outputLimitReached()) {
            return;
        }
        writeOutput(true);
        processInput();
        writeOutput(true);
    }

    @Override
    public boolean blocked() {
        return blockTimeout != null;
    }

    @Override
    public void deliver(Client.Delivery message) {
        if (ctx.executor().inEventLoop() && running) {
            ReplyWriter reply = reply();
            for (var earlier = deliveries.poll(); earlier != null; earlier = deliveries.poll()) {
                earlier.write(client, reply);
            }
            message.write(client, reply);
            return;
        }
        deliveries.offer(message);
        if (deliveryScheduled.compareAndSet(false, true)) {
            ctx.executor().execute(this::writeDeliveries);
        }
    }

    /**
     * Writes every message handed over so far and sends them, unless that takes the client past
     * its output limit (a subscriber that does not read is disconnected rather than buffered
     * without bound). Runs on the event loop; a socket that cannot take more does not stop it:
     * messages are never dropped, the limit decides.
     */
    private void writeDeliveries() {
        deliveryScheduled.set(false);
        if (closing) {
            deliveries.clear();
            return;
        }
        ReplyWriter reply = reply();
        for (var message = deliveries.poll(); message != null; message = deliveries.poll()) {
            message.write(client, reply);
        }
        if (!outputLimitReached()) {
            writeOutput(true);
        }
    }

    // RequestLimits

    @Override
    public long maxBulkLength() {
        return server.config().protoMaxBulkLen.value();
    }

    @Override
    public boolean authRequired() {
        return server.authRequired(client);
    }

}
