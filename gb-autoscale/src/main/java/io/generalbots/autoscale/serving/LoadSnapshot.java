package io.generalbots.autoscale.serving;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link BotInstance} served in its meter's window (a minute by default) and serves now.
 *
 * @param requestsPerMinute requests answered in the window, scaled to a minute
 * @param errorsPerMinute   of those, answered with 5xx (or with nothing), scaled to a minute
 * @param averageMillis     their average response time, NaN without requests
 * @param p95Millis         their 95th-percentile response time (at most 12.5 % over), NaN without requests
 * @param inFlight          requests being served now
 * @param queueDepth        what the queue-depth supplier says, NaN without one
 * @param state             where the instance is in its drain
 */
public record LoadSnapshot(long requestsPerMinute, long errorsPerMinute, double averageMillis, double p95Millis,
                           long inFlight, double queueDepth, DrainState state) {

    /**
     * The figures of the health report's {@code metrics}, in this order: {@code requests_per_min},
     * {@code errors_per_min}, {@code response_time_ms}, {@code response_time_p95_ms},
     * {@code inflight}, {@code queue_depth} (unknown ones left out).
     *
     * @return field name to value
     */
    public Map<String, Number> toMetrics() {
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("requests_per_min", requestsPerMinute);
        m.put("errors_per_min", errorsPerMinute);
        if (!Double.isNaN(averageMillis)) {
            m.put("response_time_ms", averageMillis);
        }
        if (!Double.isNaN(p95Millis)) {
            m.put("response_time_p95_ms", p95Millis);
        }
        m.put("inflight", inFlight);
        if (!Double.isNaN(queueDepth)) {
            m.put("queue_depth", (long) queueDepth);
        }
        return m;
    }
}
