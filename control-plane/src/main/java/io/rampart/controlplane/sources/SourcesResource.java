package io.rampart.controlplane.sources;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.policy.ConfigurationChanges;
import io.rampart.controlplane.policy.DesiredConfiguration;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.NotVisible;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeRepository;

/**
 * Where a practice's backups are, per check, set centrally and sent to its agents with their configuration; and the
 * checks' secrets, which arrive here only sealed in the browser to each agent's key. Every change is audited without
 * any secret and announced to ConfigurationChanges, so watching agents have it within seconds.
 */
@Path("/api/practices/{practiceId}/sources")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Sources", description = "Where each practice's backups are, and its checks' sealed secrets")
public class SourcesResource {

    /** The secrets a check may have; each becomes the check's password-file on the agent. */
    static final List<String> SECRET_NAMES = List.of("password");

    @Inject
    CurrentCaller caller;
    @Inject
    PracticeRepository practices;
    @Inject
    DesiredConfiguration desired;
    @Inject
    AuditLog audit;
    @Inject
    ConfigurationChanges changes;
    @Inject
    Clock clock;
    @Inject
    PracticeAgents practiceAgents;

    /** An agent of the practice a browser can seal to: its key as HPKE's P-256 point (base64 of 65 bytes). */
    public record AgentKey(UUID agentId, String hostname, String keyId, String publicKey) {
    }

    /** A secret as people see it: never its value, only for how many of the practice's agents it is sealed. */
    public record SecretState(String name, int sealedForAgents, List<UUID> agentsWithout, @Schema(nullable = true) Instant sealedAt) {
    }

    /** One check of the practice with its central settings (kind null: not a check the practice runs now). */
    public record CheckSources(String checkId, @Schema(nullable = true) String kind, Map<String, String> settings, List<SecretState> secrets) {
    }

    public record PracticeSources(UUID practiceId, List<CheckSources> checks, List<AgentKey> agents, List<String> settingKeys) {
    }

    public record SourcesChange(@NotNull Map<String, String> settings) {
    }

    public record SealedForAgent(@NotNull UUID agentId, @NotNull @Size(min = 64, max = 64) String keyId,
            @NotNull @Size(max = 200) String encapsulatedKey, @NotNull @Size(max = 12000) String ciphertext) {
    }

