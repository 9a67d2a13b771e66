package io.generalbots.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gb-scale caddyfile}, its output checked with the real {@code caddy adapt}. */
class CaddyfileCommandIT {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GbScale.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    Path config(String text) throws IOException {
        Path file = dir.resolve("config.csv");
        Files.writeString(file, text);
        return file;
    }

    static String caddy() {
        for (String d : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
            if (Files.isExecutable(Path.of(d, "caddy"))) {
                return d + "/caddy";
            }
        }
        throw new IllegalStateException("caddy is not installed; run scripts/test, which installs it");
    }

    String adapt(String caddyfile, boolean mustPass) throws Exception {
        Path file = dir.resolve("Caddyfile");
        Files.writeString(file, caddyfile);
        Process p = new ProcessBuilder(caddy(), "adapt", "--config", file.toString(), "--adapter", "caddyfile")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        if (mustPass) {
            assertThat(p.exitValue()).as(out + "\n" + caddyfile).isZero();
        } else {
            assertThat(p.exitValue()).isNotZero();
        }
        return out;
    }

    @Test
    void printsAFileCaddyAccepts() throws Exception {
        Path cfg = config("name,value\nscale-proxy-site,bot.example.org\nhealth-interval,15\n");
        Run r = run("caddyfile", cfg.toString(), "--upstreams", "10.0.0.11:8080,10.0.0.12,botserver-3:9000");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("bot.example.org {\n")
                .contains("reverse_proxy 10.0.0.11:8080 10.0.0.12:8080 botserver-3:9000 {")
                .contains("\t\t\tlb_policy round_robin\n").contains("\t\t\tlb_policy cookie\n")
                .contains("\t\t\thealth_interval 15s\n").contains("\tadmin localhost:2019\n")
                .doesNotContain("rate_limit");
        String json = adapt(r.out(), true);
        assertThat(json).contains("\"policy\":\"round_robin\"").contains("\"dial\":\"botserver-3:9000\"");
    }

    @Test
    void rateLimitZonesOnlyWhenAsked() throws Exception {
        Path cfg = config("rate-limit-requests,100\nrate-limit-window,60\nrate-limit-api-auth,10\n");
        Run plain = run("caddyfile", cfg.toString(), "--upstreams", "10.0.0.11:8080");
        assertThat(plain.code()).isZero();
        assertThat(plain.out()).doesNotContain("rate_limit");
        Run limited = run("caddyfile", cfg.toString(), "--upstreams", "10.0.0.11:8080", "--rate-limit");
        assertThat(limited.code()).as(limited.err()).isZero();
        assertThat(limited.out()).contains("\torder rate_limit before basicauth\n")
                .contains("\t\tzone global {\n\t\t\tkey {remote_host}\n\t\t\tevents 100\n\t\t\twindow 1m\n")
                .contains("\t\tzone api-auth {\n\t\t\tmatch {\n\t\t\t\tpath /api/auth /api/auth/*\n");
        assertThat(adapt(limited.out(), false)).contains("rate_limit");   // stock Caddy lacks the plugin
    }

    @Test
    void rateLimitZonesReadTheKeysAsTheLimiterDoes() throws Exception {
        // a window with a unit, valid for the limiter, was refused; rate-limit-enabled,false was ignored
        Run minute = run("caddyfile", config("rate-limit-window,1m\nrate-limit-api-chat,30\n").toString(),
                "--upstreams", "10.0.0.11:8080", "--rate-limit");
        assertThat(minute.code()).as(minute.err()).isZero();
        assertThat(minute.out()).contains("\t\tzone global {\n\t\t\tkey {remote_host}\n\t\t\tevents 100\n\t\t\twindow 1m\n")
                .contains("\t\tzone api-chat {");
        Run off = run("caddyfile", config("rate-limit-enabled,false\n").toString(), "--upstreams", "10.0.0.11:8080",
                "--rate-limit");
        assertThat(off.code()).as(off.err()).isZero();
        assertThat(off.out()).doesNotContain("rate_limit");
        Path bad = config("rate-limit-window,soon\n");
        Run r = run("caddyfile", bad.toString(), "--upstreams", "10.0.0.11:8080", "--rate-limit");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(bad + ":1: rate-limit-window must be ");
    }

