package io.generalbots.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.scaling.config.ConfigException;
import io.generalbots.scaling.config.ConfigProblem;
import io.generalbots.scaling.testing.ManualTicker;
import org.junit.jupiter.api.Test;

/**
 * Every botserver instance links the library in and reads the same {@code config.csv}: with the
 * seed's {@code scale-enabled,true} exactly one of them may scale, never every one by default.
 */
class OneScalerPerClusterTest {

    private static final String REFUSAL = "scale-enabled is true but no leader election is configured, so every "
            + "instance that links the library in would scale and the scaler refuses to start; set "
            + "scale-leader-election to postgres or redis (with scale-leader-url), or to single if this is the only "
            + "instance";

    private final ManualTicker ticker = new ManualTicker();
    private final FakeManager manager = new FakeManager(1);
    private final MetricsSource busy = list -> Map.of();

    private static BotConfig seed(String extra) {
        return BotConfig.parse("config.csv", "scale-enabled,true\nscale-min-instances,1\n" + extra);
    }

    private AutoScaler.Builder scaler(BotConfig config) {
        return AutoScaler.custom(ScalingSettings.from(config), manager, busy).name("botserver-2").ticker(ticker);
    }

    @Test
    void anEnabledScalerWithoutAnElectionRefusesToStart() {
        assertThat(LeaderSettings.NOT_ELECTED).isEqualTo(REFUSAL);
        assertThatThrownBy(() -> scaler(seed("")).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("scaler botserver-2: " + REFUSAL);
        LeaderSettings none = LeaderSettings.from(seed(""));
        assertThat(none.kind()).isEqualTo(LeaderSettings.Kind.NONE);
        assertThatThrownBy(() -> scaler(seed("")).leaderElection(LeaderElection.of(none, "botserver-2", ticker)).build())
                .hasMessage("scaler botserver-2: " + REFUSAL);
        assertThatThrownBy(() -> scaler(seed("scale-leader-election,none\n")).leaderElection(
                LeaderElection.of(LeaderSettings.from(seed("scale-leader-election,none\n")), "n", ticker)).build())
                .hasMessage("scaler botserver-2: " + REFUSAL);
        assertThat(manager.calls).isEmpty();
    }

    @Test
    void checkWarnsAtScaleEnabledsLine() {
        List<ConfigProblem> problems = seed("").validate(false).problems();
        assertThat(problems).extracting(ConfigProblem::toString).contains("config.csv:1: warning: " + REFUSAL);
        assertThat(problems).filteredOn(p -> p.message().equals(REFUSAL)).singleElement()
                .satisfies(p -> assertThat(p.isError()).isFalse());
        assertThat(BotConfig.parse("config.csv", "scale-enabled,false\n").validate(false).problems())
                .extracting(ConfigProblem::message).doesNotContain(REFUSAL);
    }

    @Test
    void aDisabledScalerNeedsNoElection() {
        AutoScaler off = AutoScaler.custom(ScalingSettings.ofDefaults(), manager, busy).build();
        assertThat(off.check()).isEmpty();
    }

    @Test
    void singleSaysThisIsTheOnlyScaler() {
        BotConfig config = seed("scale-leader-election,single\n");
        LeaderSettings single = LeaderSettings.from(config);
        assertThat(single.kind()).isEqualTo(LeaderSettings.Kind.SINGLE);
        assertThat(config.validate(false).problems()).extracting(ConfigProblem::message).doesNotContain(REFUSAL);
        AutoScaler scaler = scaler(config).leaderElection(LeaderElection.of(single, "botserver-1", ticker)).build();
        assertThat(scaler.check()).isPresent();
        assertThat(BotConfig.parse("config.csv", "scale-leader-election,single\nscale-leader-url,redis://r:6379\n")
                .validate(false).problems()).extracting(ConfigProblem::toString)
                .contains("config.csv:2: warning: scale-leader-url has no effect with scale-leader-election single");
    }

    @Test
    void aLeaderUrlAloneChoosesItsElection() {
        assertThat(LeaderSettings.from(seed("scale-leader-url,jdbc:postgresql://db:5432/gb\n")).kind())
                .isEqualTo(LeaderSettings.Kind.POSTGRES);
        LeaderSettings redis = LeaderSettings.from(seed("scale-leader-url,redis://cache:6379\n"));
        assertThat(redis.kind()).isEqualTo(LeaderSettings.Kind.REDIS);
        assertThat(redis.lease()).as("twice the seed's 30 s check interval").isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(LeaderSettings.from(seed("scale-leader-url,rediss://cache:6380\n")).kind())
                .isEqualTo(LeaderSettings.Kind.REDIS);
        assertThat(seed("scale-leader-url,jdbc:postgresql://db:5432/gb\n").validate(false).problems())
                .extracting(ConfigProblem::message).doesNotContain(REFUSAL);
        assertThatThrownBy(() -> LeaderSettings.from(seed("scale-leader-url,etcd://e:2379\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.csv:3: scale-leader-url must be a jdbc:postgresql:, redis:// or "
                        + "rediss:// URL, but was \"etcd://e:2379\"");
    }
}
