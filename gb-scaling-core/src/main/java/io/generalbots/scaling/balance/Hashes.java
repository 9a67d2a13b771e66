package io.generalbots.scaling.balance;

import java.nio.charset.StandardCharsets;

/** The stable 64-bit hashes used for rendezvous hashing (FNV-1a, then the SplitMix64 finalizer). */
final class Hashes {

    private Hashes() {
    }

    static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
