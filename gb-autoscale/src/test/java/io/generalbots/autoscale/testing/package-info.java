/**
 * Test support shipped in gb-autoscale's test jar: {@link io.generalbots.autoscale.testing.TestBotServer},
 * a small botserver built on the library that the scaling tests and the demo run as worker
 * processes.
 */
package io.generalbots.autoscale.testing;
