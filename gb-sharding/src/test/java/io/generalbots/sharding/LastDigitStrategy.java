package io.generalbots.sharding;

import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.Mockito.mock;

import java.util.ArrayList;
import java.util.List;

/**
 * A strategy of a test's own, found by ServiceLoader: an integer key goes to
 * {@code shard-((key mod 10) mod shard-count)}. Its router is a Mockito mock delegating to the real
 * one, so that tests verify how the library calls a plug-in.
 */
public final class LastDigitStrategy implements ShardStrategyProvider {

    /** The settings the last router was made of. */
    static volatile ShardSettings lastSettings;

    @Override
    public String name() {
        return "last-digit";
    }

    @Override
    public ShardRouter router(ShardSettings settings) {
        if (settings.count() > 10) {
            throw new IllegalArgumentException("last-digit routes to at most 10 shards, but shard-count was "
                    + settings.count());
        }
        lastSettings = settings;
        return mock(ShardRouter.class, delegatesTo(new Router(settings.count())));
    }

    /** The real router. */
    public static final class Router implements ShardRouter {
        private final int count;

        Router(int count) {
            this.count = count;
        }

        @Override
        public String route(long key) {
            return "shard-" + Math.floorMod(key, 10) % count;
        }

        @Override
        public String route(String key) {
            if (!ShardKeys.isInteger(key)) {
                throw new ShardRoutingException(key, "key \"" + key + "\" is not an integer: last-digit routes integers");
            }
            return route(ShardKeys.parseCanonical(key));
        }

        @Override
        public ShardStrategy strategy() {
            return ShardStrategy.CUSTOM;
        }

        @Override
        public List<String> targets() {
            List<String> targets = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                targets.add("shard-" + i);
            }
            return targets;
        }
    }
}
