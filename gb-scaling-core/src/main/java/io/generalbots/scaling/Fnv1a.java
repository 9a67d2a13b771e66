package io.generalbots.scaling;

/**
 * The one stable 64-bit string hash of gb-scaling: FNV-1a 64 over the UTF-8 bytes of the text
 * (a lone surrogate counts as {@code ?}, as {@link String#getBytes(java.nio.charset.Charset)}
 * encodes it), computed without building the byte array. Used for shard keys, the leader-election
 * lock id and rendezvous hashing; never {@link String#hashCode()}, whose value is not specified
 * across JVMs' intent and spreads short keys badly.
 */
public final class Fnv1a {

    /** FNV-1a 64 offset basis. */
    public static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    /** FNV-1a 64 prime. */
    public static final long PRIME = 0x100000001b3L;

    private Fnv1a() {
    }

    /**
     * FNV-1a 64 of the UTF-8 bytes of a text.
     *
     * @param text the text
     * @return the hash
     */
    public static long hash64(CharSequence text) {
        long h = OFFSET_BASIS;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                h = (h ^ c) * PRIME;
            } else if (c < 0x800) {
                h = (h ^ (0xc0 | (c >> 6))) * PRIME;
                h = (h ^ (0x80 | (c & 0x3f))) * PRIME;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                h = (h ^ (0xf0 | (cp >> 18))) * PRIME;
                h = (h ^ (0x80 | ((cp >> 12) & 0x3f))) * PRIME;
                h = (h ^ (0x80 | ((cp >> 6) & 0x3f))) * PRIME;
                h = (h ^ (0x80 | (cp & 0x3f))) * PRIME;
            } else if (Character.isSurrogate(c)) {
                h = (h ^ '?') * PRIME;
            } else {
                h = (h ^ (0xe0 | (c >> 12))) * PRIME;
                h = (h ^ (0x80 | ((c >> 6) & 0x3f))) * PRIME;
                h = (h ^ (0x80 | (c & 0x3f))) * PRIME;
            }
        }
        return h;
    }
}
