/**
 * The scaling simulator: replays a {@link io.generalbots.autoscale.simulate.LoadTrace} against a
 * {@link io.generalbots.autoscale.simulate.CapacityModel} through a
 * {@link io.generalbots.autoscale.simulate.Policy} (this engine, the seed's bash loop, Kubernetes
 * HPA, or the oracle: the floor with perfect foresight of the trace) and measures
 * instance-minutes, violation minutes, scaling events and peak instances.
 */
package io.generalbots.autoscale.simulate;
