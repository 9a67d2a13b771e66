package io.generalbots.ratelimit;

/** Path to endpoint name: {@code /api/NAME} and below. */
final class Endpoints {

    private static final String PREFIX = "/api/";

    private Endpoints() {
    }

    static String of(RateLimitConfig config, String path) {
        if (config == null || path == null || !path.startsWith(PREFIX) || config.endpointCount() == 0) {
            return null;
        }
        String best = null;
        for (String name : config.endpoints().keySet()) {
            int end = PREFIX.length() + name.length();
            if (path.startsWith(name, PREFIX.length()) && (path.length() == end || path.charAt(end) == '/')
                    && (best == null || name.length() > best.length())) {
                best = name;
            }
        }
        return best;
    }
}
