package io.spinel.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.spinel.command.Client;
import io.spinel.command.Dispatcher;
import io.spinel.command.ServerContext;

import io.spinel.config.Config;
import io.spinel.config.ShutdownFlags;
import io.spinel.persistence.Persistence;
import io.spinel.store.Clock;
import io.spinel.store.ExpireCycle;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Spinel server: the network (one Netty event loop per io-thread, epoll where available), the
 * command dispatcher, and the cron that runs the active expire cycle and client timeouts hz times
 * a second. Usable embedded: {@code new SpinelServer(config).start()} then {@link #close()}.
 */
public final class SpinelServer implements AutoCloseable {
    private final Config config;
    private final ServerContext context;
    private final Log log;
    private final Persistence persistence;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private final List<Channel> listeners = new ArrayList<>();
    private ScheduledExecutorService cron;
    private final IdleHeapCompaction idleCompaction = new IdleHeapCompaction();
    private volatile boolean closed;
    /** Whether a SIGTERM or SIGINT is being handled ({@link #signalled}). */
    private final java.util.concurrent.atomic.AtomicBoolean signalled = new java.util.concurrent.atomic.AtomicBoolean();

    public SpinelServer(Config config) {
        this(config, Clock.SYSTEM);
    }

    public SpinelServer(Config config, Clock clock) {
        this.config = config;
        this.log = new Log(config);
        this.context = new ServerContext(config, clock);
        CommandFamilies.bindAll(context);
        this.persistence = Persistence.of(context);
        persistence.log(log::notice, log::warning);
        context.onUnexpected((command, e) -> {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            log.warning("Unexpected error running " + command + ": " + trace);
        });
        context.onLog((level, message) -> log.log(Log.Level.values()[level], message));
        context.onShutdown(() -> new Thread(this::close, "spinel-shutdown").start());
    }

    public ServerContext context() {
        return context;
    }

    /**
     * SIGTERM or SIGINT ({@code signal} names it): shuts down as SHUTDOWN with the flags of
     * shutdown-on-sigterm or shutdown-on-sigint does ({@link ServerContext#saveBeforeShutdown}),
     * staying up when the final save fails unless the flags say force. A second SIGINT while the
     * first is handled exits at once.
     */
    public void signalled(String signal) {
        if (!signalled.compareAndSet(false, true)) {
            if (signal.equals("SIGINT")) {
                log.warning("You insist... exiting now.");
                Runtime.getRuntime().halt(1);
            }
            return;
        }
        log.warning("Received " + signal + " scheduling shutdown...");
        int flags = (signal.equals("SIGINT") ? config.shutdownOnSigint : config.shutdownOnSigterm).value();
        if (!context.saveBeforeShutdown((flags & ShutdownFlags.SAVE) != 0, (flags & ShutdownFlags.NOSAVE) != 0,
                (flags & ShutdownFlags.FORCE) != 0)) {
            log.warning("Errors trying to shut down the server. Check the logs for more information.");
            signalled.set(false);
            return;
        }
        log.warning("Spinel is now ready to exit, bye bye...");
        context.shutdown();
    }

    public Log log() {
        return log;
    }

    public Persistence persistence() {
        return persistence;
    }

    /**
     * Binds the listening sockets, loads the AOF or dir/dbfilename and starts the cron; returns
     * once the dataset is loaded and served. As in Redis, clients may connect during the load and
     * get -LOADING for every command without the loading flag (INFO shows the progress). A file
     * that does not load closes the listeners and throws.
     */
    public SpinelServer start() throws InterruptedException {
        context.applyOomScoreAdj();
        persistence.beginLoading();
        boolean epoll = Epoll.isAvailable();
        // The acceptor's loop sleeps as soon as it has nothing to do; the clients' loops poll first.
        IoHandlerFactory acceptorIo = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        IoHandlerFactory clientIo = BusyPoll.handlers(config.ioBusyPoll, epoll
                ? strategy -> EpollIoHandler.newFactory(0, strategy)
                : strategy -> NioIoHandler.newFactory(SelectorProvider.provider(), strategy));
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, acceptorIo);
        workerGroup = new MultiThreadIoEventLoopGroup(config.ioThreads.intValue(), new EventLoopThreads(), clientIo);
        Dispatcher dispatcher = new Dispatcher(context);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 511)
                .option(ChannelOption.SO_REUSEADDR, true)
                // Netty 4.2's default (adaptive) allocator keeps the chunks a burst needed: ~11 MB
                // after a pipelined load of 1M commands on one connection, never given back. The
                // pooled allocator frees a chunk once it empties, so after the burst only each
                // event loop's current chunk stays (docs/benchmarks.md, Streams: memory per entry).
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, config.tcpKeepalive.value() > 0)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(ClientHandler.RESUME_READING_BYTES, ClientHandler.STOP_READING_BYTES))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new ClientHandler(context, dispatcher, log));
                    }
                });
        int port = config.port.intValue();
        for (String address : bindAddresses()) {
            try {
                listeners.add(bootstrap.bind(new InetSocketAddress(address, port)).sync().channel());
                port = port(); // with port 0, every address listens on the port the first one got
            } catch (Exception e) {
                if (!address.equals("::")) {
                    close();
                    throw new IllegalStateException("Could not create server TCP listening socket " + address + ":" + port + ": " + e.getMessage(), e);
                }
                log.verbose("Skipping IPv6 listener: " + e.getMessage());
            }
        }
        try {
            persistence.loadAtStartup();
        } catch (java.io.IOException | io.spinel.persistence.rdb.RdbFormatException e) {
            log.warning("Fatal error loading the DB: " + e.getMessage() + ". Exiting.");
            close();
            throw new IllegalStateException("Fatal error loading the DB: " + e.getMessage(), e);
        }
        if (closed) {
            return this; // SHUTDOWN during the load
        }
        cron = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spinel-cron");
            t.setDaemon(true);
            return t;
        });
        scheduleCron();
        log.notice("Server initialized (" + (epoll ? "epoll" : "nio") + ", " + config.ioThreads.intValue() + " event loops)");
        log.notice("Ready to accept connections tcp");
        return this;
    }

    /** The addresses of the bind setting; "*" is every IPv4 address, "::" every IPv6 one, a leading "-" makes one optional. */
    private List<String> bindAddresses() {
        List<String> out = new ArrayList<>();
        for (String word : config.bind.value().trim().split("\\s+")) {
            String address = word.startsWith("-") ? word.substring(1) : word;
            out.add(switch (address) {
                case "*" -> "0.0.0.0";
                case "::*" -> "::";
                default -> address;
            });
        }
        return out;
    }

    private void scheduleCron() {
        long periodMicros = 1_000_000L / Math.max(1, config.hz.value());
        cron.schedule(() -> {
            try {
                context.keyspace().tick(); // the cached clock, which commands read, keeps time even when paused
                if (context.cronPaused()) { // DEBUG PAUSE-CRON: no expire cycle, timeouts, saves, samples
                    return;
                }
                context.expireCycle().run((int) Math.max(1, config.hz.value()), (int) config.activeExpireEffort.value());
                context.blocking().serveReady(); // clients blocked on keys the cycle reclaimed
                if (context.expireCycle().backlog()) {
                    scheduleFastExpiry(System.nanoTime() + periodMicros * 1000);
                }
                ClientTimeouts.closeIdle(context);
                context.tracking().limitTable(config.trackingTableMaxKeys.value());
                persistence.cron();
                context.aofWaiters().fsynced(context.snapshots().aofFsyncedOffset(), context.blocking());
                long commands = context.stats().commandsProcessed.sum();
                context.keyspace().clientBytes(clientBuffers());
                context.diagnostics().sample(context.clock().millis(), commands, context.keyspace().usedMemory());
                if (idleCompaction.tick(commands, System.nanoTime())) {
                    log.verbose("Idle: heap compacted to give memory back");
                }
            } catch (RuntimeException e) {
                log.warning("cron: " + e);
            } finally {
                if (!closed) {
                    scheduleCron();
                }
            }
        }, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** The bytes held now in every client's query buffer and pending output, for used_memory. */
    private long clientBuffers() {
        long total = 0;
        for (Client client : context.clients()) {
            total += client.connection().pendingOutputBytes() + client.connection().queryBufferBytes();
        }
        return total;
    }

    /**
     * Schedules fast expire cycles while a backlog remains, each started no sooner than twice
     * its duration after the last (Redis's gap: 2 ms at the default active-expire-effort), until
     * {@code untilNanos} when the next regular cycle takes over. They run on the cron thread, so
     * they never overlap the regular cycle.
     */
    private void scheduleFastExpiry(long untilNanos) {
        int effort = (int) config.activeExpireEffort.value();
        long gapMicros = 2 * ExpireCycle.fastDurationMicros(effort);
        cron.schedule(() -> {
            try {
                context.expireCycle().runFast(effort);
                context.blocking().serveReady();
            } catch (RuntimeException e) {
                log.warning("cron: " + e);
            }
            if (!closed && context.expireCycle().backlog() && System.nanoTime() + (gapMicros + 1000) * 1000 < untilNanos) {
                scheduleFastExpiry(untilNanos);
            }
        }, gapMicros, TimeUnit.MICROSECONDS);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) listeners.get(0).localAddress()).getPort();
    }

    /** Blocks until the server has been closed (SHUTDOWN or {@link #close()}). */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        context.scriptGate().stop();
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        if (cron != null) {
            cron.shutdownNow();
        }
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        persistence.close(); // the AOF is fsynced and closed once no command can append to it
        stopped.countDown();
    }
}