    public record SecretChange(@NotNull @Size(min = 1, max = 100) List<@Valid @NotNull SealedForAgent> sealed) {
    }

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN })
    @Transactional
    @Operation(summary = "The practice's sources per check, its sealed secrets (never their values) and its agents' keys")
    public PracticeSources get(@PathParam("practiceId") UUID practiceId) {
        Practice practice = visible(practiceId);
        Map<String, String> kinds = new TreeMap<>();
        desired.forPractice(practice.id).getChecksList()
                .forEach(check -> kinds.put(check.getCheckId(), check.getKind().name().replace("CHECK_KIND_", "")));
        Map<String, Map<String, String>> settings = new TreeMap<>();
        PracticeSource.<PracticeSource> list("practiceId", practice.id)
                .forEach(s -> settings.computeIfAbsent(s.checkId, id -> new TreeMap<>()).put(s.key, s.value));
        List<PracticeAgents.LiveAgent> agents = practiceAgents.live(practice.id);
        Map<String, List<SealedSecret>> secrets = new HashMap<>();
        SealedSecret.<SealedSecret> list("practiceId", practice.id)
                .forEach(s -> secrets.computeIfAbsent(s.checkId + "/" + s.name, k -> new ArrayList<>()).add(s));
        List<String> checkIds = new ArrayList<>(kinds.keySet());
        settings.keySet().stream().filter(id -> !kinds.containsKey(id)).forEach(checkIds::add);
        secrets.values().stream().map(list -> list.get(0).checkId).distinct().filter(id -> !checkIds.contains(id)).forEach(checkIds::add);
        List<CheckSources> checks = new ArrayList<>();
        for (String checkId : checkIds) {
            List<SecretState> states = new ArrayList<>();
            for (String name : SECRET_NAMES) {
                List<SealedSecret> sealed = secrets.getOrDefault(checkId + "/" + name, List.of());
                if (sealed.isEmpty()) {
                    continue;
                }
                // sealed for an agent's current key only: an agent enrolled later, or one that never renewed since, needs it re-entered
                List<UUID> opened = sealed.stream().filter(s -> agents.stream().anyMatch(a -> a.id().equals(s.agentId))).map(s -> s.agentId).toList();
                List<UUID> without = agents.stream().map(PracticeAgents.LiveAgent::id).filter(id -> !opened.contains(id)).toList();
                Instant at = sealed.stream().map(s -> s.sealedAt).max(Instant::compareTo).orElse(null);
                states.add(new SecretState(name, opened.size(), without, at));
            }
            checks.add(new CheckSources(checkId, kinds.get(checkId), settings.getOrDefault(checkId, Map.of()), states));
        }
        List<AgentKey> keys = agents.stream().filter(a -> a.publicKey() != null)
                .map(a -> new AgentKey(a.id(), a.hostname(), AgentKeys.keyId(a.publicKey()),
                        Base64.getEncoder().encodeToString(AgentKeys.uncompressedPoint(a.publicKey()))))
                .toList();
        return new PracticeSources(practice.id, checks, keys, SourceSettings.KEYS.keySet().stream().sorted().toList());
    }

    @PUT
    @Path("/{checkId}")
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Replace the central settings of one check of the practice (the practice's checks.properties still wins)")
    public PracticeSources put(@PathParam("practiceId") UUID practiceId, @PathParam("checkId") String checkId,
            @Valid @NotNull SourcesChange change) {
        Practice practice = live(practiceId);
        checkIdIsValid(checkId);
        List<FieldError> errors = SourceSettings.problems("settings", change.settings());
        if (!errors.isEmpty()) {
            throw new InvalidInput("the sources of check " + checkId + " were not changed: " + errors.size() + " setting(s) need fixing", errors);
        }
        Map<String, String> before = new TreeMap<>();
        List<PracticeSource> existing = PracticeSource.list("practiceId = ?1 and checkId = ?2", practice.id, checkId);
        existing.forEach(s -> before.put(s.key, s.value));
        Map<String, String> after = new TreeMap<>(change.settings());
        if (before.equals(after)) {
            return get(practiceId);
        }
        existing.forEach(PracticeSource::delete);
        PracticeSource.flush();
        Instant now = clock.instant();
        after.forEach((key, value) -> {
            PracticeSource source = new PracticeSource();
            source.id = UUID.randomUUID();
            source.practiceId = practice.id;
            source.checkId = checkId;
            source.key = key;
            source.value = value;
            source.updatedAt = now;
            source.persist();
        });
        // settings are never secrets (SourceSettings refuses passwords), so they may be audited as they are
        audit.record(caller.get(), new AuditLog.Change("practice.sources.changed", "practice-check", practice.id + "/" + checkId,
                practice.tenancy(), before, after));
        changes.practiceChanged(practice.providerId, practice.groupId, practice.id);
        return get(practiceId);
    }

    @PUT
    @Path("/{checkId}/secrets/{name}")
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Replace a secret of a check, sealed in the browser to each of the practice's agents (HPKE); never sent in clear")
    public PracticeSources seal(@PathParam("practiceId") UUID practiceId, @PathParam("checkId") String checkId,
            @PathParam("name") String name, @Valid @NotNull SecretChange change) {
        Practice practice = live(practiceId);
        checkIdIsValid(checkId);
        secretNameIsValid(name);
        List<PracticeAgents.LiveAgent> agents = practiceAgents.live(practice.id);
        List<FieldError> errors = new ArrayList<>();
        List<SealedSecret> rows = new ArrayList<>();
        Instant now = clock.instant();
        for (int i = 0; i < change.sealed().size(); i++) {
            SealedForAgent sealed = change.sealed().get(i);
            String field = "sealed[" + i + "]";
            PracticeAgents.LiveAgent agent = agents.stream().filter(a -> a.id().equals(sealed.agentId())).findFirst().orElse(null);
            if (agent == null || agent.publicKey() == null) {
                errors.add(new FieldError(field + ".agentId", "not an agent of this practice with a key to seal to; reload the page"));
                continue;
            }
            if (!AgentKeys.keyId(agent.publicKey()).equals(sealed.keyId())) {
                errors.add(new FieldError(field + ".keyId",
                        "agent " + agent.hostname() + " has a new key since the page was loaded; reload and enter the secret again"));
                continue;
            }
            byte[] enc = base64(sealed.encapsulatedKey());
            byte[] ciphertext = base64(sealed.ciphertext());
            if (enc == null || enc.length != 65 || enc[0] != 4) {
                errors.add(new FieldError(field + ".encapsulatedKey", "must be the base64 of HPKE's 65-byte uncompressed P-256 point"));
                continue;
            }
            if (ciphertext == null || ciphertext.length < 17 || ciphertext.length > 16 + 4096) {
                errors.add(new FieldError(field + ".ciphertext", "must be the base64 of an HPKE ciphertext of a secret of 1 to 4096 bytes"));
                continue;
            }
            SealedSecret row = new SealedSecret();
            row.id = UUID.randomUUID();
            row.practiceId = practice.id;
            row.checkId = checkId;
            row.name = name;
            row.agentId = agent.id();
            row.keyId = sealed.keyId();
            row.encapsulatedKey = enc;
            row.ciphertext = ciphertext;
            row.sealedAt = now;
            rows.add(row);
        }
        if (rows.stream().map(r -> r.agentId).distinct().count() != rows.size()) {
            errors.add(new FieldError("sealed", "each agent at most once"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("the secret was not changed: " + errors.size() + " problem(s)", errors);
        }
        long before = SealedSecret.delete("practiceId = ?1 and checkId = ?2 and name = ?3", practice.id, checkId, name);
        SealedSecret.flush();
        rows.forEach(row -> row.persist());
        // what was done and for whom, never the ciphertext
        audit.record(caller.get(), new AuditLog.Change("practice.secret.sealed", "practice-check", practice.id + "/" + checkId,
                practice.tenancy(), before == 0 ? null : Map.of("secret", name, "sealed", "yes"),
                Map.of("secret", name, "sealedForAgents", rows.stream().map(r -> r.agentId.toString()).sorted().toList())));
        changes.practiceChanged(practice.providerId, practice.groupId, practice.id);
        return get(practiceId);
    }

    @DELETE
    @Path("/{checkId}/secrets/{name}")
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Forget a sealed secret of a check: the agents use their local password file again")
    public PracticeSources forget(@PathParam("practiceId") UUID practiceId, @PathParam("checkId") String checkId,
            @PathParam("name") String name) {
        Practice practice = live(practiceId);
        checkIdIsValid(checkId);
        secretNameIsValid(name);
        long removed = SealedSecret.delete("practiceId = ?1 and checkId = ?2 and name = ?3", practice.id, checkId, name);
        if (removed > 0) {
            audit.record(caller.get(), new AuditLog.Change("practice.secret.forgotten", "practice-check", practice.id + "/" + checkId,
                    practice.tenancy(), Map.of("secret", name, "sealed", "yes"), null));
            changes.practiceChanged(practice.providerId, practice.groupId, practice.id);
        }
        return get(practiceId);
    }

    private Practice visible(UUID practiceId) {
        return practices.findIn(caller.get().scope(), practiceId).orElseThrow(NotVisible::practice);
    }

    /** For a change: 409 once the practice is decommissioned (kept read-only). */
    private Practice live(UUID practiceId) {
        return practices.liveIn(caller.get().scope(), practiceId);
    }

    private static void checkIdIsValid(String checkId) {
        if (!SourceSettings.CHECK_ID.matcher(checkId).matches()) {
            throw new InvalidInput("not a check id", List.of(new FieldError("checkId",
                    "a check id is 1 to 64 letters, digits, '.', '-' or '_', starting with a letter or digit")));
        }
    }

    private static void secretNameIsValid(String name) {
        if (!SECRET_NAMES.contains(name)) {
            throw new InvalidInput("not a secret a check has", List.of(new FieldError("name", "one of " + SECRET_NAMES)));
        }
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
