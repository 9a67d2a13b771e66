package io.generalbots.autoscale.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Load traces the policies were not tuned on, generated from a fixed seed (the same traces on
 * every run): random walks, flash spikes over a noisy base, and seasonal cycles with noise, all
 * within what {@code scale-max-instances} 10 can serve at the seed's 70 % (4200 requests/min at 600
 * per instance).
 */
final class TraceGenerator {

    private TraceGenerator() {
    }

    /**
     * The unseen traces: {@code count} of each kind.
     *
     * @param seed  the seed
     * @param count traces per kind
     * @return the traces, named {@code KIND-N}
     */
    static List<LoadTrace> unseen(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LoadTrace> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(randomWalk("random-walk-" + i, random.split(), 360));
            out.add(spikes("spikes-" + i, random.split(), 360));
            out.add(seasonal("seasonal-" + i, random.split(), 720));
        }
        return out;
    }

    /**
     * A geometric random walk: each minute the load moves by a normal step of 1–3 % (the trace's
     * volatility, drawn once), kept within 300..3900 requests/min.
     */
    static LoadTrace randomWalk(String name, SplittableRandom r, int minutes) {
        double volatility = 0.01 + 0.02 * r.nextDouble();
        double[] v = new double[minutes];
        double load = 600 + 2400 * r.nextDouble();
        for (int m = 0; m < minutes; m++) {
            v[m] = Math.rint(load);
            load = Math.max(300, Math.min(3900, load * Math.exp(volatility * gaussian(r))));
        }
        return LoadTrace.of(name, v);
    }

    /**
     * A base of 400–1200 requests/min with 3 % noise and, every 40–100 minutes, a spike to 2–3.5×
     * the base that rises over 1–4 minutes, holds 5–30 minutes and falls over 2–15 minutes.
     */
    static LoadTrace spikes(String name, SplittableRandom r, int minutes) {
        double base = 400 + 800 * r.nextDouble();
        double[] level = new double[minutes];
        java.util.Arrays.fill(level, base);
        int m = 20 + r.nextInt(40);
        while (m < minutes) {
            double peak = Math.min(3900, base * (2 + 1.5 * r.nextDouble()));
            int rise = 1 + r.nextInt(4);
            int hold = 5 + r.nextInt(26);
            int fall = 2 + r.nextInt(14);
            for (int k = 0; k < rise + hold + fall && m + k < minutes; k++) {
                double f = k < rise ? (k + 1.0) / rise : k < rise + hold ? 1 : 1 - (k - rise - hold + 1.0) / (fall + 1);
                level[m + k] = base + (peak - base) * f;
            }
            m += rise + hold + fall + 40 + r.nextInt(61);
        }
        double[] v = new double[minutes];
        for (int i = 0; i < minutes; i++) {
            v[i] = Math.rint(Math.max(0, level[i] * (1 + 0.03 * gaussian(r))));
        }
        return LoadTrace.of(name, v);
    }

    /**
     * A sine cycle of 2–6 hours between a trough of 200–800 and a peak of 2400–3800 requests/min,
     * with 2–6 % noise per minute.
     */
    static LoadTrace seasonal(String name, SplittableRandom r, int minutes) {
        double period = 120 + 240 * r.nextDouble();
        double trough = 200 + 600 * r.nextDouble();
        double peak = 2400 + 1400 * r.nextDouble();
        double noise = 0.02 + 0.04 * r.nextDouble();
        double phase = 2 * Math.PI * r.nextDouble();
        double[] v = new double[minutes];
        for (int m = 0; m < minutes; m++) {
            double level = trough + (peak - trough) * (1 - Math.cos(2 * Math.PI * m / period + phase)) / 2;
            v[m] = Math.rint(Math.max(0, level * (1 + noise * gaussian(r))));
        }
        return LoadTrace.of(name, v);
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
