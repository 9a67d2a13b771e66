package io.generalbots.benchmarks;

/**
 * Compares the paper's jump-hash step {@code j = (b + 1) * (2^31 / x)} with Guava's form
 * {@code (b + 1) / (x / 2^31)} in every case where they can differ: where {@code (b + 1) * 2^31 / x}
 * is an exact integer (elsewhere the nearest integer is at least {@code 1/x} away, far more than
 * either form's rounding error). Prints how many cases with {@code j < 65,536} truncate differently.
 *
 * <pre>java -cp gb-benchmarks/target/benchmarks.jar io.generalbots.benchmarks.JumpArithmeticCheck</pre>
 */
public final class JumpArithmeticCheck {

    private JumpArithmeticCheck() {
    }

    /**
     * Runs the check.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        long cases = 0;
        long differences = 0;
        String first = null;
        for (int a = 1; a <= 65_536; a++) {                 // a = b + 1
            for (int d = 1; d <= a; d += 2) {                // x = d * 2^k with d an odd divisor of a
                if (a % d != 0) {
                    continue;
                }
                for (int k = 0; k <= 31; k++) {
                    long x = ((long) d) << k;
                    if (x > (1L << 31)) {
                        break;
                    }
                    long paper = (long) (a * (2147483648.0 / (double) x));
                    long guava = (long) (a / (((double) x) / 0x1.0p31));
                    cases++;
                    if (paper != guava && paper < 65_536) {
                        differences++;
                        if (first == null || paper < 300) {
                            first = "b + 1 = " + a + ", (key >>> 33) + 1 = " + x + ": paper j = " + paper
                                    + ", Guava's form " + guava;
                        }
                    }
                }
            }
        }
        System.out.println("exact-integer cases: " + cases + "; j < 65536 truncated differently: " + differences);
        System.out.println("e.g. " + first);
    }
}
