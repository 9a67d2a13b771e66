package io.generalbots.cli;

import java.util.List;

import io.generalbots.sharding.ShardAlgorithm;
import io.generalbots.sharding.ShardKeys;
import io.generalbots.sharding.ShardRouter;
import io.generalbots.sharding.ShardRoutingException;
import io.generalbots.sharding.ShardSettings;
import io.generalbots.sharding.ShardStrategy;
import io.generalbots.sharding.ShardStrategyProvider;

/** A shard strategy of this test tree's own, found by ServiceLoader: integer keys by parity. */
public final class EvenOddStrategy implements ShardStrategyProvider {

    @Override
    public String name() {
        return "even-odd";
    }

    @Override
    public ShardRouter router(ShardSettings settings) {
        if (settings.algorithm() != ShardAlgorithm.MODULO) {
            throw new IllegalArgumentException("even-odd routes by parity, so shard-algorithm must be modulo, but was "
                    + settings.algorithm().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new ShardRouter() {
            @Override
            public String route(long key) {
                return (key & 1) == 0 ? "shard-even" : "shard-odd";
            }

            @Override
            public String route(String key) {
                if (!ShardKeys.isInteger(key)) {
                    throw new ShardRoutingException(key, "key \"" + key + "\" is not an integer: even-odd routes integers");
                }
                return route(ShardKeys.parseCanonical(key));
            }

            @Override
            public ShardStrategy strategy() {
                return ShardStrategy.CUSTOM;
            }

            @Override
            public List<String> targets() {
                return List.of("shard-even", "shard-odd");
            }
        };
    }
}
