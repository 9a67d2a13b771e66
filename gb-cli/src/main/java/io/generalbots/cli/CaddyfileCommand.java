package io.generalbots.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

import io.generalbots.balance.ProxySettings;
import io.generalbots.balance.caddy.Caddyfile;
import io.generalbots.balance.caddy.RateLimitZone;
import io.generalbots.ratelimit.RateLimitSettings;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.HostAndPort;
import io.generalbots.scaling.health.HealthSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gb-scale caddyfile CONFIG --upstreams HOST:PORT,...}: prints the proxy's Caddyfile for
 * the given instances (health checks, sticky {@code /ws*}, round robin {@code /api/*}, the admin
 * API on loopback), one that {@code caddy adapt} accepts. With {@code --rate-limit}, adds the
 * {@code rate-limit-*} keys as {@code rate_limit} zones (these need Caddy with caddy-ratelimit).
 * Exit 0 ok, 2 bad usage or bad config (nothing printed on stdout).
 */
@Command(name = "caddyfile", mixinStandardHelpOptions = true,
        description = "Print the Caddyfile of the proxy in front of the given botserver instances.")
final class CaddyfileCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "the bot's config.csv")
    Path config;

    @Option(names = "--upstreams", required = true, paramLabel = "HOST:PORT,...",
            description = "the botserver instances, comma-separated (port default: scale-proxy-upstream-port)")
    String upstreams;

    @Option(names = "--rate-limit", description = "add rate_limit zones from the rate-limit-* keys "
            + "(needs Caddy built with the caddy-ratelimit plugin)")
    boolean rateLimit;

    @Override
    public Integer call() {
        BotConfig bot = Configs.loadValid(config, spec);
        if (bot == null) {
            return GbScale.BAD_INPUT;
        }
        ProxySettings proxy = ProxySettings.from(bot);
        List<HostAndPort> list = new ArrayList<>();
        for (String item : upstreams.split(",", -1)) {
            try {
                list.add(HostAndPort.parse(item, proxy.upstreamPort()));
            } catch (IllegalArgumentException e) {
                return usage("--upstreams must be a comma-separated list of HOST:PORT, but had \"" + item.trim()
                        + "\" (" + e.getMessage() + ")");
            }
        }
        if (new LinkedHashSet<>(list).size() != list.size()) {
            return usage("--upstreams must not list an instance twice, but was \"" + upstreams + "\"");
        }
        Caddyfile.Builder file;
        try {
            file = Caddyfile.from(proxy, HealthSettings.from(bot)).upstreams(list);
            if (rateLimit) {
                for (RateLimitZone zone : zones(bot)) {
                    file.rateLimitZone(zone);
                }
            }
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        spec.commandLine().getOut().print(file.build().render());
        return GbScale.OK;
    }

    private int usage(String message) {
        spec.commandLine().getErr().println("gb-scale caddyfile: " + message);
        return GbScale.BAD_INPUT;
    }

    /**
     * The seed's rate-limit keys as caddy-ratelimit zones, read by gb-ratelimit's own
     * {@link RateLimitSettings} (the same validation and units as the limiter: {@code 1m} is a
     * window): {@code global} with {@code rate-limit-requests} events per {@code rate-limit-window}
     * (the plugin's sliding window has no burst, so {@code rate-limit-burst} is not added: the
     * stricter bound), and one zone per {@code rate-limit-api-NAME} over {@code /api/NAME}. None
     * with {@code rate-limit-enabled,false}.
     */
    static List<RateLimitZone> zones(BotConfig bot) {
        RateLimitSettings settings = RateLimitSettings.from(bot);
        if (!settings.enabled()) {
            return List.of();
        }
        String key = switch (settings.by().kind()) {
            case IP -> "{remote_host}";
            case HEADER -> "{http.request.header." + settings.by().header() + "}";
            default -> throw new IllegalArgumentException(where(bot, "rate-limit-by") + "rate-limit-by "
                    + settings.by() + " has no Caddy equivalent (the proxy sees no users or bots): use ip or "
                    + "header:NAME, or leave out --rate-limit");
        };
        List<RateLimitZone> zones = new ArrayList<>();
        zones.add(RateLimitZone.global("global", key, Math.toIntExact(settings.requests()), settings.window()));
        settings.endpoints().forEach((name, requests) -> zones.add(new RateLimitZone("api-" + name,
                List.of("/api/" + name), key, Math.toIntExact(requests), settings.window())));
        return zones;
    }

    private static String where(BotConfig bot, String key) {
        return bot.entry(key).map(e -> bot.source() + ":" + e.line() + ": ").orElse("");
    }
}
