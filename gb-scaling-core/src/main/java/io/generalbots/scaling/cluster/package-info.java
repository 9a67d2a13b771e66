/**
 * What the cluster-level modules share without depending on each other: gb-autoscale tells the
 * proxy side ({@link io.generalbots.scaling.cluster.UpstreamsListener}, implemented by gb-balance's
 * Caddy upstream sync) which instances should receive requests.
 */
package io.generalbots.scaling.cluster;
