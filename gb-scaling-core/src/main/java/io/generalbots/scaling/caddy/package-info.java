/**
 * The Caddy proxy in front of the botserver instances: the seed's Caddyfile rendered correctly for
 * Caddy 2.6 ({@link io.generalbots.scaling.caddy.Caddyfile}) and its upstreams kept in step live
 * through Caddy's admin API ({@link io.generalbots.scaling.caddy.CaddyUpstreamSync}).
 */
package io.generalbots.scaling.caddy;
