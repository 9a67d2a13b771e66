package io.generalbots.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the bot's configuration ({@code gb.scaling.config} or {@code gb.scaling.keys.*}) sets
 * at least one of the keys: e.g. shard routing is configured only when {@code shard-strategy} is given.
 * A configuration that cannot be read does not match (the {@code BotConfig} bean then fails startup
 * with the file's problems).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnBotConfigKeyCondition.class)
public @interface ConditionalOnBotConfigKey {

    /**
     * The keys, any of which must be set.
     *
     * @return config.csv key names
     */
    String[] value();
}
