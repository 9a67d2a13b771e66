package io.generalbots.balance;

/** The stable 64-bit hashes used for rendezvous hashing (FNV-1a over UTF-16, then the SplitMix64 finalizer). */
final class Hashes {

    private Hashes() {
    }

    /** FNV-1a over the UTF-16 code units (two bytes each, low first): no allocation per hash. */
    static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            h ^= c & 0xff;
            h *= 0x100000001b3L;
            h ^= c >>> 8;
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