    @Test
    void badUpstreamIsUsageErrorExit2() throws Exception {
        Path cfg = config("");
        Run r = run("caddyfile", cfg.toString(), "--upstreams", "10.0.0.11:8080,,x:99999");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("gb-scale caddyfile: --upstreams must be a comma-separated list of HOST:PORT, "
                + "but had \"\" (bad host in \"\")\n");
        Run twice = run("caddyfile", cfg.toString(), "--upstreams", "a:1,a:1");
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).isEqualTo("gb-scale caddyfile: --upstreams must not list an instance twice, but was \"a:1,a:1\"\n");
    }

    @Test
    void missingUpstreamsIsUsageErrorExit2() throws Exception {
        Run r = run("caddyfile", config("").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Missing required option: '--upstreams=HOST:PORT,...'");
    }

    @Test
    void badConfigIsExit2WithFileAndLine() throws Exception {
        Path cfg = config("scale-proxy-admin,0.0.0.0:2019\nscale-proxy-site,bot example\n");
        Run r = run("caddyfile", cfg.toString(), "--upstreams", "10.0.0.11:8080");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(cfg + ":1: scale-proxy-admin must be off or a loopback HOST:PORT (localhost, "
                + "127.0.0.1 or [::1]) so that only this machine can change the proxy (another address needs "
                + "scale-proxy-admin-remote,true), but was \"0.0.0.0:2019\"")
                .contains(cfg + ":2: scale-proxy-site must be a Caddy site address such as bot.example.com, :443 or "
                        + "http://127.0.0.1:8080, but was \"bot example\"");
    }

    @Test
    void valuesCaddyWouldExpandAsPlaceholdersAreRefusedWithKeyAndValue() throws Exception {
        Path cfg = config("health-endpoint,/api/{$ADMIN_TOKEN}\nscale-proxy-cookie-secret,k{$HOME}\n");
        Run r = run("caddyfile", cfg.toString(), "--upstreams", "10.0.0.11:8080");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(cfg + ":1: health-endpoint must be a path without { or } (Caddy expands {...}"
                + " placeholders such as {$VAR} in the Caddyfile it is rendered into), but was \"/api/{$ADMIN_TOKEN}\"\n"
                + cfg + ":2: scale-proxy-cookie-secret must be a text without { or } (Caddy expands {...} placeholders"
                + " such as {$VAR} in the Caddyfile it is rendered into), but was a secret of 8 characters (not shown)\n");
    }

    @Test
    void theFileForwardsOnlyTheAddressCaddySaw() throws Exception {
        Run r = run("caddyfile", config("").toString(), "--upstreams", "10.0.0.11:8080");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().split("\t\t\theader_up -Forwarded\n\t\t\theader_up X-Real-IP \\{remote_host}\n", -1))
                .hasSize(5); // on each of the four reverse_proxy blocks
        assertThat(adapt(r.out(), true)).doesNotContain("header_up");
    }

    @Test
    void adminOffPrintsAWarningCommentAndCheckWarns() throws Exception {
        Path cfg = config("scale-proxy-admin,off\n");
        Run r = run("caddyfile", cfg.toString(), "--upstreams", "10.0.0.11:8080");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();   // warnings are gb-scale check's business
        assertThat(r.out()).contains("\tadmin off\n")
                .contains("# WARNING: admin off: upstreams cannot be changed live, and \"caddy reload\" fails too.");
        adapt(r.out(), true);
        Run check = run("check", cfg.toString());
        assertThat(check.code()).isZero();
        assertThat(check.err()).contains(cfg + ":1: warning: scale-proxy-admin is off: Caddy's admin API is disabled, so "
                + "the proxy's upstreams cannot be changed live (caddy reload needs the admin API too)");
    }

    @Test
    void rateLimitByUserHasNoCaddyEquivalent() throws Exception {
        Path cfg = config("rate-limit-by,user\n");
        Run r = run("caddyfile", cfg.toString(), "--upstreams", "10.0.0.11:8080", "--rate-limit");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(cfg + ":1: rate-limit-by user has no Caddy equivalent (the proxy sees no users or "
                + "bots): use ip or header:NAME, or leave out --rate-limit");
    }
}
