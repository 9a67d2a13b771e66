/**
 * The Caddy proxy in front of the botserver instances: the seed's Caddyfile rendered correctly for
 * Caddy 2.6 ({@link io.generalbots.balance.caddy.Caddyfile}) and its upstreams kept in step live
 * through Caddy's admin API ({@link io.generalbots.balance.caddy.CaddyUpstreamSync}).
 */
package io.generalbots.balance.caddy;
