package io.generalbots.sharding;

/** How a hash shard is chosen from a key's 64-bit value ({@code shard-algorithm}). */
public enum ShardAlgorithm {
    /**
     * {@code floorMod(value, count)} for integer keys, {@code remainderUnsigned(hash, count)} for
     * text keys: the seed's {@code 12345 % 4 = 1}. Growing from N to N+1 shards moves about N/(N+1)
     * of the keys.
     */
    MODULO,
    /**
     * Jump consistent hash (Lamping and Veach 2014), the paper's code over the value's 64 bits:
     * growing from N to N+1 shards moves about 1/(N+1) of the keys.
     */
    JUMP
}
