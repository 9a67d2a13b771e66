package io.generalbots.spring;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** The decoded path of a reactive request inside its application, as the servlet side sees it. */
final class ReactivePaths {

    private ReactivePaths() {
    }

    static String of(ServerHttpRequest request) {
        PathContainer path = request.getPath().pathWithinApplication();
        StringBuilder sb = new StringBuilder(path.value().length());
        for (PathContainer.Element e : path.elements()) {
            sb.append(e instanceof PathContainer.PathSegment s ? s.valueToMatch() : e.value());
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }
}
