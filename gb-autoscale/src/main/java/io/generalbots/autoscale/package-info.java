/**
 * The auto-scaling engine: {@link io.generalbots.autoscale.AutoScaler} reads metrics from a
 * {@link io.generalbots.autoscale.MetricsSource}, decides with a
 * {@link io.generalbots.autoscale.Recommendation} and acts through an
 * {@link io.generalbots.autoscale.instance.InstanceManager}, only while its
 * {@link io.generalbots.autoscale.LeaderElection} says it leads.
 */
package io.generalbots.autoscale;
