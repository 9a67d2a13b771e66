package io.generalbots.examples.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every MeterBinder bound to one Prometheus registry, and the scrape checked against what is
 * written about it: METRICS.md lists exactly the meters there are, and the alerting rules and every
 * dashboard panel read only meters that exist.
 */
class MetricsCatalogueTest {

    private static final List<String> OURS = List.of("gb_", "resilience4j_", "hikaricp_");
    private static final List<String> SUFFIXES = List.of("_count", "_sum", "_max", "_bucket");

    private static Catalogue catalogue;
    private static String scrape;
    private static Set<String> samples;

    @BeforeAll
    static void bindEverything() {
        catalogue = new Catalogue();
        scrape = catalogue.registry.scrape();
        samples = Catalogue.sampleNames(scrape);
    }

    @AfterAll
    static void close() throws Exception {
        catalogue.close();
    }

    private static boolean ours(String name) {
        return OURS.stream().anyMatch(name::startsWith);
    }

    /** The first column's names of the meter tables of METRICS.md; a trailing {@code *} is a prefix. */
    private static List<String> documented() {
        List<String> names = new ArrayList<>();
        String text = Monitoring.read(Monitoring.repositoryRoot().resolve("METRICS.md"));
        String meters = text.substring(text.indexOf("## The meters"), text.indexOf("## Prometheus, alerts and dashboard"));
        Matcher m = Pattern.compile("(?m)^\\| `([a-z0-9_]+\\*?)`").matcher(meters);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static boolean scraped(String name) {
        if (name.endsWith("*")) {
            String prefix = name.substring(0, name.length() - 1);
            return samples.stream().anyMatch(s -> s.startsWith(prefix));
        }
        return samples.contains(name) || SUFFIXES.stream().anyMatch(s -> samples.contains(name + s));
    }

    private static boolean isDocumented(String sample, List<String> documented) {
        for (String d : documented) {
            if (d.endsWith("*") ? sample.startsWith(d.substring(0, d.length() - 1))
                    : sample.equals(d) || SUFFIXES.stream().anyMatch(s -> sample.equals(d + s))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void metricsMdListsEveryMeterAndOnlyMetersThatExist() {
        List<String> documented = documented();
        assertThat(documented).hasSizeGreaterThan(40);
        assertThat(documented).filteredOn(d -> !scraped(d)).as("documented in METRICS.md but not published").isEmpty();
        assertThat(samples).filteredOn(MetricsCatalogueTest::ours).filteredOn(s -> !isDocumented(s, documented))
                .as("published but not in METRICS.md").isEmpty();
    }

    @Test
    void alertRulesReadOnlyMetersThatExist() {
        List<String> exprs = Monitoring.ruleExpressions(Monitoring.read(Monitoring.rules()));
        assertThat(exprs).hasSize(Monitoring.alertNames(Monitoring.read(Monitoring.rules())).size());
        Set<String> used = new TreeSet<>();
        exprs.forEach(e -> used.addAll(Monitoring.metricNames(e)));
        assertThat(used).contains("gb_scaling_instances", "gb_scaling_max_instances", "gb_scaling_errors_total",
                "gb_scaling_instance_cpu_usage", "resilience4j_circuitbreaker_state", "gb_ratelimit_fallback_active",
                "gb_shard_imbalance", "gb_shard_hotspot_ratio", "gb_failover_postgres_primary_changes_total",
                "gb_health_status");
        assertThat(used).filteredOn(n -> !samples.contains(n)).as("rule expressions reading unknown meters").isEmpty();
    }

    @Test
    void everyDashboardPanelReadsOnlyMetersThatExist() {
        JsonNode dashboard = Dashboard.json();
        assertThat(dashboard.path("title").asText()).isEqualTo("gb-scaling cluster");
        List<Dashboard.Query> queries = Dashboard.queries();
        assertThat(queries).hasSizeGreaterThan(30);
        List<String> problems = new ArrayList<>();
        Set<String> sections = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                sections.add(panel.path("title").asText());
            } else if (panel.path("targets").isEmpty()) {
                problems.add(panel.path("title").asText() + ": no query");
            }
        }
        for (Dashboard.Query q : queries) {
            Set<String> names = Monitoring.metricNames(q.expr());
            if (names.isEmpty()) {
                problems.add(q.panel() + ": reads no meter: " + q.expr());
            }
            for (String name : names) {
                if (!samples.contains(name)) {
                    problems.add(q.panel() + ": " + name + " is not published (" + q.expr() + ")");
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(sections).containsExactlyInAnyOrder("Instances and load", "Scaling events", "Circuit breakers",
                "Rate limiting", "Health", "Load balancing", "Shard balance", "Failover (PostgreSQL)");
    }

    @Test
    void theNameParserFindsMetricsNotLabelsOrFunctions() {
        assertThat(Monitoring.metricNames("histogram_quantile(0.99, sum by (le, limiter) "
                + "(rate(gb_ratelimit_redis_latency_seconds_bucket{job=~\"$job\",source=\"x y\"}[$__rate_interval])))"))
                .containsExactly("gb_ratelimit_redis_latency_seconds_bucket");
        assertThat(Monitoring.metricNames("gb_scaling_instances >= gb_scaling_max_instances"))
                .containsExactly("gb_scaling_instances", "gb_scaling_max_instances");
        assertThat(Monitoring.metricNames("sum without (state) (resilience4j_circuitbreaker_state{state=~\"open\"}) == 1"))
                .containsExactly("resilience4j_circuitbreaker_state");
    }

    @Test
    void baseUnitsOnlyAndNoTargetLabels() {
        assertThat(samples).filteredOn(MetricsCatalogueTest::ours)
                .filteredOn(s -> s.matches(".*_(milliseconds|millis|ms|percent|per_minute|minutes)(_.*)?"))
                .as("meters in units other than base units").isEmpty();
        assertThat(scrape.lines().filter(l -> !l.startsWith("#") && ours(l))
                .filter(l -> l.matches(".*[{,](instance|job)=.*"))).as("series tagged instance or job").isEmpty();
        // the per-instance and per-upstream tags that replace them
        assertThat(scrape).contains("gb_scaling_instance_cpu_usage{gb_instance=\"bot-1\",scaler=\"bot\"} 0.5")
                .contains("gb_balancer_upstream_active{balancer=\"llm\",upstream=\"127.0.0.1:9\"} 0");
    }
}
