package io.generalbots.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded HTTP load generator on loopback: a fixed number of client threads send
 * {@code GET target} at a total rate that the test changes while it runs; it stops by itself after
 * {@code maxDuration} or {@code maxRequests}, whichever comes first. Every answer other than 200
 * and every I/O error counts as a failed request, with what happened and when.
 */
final class LoadGenerator implements AutoCloseable {

    private final URI target;
    private final HttpClient http;
    private final List<Thread> threads = new ArrayList<>();
    private final long started = System.nanoTime();
    private final long deadline;
    private final long maxRequests;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong schedule = new AtomicLong(System.nanoTime());
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicIntegerArray perSecond =
            new java.util.concurrent.atomic.AtomicIntegerArray(600);
    private volatile double ratePerSecond;
    private volatile boolean stopped;

    /**
     * Starts the threads at the given rate.
     *
     * @param target        the URL every request goes to
     * @param threads       client threads
     * @param ratePerSecond total requests per second to start with
     * @param maxDuration   when it stops at the latest
     * @param maxRequests   how many requests it sends at most
     */
    LoadGenerator(URI target, int threads, double ratePerSecond, Duration maxDuration, long maxRequests) {
        this.target = Objects.requireNonNull(target, "target");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.ratePerSecond = ratePerSecond;
        this.deadline = started + maxDuration.toNanos();
        this.maxRequests = maxRequests;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::run, "load-" + i);
            t.setDaemon(true);
            this.threads.add(t);
            t.start();
        }
    }

    /**
     * Changes the total rate.
     *
     * @param perSecond requests per second over all threads
     */
    void rate(double perSecond) {
        this.ratePerSecond = perSecond;
    }

    /**
     * Each thread takes the next send time from one shared schedule, {@code 1 / rate} apart, so the
     * requests are spread evenly whatever the number of threads; a schedule that fell behind (slow
     * answers) restarts from now instead of bursting to catch up.
     */
    private void run() {
        while (!stopped && System.nanoTime() - deadline < 0) {
            long slot = schedule.getAndUpdate(prev -> Math.max(prev, System.nanoTime() - 1_000_000_000L)
                    + (long) (1e9 / ratePerSecond));
            long wait = slot - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (stopped || sent.incrementAndGet() > maxRequests) {
                return;
            }
            send();
        }
    }

    private void send() {
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                ok.incrementAndGet();
                int second = (int) ((System.nanoTime() - started) / 1_000_000_000L);
                if (second < perSecond.length()) {
                    perSecond.incrementAndGet(second);
                }
            } else {
                fail(r.statusCode() + " " + r.body().strip());
            }
        } catch (IOException e) {
            fail(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fail(String what) {
        failed.incrementAndGet();
        if (failures.size() < 100) {
            failures.add(String.format("at %.1f s: %s", (System.nanoTime() - started) / 1e9, what));
        }
    }

    /**
     * Requests answered 200.
     *
     * @return the count
     */
    long ok() {
        return ok.get();
    }

    /**
     * Requests that failed.
     *
     * @return the count
     */
    long failed() {
        return failed.get();
    }

    /**
     * The failed requests (the first 100), each with its time and what happened.
     *
     * @return the failures
     */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /**
     * Requests answered 200 in each second since the start, up to the last non-zero one.
     *
     * @return the counts
     */
    List<Integer> okPerSecond() {
        List<Integer> out = new ArrayList<>();
        int last = 0;
        for (int i = 0; i < perSecond.length(); i++) {
            out.add(perSecond.get(i));
            if (perSecond.get(i) > 0) {
                last = i;
            }
        }
        return out.subList(0, last + 1);
    }

    /** Stops the threads and waits for them (at most the request timeout). */
    @Override
    public void close() {
        stopped = true;
        for (Thread t : threads) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
