package io.generalbots.sharding;

/**
 * How a key becomes the 64-bit value that hash routing works on, the same in every language.
 *
 * <ul>
 *   <li>An integer key ({@code long}, {@code int}, or a string in canonical decimal form
 *       {@code -?(0|[1-9][0-9]*)} that fits in 64 bits, e.g. {@code "12345"}) is its own value:
 *       {@code 12345L}, {@code 12345} and {@code "12345"} route the same. {@code "007"} and
 *       {@code "+7"} are not canonical and count as text.</li>
 *   <li>Any other string is hashed with 64-bit FNV-1a over its UTF-8 bytes (offset basis
 *       {@code 0xcbf29ce484222325}, prime {@code 0x100000001b3}; an unpaired surrogate is encoded
 *       as {@code ?}, as {@link String#getBytes} does). Test vectors: {@code ""} &rarr;
 *       {@code 0xcbf29ce484222325}, {@code "a"} &rarr; {@code 0xaf63dc4c8601ec8c},
 *       {@code "foobar"} &rarr; {@code 0x85944171f73967e8}. Never {@link String#hashCode()}.</li>
 * </ul>
 * Nothing here allocates.
 */
public final class ShardKeys {


    private ShardKeys() {
    }

    /**
     * Whether the text is an integer key in canonical form.
     *
     * @param key the key
     * @return true if {@link #parseCanonical} would succeed
     */
    public static boolean isInteger(CharSequence key) {
        int n = key.length();
        int i = n > 0 && key.charAt(0) == '-' ? 1 : 0;
        int digits = n - i;
        if (digits < 1 || digits > 19) {
            return false;
        }
        char first = key.charAt(i);
        if (first == '0') {
            return digits == 1 && i == 0; // "0" is canonical, "-0" and "007" are not
        }
        for (int j = i; j < n; j++) {
            char c = key.charAt(j);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        if (digits < 19) {
            return true;
        }
        // 19 digits: compare with the largest magnitude, without dividing
        String limit = i == 1 ? "9223372036854775808" : "9223372036854775807";
        for (int j = 0; j < 19; j++) {
            char c = key.charAt(i + j);
            char l = limit.charAt(j);
            if (c != l) {
                return c < l;
            }
        }
        return true;
    }

    /**
     * The value of a canonical integer key; call {@link #isInteger} first.
     *
     * @param key a canonical integer
     * @return its value
     */
    public static long parseCanonical(CharSequence key) {
        int n = key.length();
        boolean negative = key.charAt(0) == '-';
        long value = 0;
        for (int j = negative ? 1 : 0; j < n; j++) {
            value = value * 10 - (key.charAt(j) - '0');
        }
        return negative ? value : -value;
    }

    /**
     * The 64-bit value of a key: its integer value if canonical, else its FNV-1a 64 hash.
     *
     * @param key the key
     * @return the value
     */
    public static long value(CharSequence key) {
        return isInteger(key) ? parseCanonical(key) : fnv1a64(key);
    }

    /**
     * FNV-1a 64 over the UTF-8 bytes of the text, without building the byte array.
     *
     * @param text the text
     * @return the hash
     */
    public static long fnv1a64(CharSequence text) {
        return io.generalbots.scaling.Fnv1a.hash64(text);
    }

    /**
     * FNV-1a 64 over bytes.
     *
     * @param bytes the bytes
     * @return the hash
     */
    public static long fnv1a64(byte[] bytes) {
        long h = io.generalbots.scaling.Fnv1a.OFFSET_BASIS;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * io.generalbots.scaling.Fnv1a.PRIME;
        }
        return h;
    }

    /**
     * Jump consistent hash, exactly the code of Lamping and Veach (2014), with the key taken as
     * an unsigned 64-bit number: gives the same buckets as the paper's C++ and as Guava's
     * {@code Hashing.consistentHash(long, int)}.
     *
     * @param key     the key's 64-bit value
     * @param buckets the number of buckets, positive
     * @return the bucket, 0 to buckets - 1
     */
    public static int jump(long key, int buckets) {
        // the paper's loop; j is kept in an int: a double above Integer.MAX_VALUE casts to
        // Integer.MAX_VALUE, which ends the loop exactly where the paper's int64 j would
        int b = -1;
        int j = 0;
        while (j < buckets) {
            b = j;
            key = key * 2862933555777941757L + 1;
            j = (int) ((b + 1) * (2147483648.0 / (double) ((key >>> 33) + 1)));
        }
        return b;
    }
}
