package io.generalbots.balance;

/** The stable 64-bit hashes used for rendezvous hashing (core's FNV-1a, then the SplitMix64 finalizer). */
final class Hashes {

    private Hashes() {
    }

    static long fnv1a64(String s) {
        return io.generalbots.scaling.Fnv1a.hash64(s);
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
