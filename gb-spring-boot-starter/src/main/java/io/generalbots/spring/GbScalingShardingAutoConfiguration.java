package io.generalbots.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.generalbots.scaling.config.BotConfig;
import io.generalbots.sharding.ShardRouter;
import io.generalbots.sharding.ShardSettings;
import io.generalbots.sharding.ShardedDataSource;

/**
 * Shard routing when the bot's configuration sets {@code shard-strategy}: the {@link ShardRouter} and
 * the {@link ShardedDataSource} (per-shard HikariCP pools opened on first use, under one connection
 * budget), whose credentials are {@code gb.scaling.database.username/password}, else
 * {@code spring.datasource.username/password}. Both back off when the application defines its own.
 */
@AutoConfiguration(after = GbScalingAutoConfiguration.class)
@ConditionalOnProperty(prefix = "gb.scaling", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBotConfigKey("shard-strategy")
public class GbScalingShardingAutoConfiguration {

    /** Creates the configuration. */
    public GbScalingShardingAutoConfiguration() {
    }

    /**
     * The {@code shard-*} settings.
     *
     * @param config the configuration
     * @return the settings
     */
    @Bean
    @ConditionalOnMissingBean
    public ShardSettings gbShardSettings(BotConfig config) {
        return ShardSettings.from(config);
    }

    /**
     * The router of {@code shard-strategy}.
     *
     * @param settings the settings
     * @return the router
     */
    @Bean
    @ConditionalOnMissingBean
    public ShardRouter gbShardRouter(ShardSettings settings) {
        return ShardRouter.of(settings);
    }

    /**
     * The per-shard pools.
     *
     * @param settings    the settings
     * @param properties  the properties
     * @param environment the environment
     * @return the data source
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnClass(name = "com.zaxxer.hikari.HikariConfig")
    public ShardedDataSource gbShardedDataSource(ShardSettings settings, GbScalingProperties properties,
                                                 Environment environment) {
        ShardedDataSource.Builder builder = ShardedDataSource.custom(settings);
        String user = Credentials.user(properties, environment);
        if (user != null) {
            builder.credentials(user, Credentials.password(properties, environment));
        }
        return builder.build();
    }
}
