package io.rampart.controlplane.agents.install;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.rampart.controlplane.RampartConfig;

/**
 * The one-line install commands an administrator copies, and the addresses the installer
 * templates are filled with. Addresses go into shell and PowerShell strings, so only
 * characters that need no quoting there are accepted.
 */
@ApplicationScoped
public class InstallCommands {

    private static final Pattern SAFE_URL = Pattern.compile("https?://[A-Za-z0-9.\\-\\[\\]:]+(/[A-Za-z0-9._~\\-/]*)?");
    private static final Pattern SAFE_TOKEN = Pattern.compile("[A-Za-z0-9._~\\-]+");

    @Inject
    RampartConfig config;

    /** The control plane's HTTP address, without a trailing slash. */
    public String httpUrl() {
        return safeUrl("rampart.agents.public-http-url", config.agents().publicHttpUrl());
    }

    /** The gRPC address agents enrol with and report to. */
    public String grpcUrl() {
        return safeUrl("rampart.agents.public-grpc-url", config.agents().publicGrpcUrl());
    }

    /** {@code curl -fsSL http://CP/install.sh | sudo sh -s -- --token T} */
    public String linux(String token) {
        return "curl -fsSL " + httpUrl() + "/install.sh | sudo sh -s -- --token " + safeToken(token);
    }

    /** For an elevated PowerShell (5.1 or later). */
    public String windows(String token) {
        return "powershell -NoProfile -ExecutionPolicy Bypass -Command \"& ([scriptblock]::Create((Invoke-RestMethod "
                + httpUrl() + "/install.ps1))) -Token " + safeToken(token) + "\"";
    }

    static String safeUrl(String name, String url) {
        String trimmed = url.trim().replaceAll("/+$", "");
        if (!SAFE_URL.matcher(trimmed).matches()) {
            throw new IllegalStateException(name + " must be a plain http:// or https:// address (letters, digits, . - : / only), not " + url);
        }
        return trimmed;
    }

    private static String safeToken(String token) {
        if (!SAFE_TOKEN.matcher(token).matches()) {
            throw new IllegalStateException("an enrolment token with characters a shell would interpret");
        }
        return token;
    }
}
