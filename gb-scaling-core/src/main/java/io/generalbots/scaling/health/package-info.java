/**
 * The health model shared by the modules: a {@link io.generalbots.scaling.health.HealthCheck}
 * gives a {@link io.generalbots.scaling.health.HealthCheckResult}; a
 * {@link io.generalbots.scaling.health.HealthReport} is the seed's health JSON; the
 * {@code health-*} keys are read into {@link io.generalbots.scaling.health.HealthSettings}.
 */
package io.generalbots.scaling.health;
