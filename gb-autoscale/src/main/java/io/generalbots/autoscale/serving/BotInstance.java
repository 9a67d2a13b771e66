package io.generalbots.autoscale.serving;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;

import io.generalbots.scaling.Ticker;
import io.generalbots.scaling.event.EventPublisher;
import io.generalbots.scaling.health.InstanceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance side of auto-scaling: the one object a botserver links in so that it can be
 * scaled. It meters the requests the instance serves (requests per minute, average and p95
 * response time, requests in flight, a queue depth the host supplies) for the health report the
 * scaler reads, and it drains: once {@link #drain()} is called (by the scaler through the control
 * endpoint, or by a shutdown hook) new requests are refused with 503 and {@code Retry-After},
 * readiness fails, and requests in flight finish.
 *
 * <p>It knows no HTTP framework. An adapter (the JDK {@code HttpServer} one in
 * {@code io.generalbots.autoscale.serving.jdk}, a Servlet filter, a Spring one) needs only this:
 * <pre>{@code
 * BotInstance.Ticket ticket = instance.admit();
 * if (ticket == null) {                                   // draining
 *     respond(503, "Retry-After: " + instance.retryAfterSeconds());
 *     return;
 * }
 * try (ticket) {
 *     handle(request);
 *     ticket.end(response.status());
 * }                                                      // a request that throws counts as 500
 * }</pre>
 * plus, for the control endpoint, {@link #mayControl}, {@link #drain()} and {@link #state()};
 * for the health report, {@link io.generalbots.scaling.health.HealthReport#withInstance} with
 * this object (it is an {@link InstanceState}).
 *
 * <p>Health and control requests are not metered and are never refused by the drain.
 *
 * <p>Thread-safe; {@link #admit()} and {@link Ticket#end} take no lock and allocate only the
 * ticket. A request admitted before the drain always finishes; none is admitted after it
 * (the in-flight count is raised before the drain state is read, and the drain sets its state
 * before reading the count).
 */
public final class BotInstance implements InstanceState {

    private static final Logger LOG = LoggerFactory.getLogger(BotInstance.class);
    private static final List<String> FORWARDING_HEADERS =
            List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Real-IP", "Via");
    private static final long REFUSAL_LOG_NANOS = 60_000_000_000L;

    /** The drain state with the ticker reading it began at. */
    private record Phase(DrainState state, long since) {
    }

    private static final Phase SERVING = new Phase(DrainState.SERVING, 0);

    private final InstanceConfig config;
    private final String name;
    private final Ticker ticker;
    private final RequestMeter meter;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicReference<Phase> phase = new AtomicReference<>(SERVING);
    private final EventPublisher<InstanceEvent> events;
    private final byte[] tokenDigest;
    /** Opened once the instance has drained. */
    private final CountDownLatch drained = new CountDownLatch(1);
    private final AtomicLong lastRefusalLog = new AtomicLong(Long.MIN_VALUE);
    private volatile RequestRecorder[] recorders = new RequestRecorder[0];

    /**
     * Told of every ended request; implemented by {@link BotInstanceMetrics}. Runs on the
     * request's thread: must not block or allocate.
     */
    interface RequestRecorder {
        /**
         * One ended request.
         *
         * @param nanos  from admission to the end
         * @param status the status it was answered with
         */
        void ended(long nanos, int status);
    }

    private BotInstance(InstanceConfig config) {
        this.config = config;
        this.name = config.name();
        this.events = EventPublisher.of("instance " + name);
        this.ticker = config.ticker();
        this.meter = new RequestMeter((int) config.meterWindow().getSeconds(), ticker);
        this.tokenDigest = config.controlToken().map(BotInstance::sha256).orElse(null);
    }

    /**
     * An instance with the given configuration.
     *
     * @param config the configuration
     * @return the instance
     */
    public static BotInstance of(InstanceConfig config) {
        return new BotInstance(Objects.requireNonNull(config, "config"));
    }

    /**
     * An instance with the settings of {@code config.csv} ({@code scale-drain-seconds},
     * {@code scale-control-token}) and the other settings at their defaults.
     *
     * @param settings the instance settings
     * @return the instance
     */
    public static BotInstance of(InstanceSettings settings) {
        return of(InstanceConfig.from(settings).build());
    }

    /**
     * The name on log lines and events.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The configuration.
     *
     * @return the configuration
     */
    public InstanceConfig config() {
        return config;
    }

    /**
     * Adds a listener of drain and control events. Listeners are called in the order they were
     * added, on the thread that caused the event; one that throws is logged at WARN and neither
     * the instance nor the other listeners are affected ({@link EventPublisher}).
     *
     * @param listener the listener
     */
    public void addListener(InstanceListener listener) {
        events.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener (once, if it was added more than once).
     *
     * @param listener the listener
     * @return whether it was a listener
     */
    public boolean removeListener(InstanceListener listener) {
        return events.removeListener(Objects.requireNonNull(listener, "listener"));
    }

    // ------------------------------------------------------------------ requests

    /**
     * Admits a request: a ticket to {@link Ticket#end end} when it has been answered, or null when
     * the instance drains (answer 503 with {@code Retry-After: }{@link #retryAfterSeconds()}).
     *
     * @return the ticket, or null
     */
    public Ticket admit() {
        inFlight.incrementAndGet();
        if (phase.get() != SERVING) {
            release();
            return null;
        }
        return new Ticket(this, ticker.read());
    }

    /**
     * Whether the instance drains (or has drained): new requests are refused.
     *
     * @return true from the drain on
     */
    public boolean isDraining() {
        return phase.get() != SERVING;
    }

    @Override
    public boolean draining() {
        return isDraining();
    }

    /**
     * Where the instance is in its drain.
     *
     * @return the state
     */
    public DrainState state() {
        return phase.get().state();
    }

    @Override
    public long inFlight() {
        return inFlight.get();
    }

    /**
     * The {@code Retry-After} value of the 503 a draining instance answers.
     *
     * @return seconds
     */
    public long retryAfterSeconds() {
        return config.retryAfter().getSeconds();
    }

    /**
     * The body every adapter answers a request refused while draining with (503, beside
     * {@code Retry-After}): {@code {"error":"draining","retry_after":N}}.
     *
     * @return JSON text
     */
    public String drainingJson() {
        return "{\"error\":\"draining\",\"retry_after\":" + retryAfterSeconds() + "}";
    }

    /**
     * The body of the control endpoint's answers: {@code {"state":"serving|draining|drained","inflight":N}}.
     *
     * @return JSON text
     */
    public String stateJson() {
        return "{\"state\":\"" + state().word() + "\",\"inflight\":" + inFlight() + "}";
    }

    private void finish(long started, int status) {
        try {
            meter.record(started, status);
            RequestRecorder[] rs = recorders;
            if (rs.length > 0) {
                long took = ticker.read() - started;
                for (RequestRecorder r : rs) {
                    r.ended(took, status);
                }
            }
        } finally {
            release();
        }
    }

    synchronized void addRecorder(RequestRecorder recorder) {
        RequestRecorder[] now = java.util.Arrays.copyOf(recorders, recorders.length + 1);
        now[now.length - 1] = Objects.requireNonNull(recorder, "recorder");
        recorders = now;
    }

    /** The host's queue depth, NaN without a supplier (for the meters). */
    double currentQueueDepth() {
        return queueDepth();
    }

    private void release() {
        if (inFlight.decrementAndGet() == 0 && phase.get().state() == DrainState.DRAINING) {
            finishDrain();
        }
    }

    // ------------------------------------------------------------------ drain

    /**
     * Starts draining: from now on new requests are refused, readiness fails (health
     * {@code draining}, 503), and the requests in flight finish. Idempotent.
     *
     * @return true if this call started the drain, false if it had begun already
     */
    public boolean drain() {
        Phase draining = new Phase(DrainState.DRAINING, ticker.read());
        if (!phase.compareAndSet(SERVING, draining)) {
            return false;
        }
        long now = inFlight.get();
        LOG.info("instance {}: draining, {} request(s) in flight, up to {} s", name, now,
                config.drainTimeout().toSeconds());
        publish(new InstanceEvent.DrainStarted(config.clock().instant(), name, now));
        if (now == 0) {
            finishDrain();
        }
        return true;
    }

    private void finishDrain() {
        Phase current = phase.get();
        if (current.state() != DrainState.DRAINING
                || !phase.compareAndSet(current, new Phase(DrainState.DRAINED, current.since()))) {
            return;
        }
        Duration took = Duration.ofNanos(ticker.read() - current.since());
        LOG.info("instance {}: drained in {} ms", name, took.toMillis());
        publish(new InstanceEvent.Drained(config.clock().instant(), name, took));
        drained.countDown();
    }

    /**
     * Waits until the instance has drained (no request in flight after {@link #drain()}).
     * Time is the configured ticker's; it is read at least every 10 ms of real time.
     *
     * @param timeout how long to wait at most
     * @return true if drained, false if the time ran out first (or the drain never began)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = ticker.read() + timeout.toNanos();
        while (phase.get().state() != DrainState.DRAINED) {
            long left = deadline - ticker.read();
            if (left <= 0) {
                return false;
            }
            drained.await(Math.max(1, Math.min(10, TimeUnit.NANOSECONDS.toMillis(left))), TimeUnit.MILLISECONDS);
        }
        return true;
    }

    /**
     * Drains and waits for the requests in flight, up to the drain deadline
     * ({@code scale-drain-seconds}): what a shutdown hook calls before stopping the server.
     *
     * @return true if every request in flight finished
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean drainAndAwait() throws InterruptedException {
        drain();
        boolean done = awaitDrained(config.drainTimeout());
        if (!done) {
            LOG.warn("instance {}: {} request(s) still in flight after the drain deadline of {} s", name,
                    inFlight.get(), config.drainTimeout().toSeconds());
        }
        return done;
    }

    // ------------------------------------------------------------------ load

    /**
     * What the instance served in the meter's window, and what it serves now.
     *
     * @return the snapshot
     */
    public LoadSnapshot load() {
        RequestMeter.Window w = meter.window();
        return new LoadSnapshot(w.requestsPerMinute(), w.errorsPerMinute(), w.averageMillis(), w.p95Millis(),
                inFlight.get(), queueDepth(), state());
    }

    private double queueDepth() {
        LongSupplier supplier = config.queueDepth().orElse(null);
        if (supplier == null) {
            return Double.NaN;
        }
        try {
            return supplier.getAsLong();
        } catch (RuntimeException e) {
            LOG.debug("instance {}: queue depth supplier failed: {}", name, e.toString());
            return Double.NaN;
        }
    }

    /**
     * The figures added to the health report's {@code metrics}: {@code requests_per_min},
     * {@code errors_per_min}, {@code response_time_ms} (average), {@code response_time_p95_ms},
     * {@code inflight} and {@code queue_depth}; response times are left out while the window has
     * no request, {@code queue_depth} when no supplier is configured.
     *
     * @return the figures
     */
    @Override
    public Map<String, Number> loadMetrics() {
        return load().toMetrics();
    }

    // ------------------------------------------------------------------ control access

    /**
     * Whether a caller may use the control endpoint. With a {@code scale-control-token}: only with
     * {@code Authorization: Bearer TOKEN} (compared in constant time), from any address. Without
     * one: only from a loopback address and with no proxy header ({@code Forwarded},
     * {@code X-Forwarded-For}, {@code X-Forwarded-Host}, {@code X-Forwarded-Proto},
     * {@code X-Real-IP}, {@code Via}), so that a proxy on the same host (Caddy) does not make
     * strangers look local. A refusal publishes {@link InstanceEvent.ControlRefused} and is logged
     * (at most once a minute at WARN).
     *
     * <p>Behind something that connects from loopback without saying so (an LXD proxy device, a
     * sidecar, an SSH tunnel), loopback proves nothing: configure the token there.
     *
     * @param remote the caller's address as the server saw it (null if unknown)
     * @param header request header by name, case-insensitive; null when absent
     * @return true if allowed
     */
    public boolean mayControl(InetAddress remote, Function<String, String> header) {
        String refusal;
        if (tokenDigest != null) {
            String auth = header.apply("Authorization");
            if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                refusal = "no bearer token";
            } else if (!MessageDigest.isEqual(tokenDigest, sha256(auth.substring(7).strip()))) {
                refusal = "wrong token";
            } else {
                refusal = null;
            }
        } else if (remote == null || !remote.isLoopbackAddress()) {
            refusal = "not loopback and no scale-control-token configured";
        } else {
            refusal = null;
            for (String h : FORWARDING_HEADERS) {
                if (header.apply(h) != null) {
                    refusal = "came through a proxy (" + h + ") and no scale-control-token configured";
                    break;
                }
            }
        }
        if (refusal == null) {
            return true;
        }
        String who = remote == null ? "unknown" : remote.getHostAddress();
        long now = ticker.read();
        long last = lastRefusalLog.get();
        if ((last == Long.MIN_VALUE || now - last >= REFUSAL_LOG_NANOS) && lastRefusalLog.compareAndSet(last, now)) {
            LOG.warn("instance {}: control request from {} refused: {}", name, who, refusal);
        } else {
            LOG.debug("instance {}: control request from {} refused: {}", name, who, refusal);
        }
        publish(new InstanceEvent.ControlRefused(config.clock().instant(), name, who, refusal));
        return false;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void publish(InstanceEvent event) {
        events.publish(event);
    }

    @Override
    public String toString() {
        return "BotInstance[" + name + ", " + state().word() + ", " + inFlight.get() + " in flight]";
    }

    /**
     * One admitted request. {@link #end(int)} it once answered; {@link #close()} ends it as a
     * failure (500) if it was not ended, so that a request that throws still frees its place.
     * Ending twice has no effect. Not tied to a thread: an asynchronous request may end it on
     * another one.
     */
    public static final class Ticket implements AutoCloseable {

        private static final AtomicIntegerFieldUpdater<Ticket> ENDED =
                AtomicIntegerFieldUpdater.newUpdater(Ticket.class, "ended");

        private final BotInstance owner;
        private final long started;
        private volatile int ended;

        private Ticket(BotInstance owner, long started) {
            this.owner = owner;
            this.started = started;
        }

        /**
         * The ticker's reading when the request was admitted.
         *
         * @return nanoseconds
         */
        public long started() {
            return started;
        }

        /**
         * Ends the request: it is metered with its status and leaves the in-flight count.
         *
         * @param status the HTTP status it was answered with (5xx or below 100 count as errors)
         */
        public void end(int status) {
            if (ENDED.compareAndSet(this, 0, 1)) {
                owner.finish(started, status);
            }
        }

        /** Ends the request as a failure (500) unless it was ended already. */
        @Override
        public void close() {
            end(500);
        }
    }
}
