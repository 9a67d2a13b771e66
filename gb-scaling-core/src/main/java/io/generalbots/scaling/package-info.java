/**
 * The foundation every gb-scaling module shares: {@link io.generalbots.scaling.Ticker} (the
 * injectable clock), {@link io.generalbots.scaling.Checks} (the one argument-validation helper,
 * whose messages show the offending value), {@link io.generalbots.scaling.GbScalingException}
 * (the root of every module's runtime failures) and the core's {@code config.csv} keys.
 */
package io.generalbots.scaling;
