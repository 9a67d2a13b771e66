package io.generalbots.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.testing.FreePorts;

/**
 * Lines about a shard carry it as an SLF4J key-value pair (slf4j-simple, the test binding, prints
 * pairs as {@code key=value} before the message), besides the {@code [SHARD]} prefix of the text.
 */
class ShardLogTest {

    @Test
    void aShardThatCannotBeCountedIsNamedInTheTextAndAsAKeyValuePair() {
        int closed = FreePorts.find();
        ShardSettings s = ShardSettings.from(BotConfig.parse("test.csv", "shard-strategy,hash\nshard-count,2\n"
                + "shard-url-template,jdbc:postgresql://127.0.0.1:" + closed + "/{database}\nshard-connect-timeout,1\n"));
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (ShardedDataSource shards = ShardedDataSource.custom(s).build()) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            new ShardBalanceMonitor(shards, "messages", 1.5).refresh();
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("shard=shard-0 [shard-0] rows of messages not counted: ")
                .contains("shard=shard-1 [shard-1] rows of messages not counted: ");
    }

    @Test
    void aTenantDatabaseIsAlsoTheTenantPair() {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ShardLogTest.class);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            ShardLog.at(log, org.slf4j.event.Level.INFO, "gb_tenant_acme", true).log("[{}] pool opened", "gb_tenant_acme");
            ShardLog.at(log, org.slf4j.event.Level.DEBUG, "gb_tenant_acme", true).log("not shown: debug is off");
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains(
                "shard=gb_tenant_acme tenant=gb_tenant_acme [gb_tenant_acme] pool opened").doesNotContain("not shown");
    }
}
