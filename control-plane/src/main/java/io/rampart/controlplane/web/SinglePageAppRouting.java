package io.rampart.controlplane.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * The web UI routes in the browser (/practices/...): a reload of such a page must get
 * index.html, while the API, Quarkus' own endpoints and real files pass through.
 */
@ApplicationScoped
public class SinglePageAppRouting {

    void install(@Observes Router router) {
        router.get("/*").order(Integer.MIN_VALUE).handler(context -> {
            String path = context.normalizedPath();
            boolean clientRoute = !path.equals("/") && !path.startsWith("/api/") && !path.startsWith("/q/")
                    && !path.substring(path.lastIndexOf('/')).contains(".");
            if (clientRoute) {
                context.reroute("/");
            } else {
                context.next();
            }
        });
    }
}
