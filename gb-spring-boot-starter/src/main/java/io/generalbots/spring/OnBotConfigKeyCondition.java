package io.generalbots.spring;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import io.generalbots.scaling.config.BotConfig;

/** The condition of {@link ConditionalOnBotConfigKey}. */
final class OnBotConfigKeyCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnBotConfigKey.class.getName());
        String[] keys = attributes == null ? new String[0] : (String[]) attributes.get("value");
        BotConfig config;
        try {
            config = BotConfigs.load(context.getEnvironment(), context.getResourceLoader());
        } catch (RuntimeException e) {
            return ConditionOutcome.noMatch("the bot's configuration cannot be read: " + e.getMessage());
        }
        for (String key : keys) {
            if (config.entry(key).filter(e -> !e.value().isEmpty()).isPresent()) {
                return ConditionOutcome.match("the bot's configuration sets " + key);
            }
        }
        return ConditionOutcome.noMatch("the bot's configuration sets none of " + String.join(", ", keys));
    }
}
