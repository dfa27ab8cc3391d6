package io.rampart.controlplane.alerts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.tenancy.Practice;

/** The web UI's addresses that emails and webhook calls link to, under the public address people reach it by. */
@ApplicationScoped
public class WebLinks {

    @Inject
    RampartConfig config;

    /** The fleet page, e.g. https://rampart.example/ */
    public String home() {
        return base() + "/";
    }

    public String practice(Practice practice) {
        return base() + "/practices/" + practice.id;
    }

    private String base() {
        return config.agents().publicHttpUrl().replaceAll("/+$", "");
    }
}
