/**
 * The auto-scaling engine: {@link io.generalbots.scaling.autoscale.AutoScaler} reads metrics from a
 * {@link io.generalbots.scaling.autoscale.MetricsSource}, decides with a
 * {@link io.generalbots.scaling.autoscale.Recommendation} and acts through an
 * {@link io.generalbots.scaling.instance.InstanceManager}, only while its
 * {@link io.generalbots.scaling.autoscale.LeaderElection} says it leads.
 */
package io.generalbots.scaling.autoscale;
