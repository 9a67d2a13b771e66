package io.generalbots.examples.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The shipped Grafana dashboard: its panels and their PromQL expressions. */
final class Dashboard {

    /** One query of one panel. */
    record Query(String panel, String expr) {
        /**
         * The expression as Prometheus can run it: Grafana's variables replaced (every job, a
         * one-minute rate window).
         *
         * @return the expression
         */
        String runnable() {
            return expr.replace("$__rate_interval", "1m").replace("\"$job\"", "\".+\"");
        }
    }

    private Dashboard() {
    }

    static JsonNode json() {
        try {
            return new ObjectMapper().readTree(Monitoring.read(Monitoring.dashboard()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (JsonNode panel : json().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(new Query(panel.path("title").asText(), target.path("expr").asText()));
            }
        }
        return out;
    }
}
