package io.generalbots.scaling.health;

import java.util.Locale;

/**
 * The overall status of an instance, as the seed's health JSON reports it in {@code status}.
 * {@link #HEALTHY} and {@link #DEGRADED} are served with HTTP 200 (the instance serves, perhaps
 * through fallbacks), {@link #UNHEALTHY} and {@link #DRAINING} with 503 so that a proxy takes the
 * instance out.
 */
public enum HealthStatus {
    /** Every check is ok. */
    HEALTHY(200),
    /** A check that only degrades failed, or a fallback serves: still serving. */
    DEGRADED(200),
    /** A critical check failed: do not send traffic here. */
    UNHEALTHY(503),
    /**
     * The instance is leaving the cluster: it finishes the requests in flight and takes no new
     * ones (see {@link InstanceState#draining()}), whatever its checks say. Not ready.
     */
    DRAINING(503);

    private final int httpStatus;

    HealthStatus(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /**
     * The word in the JSON: {@code healthy}, {@code degraded}, {@code unhealthy} or {@code draining}.
     *
     * @return the word
     */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The HTTP status to serve the report with: 200, 200, 503, 503.
     *
     * @return the status code
     */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The status of a word, ignoring case.
     *
     * @param word {@code healthy}, {@code degraded}, {@code unhealthy} or {@code draining}
     * @return the status
     * @throws IllegalArgumentException naming the word
     */
    public static HealthStatus ofWord(String word) {
        for (HealthStatus s : values()) {
            if (s.word().equalsIgnoreCase(word)) {
                return s;
            }
        }
        throw new IllegalArgumentException("health status must be one of healthy, degraded, unhealthy, draining, but was "
                + word);
    }

    /**
     * Whether an instance with this status takes requests: {@link #HEALTHY} or {@link #DEGRADED}.
     *
     * @return true when ready
     */
    public boolean ready() {
        return httpStatus == 200;
    }

    /**
     * The worse of two statuses ({@link #DRAINING} is the worst: a draining instance reports
     * draining whatever its checks say).
     *
     * @param other the other status
     * @return the worse one
     */
    public HealthStatus worst(HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
