/**
 * The scaling simulator: replays a {@link io.generalbots.scaling.simulate.LoadTrace} against a
 * {@link io.generalbots.scaling.simulate.CapacityModel} through a
 * {@link io.generalbots.scaling.simulate.Policy} (this engine, the seed's bash loop, Kubernetes
 * HPA) and measures instance-minutes, violation minutes, scaling events and peak instances.
 */
package io.generalbots.scaling.simulate;
