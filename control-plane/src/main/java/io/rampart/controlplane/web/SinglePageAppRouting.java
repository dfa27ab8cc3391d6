package io.rampart.controlplane.web;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * The web UI routes in the browser (/practices/...): a reload of such a page must get
 * index.html, while the API, Quarkus' own endpoints and real files pass through.
 */
@ApplicationScoped
public class SinglePageAppRouting {

    /** Served by the control plane itself: the API, Quarkus' endpoints, the demo mailbox, the healthchecks-style pings. */
    private static final List<String> SERVER_PATHS = List.of("/api/", "/q/", "/demo/", "/ping/");

    void install(@Observes Router router) {
        router.get("/*").order(Integer.MIN_VALUE).handler(context -> {
            String path = context.normalizedPath();
            boolean clientRoute = !path.equals("/") && SERVER_PATHS.stream().noneMatch(path::startsWith)
                    && !path.substring(path.lastIndexOf('/')).contains(".");
            if (clientRoute) {
                context.reroute("/");
            } else {
                context.next();
            }
        });
    }
}
