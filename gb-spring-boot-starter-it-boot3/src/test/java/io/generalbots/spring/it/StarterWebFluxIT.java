package io.generalbots.spring.it;

/** The starter on WebFlux with Netty (Tomcat is off this run's class path). */
class StarterWebFluxIT extends StarterScenarios {

    @Override
    boolean reactive() {
        return true;
    }

    @Override
    String expectedServer() {
        return "NettyWebServer";
    }
}
