package io.generalbots.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.generalbots.balance.caddy.CaddyAdminException;
import io.generalbots.balance.caddy.CaddyUpstreamSync;
import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.config.ConfigProblem;
import io.generalbots.scaling.config.HostAndPort;

class ProxySettingsTest {

    @Test
    void defaults() {
        ProxySettings s = ProxySettings.from(BotConfig.ofDefaults());
        assertThat(s).isEqualTo(new ProxySettings("bot.example.com", null, new HostAndPort("localhost", 2019), 8080,
                Duration.ofSeconds(5), Duration.ofSeconds(30), ""));
    }

    @Test
    void everyBadValueIsReportedTogether() {
        BotConfig config = BotConfig.parse("config.csv", String.join("\n",
                "scale-proxy-site,bot.example.com/x",
                "scale-proxy-admin,10.0.0.5:2019",
                "scale-proxy-upstream-port,0",
                "scale-proxy-try-duration,soon",
                "scale-proxy-bind,0.0.0.0 1"));
        assertThatThrownBy(() -> ProxySettings.from(config)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(ConfigProblem::toString).containsExactly(
                        "config.csv:1: scale-proxy-site must be a Caddy site address such as bot.example.com, :443 or "
                                + "http://127.0.0.1:8080, but was \"bot.example.com/x\"",
                        "config.csv:2: scale-proxy-admin must be off or a loopback HOST:PORT (localhost, 127.0.0.1 or [::1]) "
                                + "so that only this machine can change the proxy (another address needs "
                                + "scale-proxy-admin-remote,true), but was \"10.0.0.5:2019\"",
                        "config.csv:3: scale-proxy-upstream-port must be an integer from 1 to 65535, but was \"0\"",
                        "config.csv:4: scale-proxy-try-duration must be a duration from 0s to 600s (seconds, or a number "
                                + "with ms, s, m or h), but was \"soon\"",
                        "config.csv:5: scale-proxy-bind must be an IP address or host name, but was \"0.0.0.0 1\""));
    }

    @Test
    void adminOffIsAWarningAndTheSyncRefusesWithTheReason() {
        BotConfig config = BotConfig.parse("config.csv", "scale-proxy-admin,off");
        var reader = config.reader();
        ProxySettings s = ProxySettings.read(reader);
        assertThat(s.adminAddress()).isEmpty();
        assertThat(reader.hasErrors()).isFalse();
        assertThat(reader.problems()).extracting(ConfigProblem::toString).containsExactly(
                "config.csv:1: warning: scale-proxy-admin is off: Caddy's admin API is disabled, so the proxy's upstreams "
                        + "cannot be changed live (caddy reload needs the admin API too)");
        CaddyUpstreamSync sync = CaddyUpstreamSync.of(s);
        assertThatThrownBy(() -> sync.setUpstreams(List.of(new HostAndPort("10.0.0.1", 8080))))
                .isInstanceOf(CaddyAdminException.class)
                .hasMessage("scale-proxy-admin is off: Caddy's admin API is disabled, so the proxy's upstreams cannot be "
                        + "changed live (the seed's \"admin off\" also makes \"caddy reload\" fail); set scale-proxy-admin "
                        + "to a loopback address such as localhost:2019");
    }

    @Test
    void syncRefusesANonLoopbackAdmin() {
        assertThatThrownBy(() -> CaddyUpstreamSync.of(new HostAndPort("10.1.1.1", 2019)))
                .hasMessage("admin must be a loopback address (localhost, 127.0.0.1, [::1]; for another one see "
                        + "ofRemote), but was 10.1.1.1:2019");
        assertThatThrownBy(() -> new ProxySettings("bot.example.com", null, new HostAndPort("10.1.1.1", 2019), 8080,
                Duration.ofSeconds(5), Duration.ofSeconds(30), ""))
                .hasMessage("admin must be a loopback address (localhost, 127.0.0.1, [::1]) unless adminRemote is true, "
                        + "but was 10.1.1.1:2019");
    }

    @Test
    void aRemoteAdminNeedsTheExplicitKeyAndIsAWarning() {
        BotConfig config = BotConfig.parse("config.csv", "scale-proxy-admin,10.0.3.2:2019\nscale-proxy-admin-remote,true");
        var reader = config.reader();
        ProxySettings s = ProxySettings.read(reader);
        assertThat(reader.hasErrors()).isFalse();
        assertThat(s.admin()).isEqualTo(new HostAndPort("10.0.3.2", 2019));
        assertThat(s.adminRemote()).isTrue();
        assertThat(reader.problems()).extracting(ConfigProblem::toString).containsExactly(
                "config.csv:1: warning: scale-proxy-admin 10.0.3.2:2019 is not loopback (scale-proxy-admin-remote,true): "
                        + "Caddy's admin API has no authentication, so every host that reaches this address can "
                        + "reconfigure the proxy; let only the scaler's host reach it (a firewall rule, or an LXD proxy "
                        + "device that brings it to loopback instead)");
        assertThat(CaddyUpstreamSync.of(s).toString()).isEqualTo("CaddyUpstreamSync{10.0.3.2:2019}");
        assertThat(io.generalbots.balance.caddy.Caddyfile.from(s, io.generalbots.scaling.health.HealthSettings.from(
                config)).upstreams(List.of(new HostAndPort("10.0.3.5", 8080))).build().render())
                .contains("\tadmin 10.0.3.2:2019\n")
                .contains("# The admin API listens on 10.0.3.2:2019 (scale-proxy-admin-remote): it has no\n");

        assertThat(ProxySettings.from(BotConfig.parse("config.csv", "scale-proxy-admin-remote,false")).adminRemote())
                .isFalse();
        assertThatThrownBy(() -> ProxySettings.from(BotConfig.parse("config.csv", "scale-proxy-admin-remote,maybe")))
                .hasMessageContaining("config.csv:1: scale-proxy-admin-remote must be true or false, but was \"maybe\"");
    }

    @Test
    void siteAddresses() {
        assertThat(List.of("bot.example.com", ":443", "http://127.0.0.1:8080", "*.example.com", "localhost", "[::1]:8443"))
                .allMatch(ProxySettings::isSiteAddress);
        assertThat(List.of("", "http://", "bot example", "a{b}", "bot.example.com/x", "-bad.com"))
                .noneMatch(ProxySettings::isSiteAddress);
    }
}
