package io.rampart.controlplane.agents.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.rampart.controlplane.agents.identity.AgentCertificateAuthority;
import io.rampart.controlplane.shared.NotFound;

/**
 * What a practice's computer fetches to install the agent: the installers (filled with this
 * control plane's addresses and the agents' CA certificate), the agent jar with its SHA-256, and
 * the CA certificate on its own. None of it is secret, so none
 * of it needs sign-in; the enrolment token is what grants anything, and it never passes here.
 * Hidden from the OpenAPI document: it is not part of the REST API.
 */
@jakarta.ws.rs.Path("/")
@PermitAll
public class InstallerResource {

    static final String JAR_NAME = "rampart-agent.jar";

    @Inject
    InstallCommands commands;
    @Inject
    AgentJar agentJar;
    @Inject
    AgentCertificateAuthority certificateAuthority;

    /** The agents' CA certificate: agents trust it for the control plane, and it signs their certificates. */
    @GET
    @jakarta.ws.rs.Path("agent-ca.crt")
    @Produces("application/x-pem-file")
    @Operation(hidden = true)
    public Response agentCa() {
        return Response.ok(certificateAuthority.caPem(), "application/x-pem-file")
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .build();
    }

    @GET
    @jakarta.ws.rs.Path("install.sh")
    @Produces("text/x-shellscript")
    @Operation(hidden = true)
    public Response linuxInstaller() {
        return script("install.sh", "text/x-shellscript; charset=utf-8");
    }

    @GET
    @jakarta.ws.rs.Path("install.ps1")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(hidden = true)
    public Response windowsInstaller() {
        return script("install.ps1", "text/plain; charset=utf-8");
    }

    @GET
    @jakarta.ws.rs.Path("downloads/" + JAR_NAME)
    @Produces("application/java-archive")
    @Operation(hidden = true)
    public Response jar() {
        Path jar = requireJar();
        return Response.ok(jar.toFile(), "application/java-archive")
                .header("Content-Disposition", "attachment; filename=\"" + JAR_NAME + "\"")
                .header("X-Checksum-SHA256", agentJar.sha256(jar))
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .build();
    }

    /** In sha256sum's format, so that {@code sha256sum -c} takes it as it is. */
    @GET
    @jakarta.ws.rs.Path("downloads/" + JAR_NAME + ".sha256")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(hidden = true)
    public Response jarChecksum() {
        return Response.ok(agentJar.sha256(requireJar()) + "  " + JAR_NAME + "\n", "text/plain; charset=utf-8")
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .build();
    }

    private Path requireJar() {
        return agentJar.file().orElseThrow(() -> new NotFound(
                "The agent jar is not on this control plane: looked for " + agentJar.whereLooked()
                        + "; build it with ./mvnw -pl practice-agent package"));
    }

    private Response script(String name, String contentType) {
        String text = template(name)
                .replace("@RAMPART_HTTP_URL@", commands.httpUrl())
                .replace("@RAMPART_GRPC_URL@", commands.grpcUrl())
                .replace("@RAMPART_AGENT_CA@", certificateAuthority.caPem().strip());
        return Response.ok(text, contentType).header(HttpHeaders.CACHE_CONTROL, "no-cache").build();
    }

    private static String template(String name) {
        try (InputStream in = InstallerResource.class.getResourceAsStream("/installer/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the installer template " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
