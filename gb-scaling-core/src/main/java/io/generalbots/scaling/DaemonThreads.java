package io.generalbots.scaling;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread factory of every component's own threads (API.md, "Time, validation, threads"):
 * daemon threads, so that a library thread never keeps the host's JVM alive, named
 * {@code gb-<component>-<name>} so that a thread dump says whose they are. A component uses the
 * host's {@link ThreadFactory} instead when it is given one.
 * <pre>{@code
 * ThreadFactory threads = host != null ? host : DaemonThreads.named("gb-lb-health-" + name);
 * }</pre>
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /**
     * Daemon threads that all carry one name (for a component that makes one thread at a time).
     *
     * @param name the name
     * @return the factory
     */
    public static ThreadFactory named(String name) {
        Objects.requireNonNull(name, "name");
        return r -> daemon(r, name);
    }

    /**
     * Daemon threads named {@code PREFIX1}, {@code PREFIX2}, … (for a pool).
     *
     * @param prefix the name's prefix, e.g. {@code gb-health-check-}
     * @return the factory
     */
    public static ThreadFactory numbered(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(r, prefix + n.incrementAndGet());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
