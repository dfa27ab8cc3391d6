package io.rampart.controlplane.fleet;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.TenantScope;

/**
 * The fleet as the compliance evaluation sees it, one page at a time: filtered, searched, sorted
 * and counted in the database, so that a provider with 10,000 practices gets 50 rows, not 10,000.
 */
@ApplicationScoped
public class FleetCompliance {

    public static final int MAX_PAGE_SIZE = 200;
    /** Worst first; a practice not evaluated yet sorts with UNKNOWN. */
    private static final String STATE_RANK = "case coalesce(pc.status, 'UNKNOWN') when 'FAIL' then 0 when 'UNKNOWN' then 1 "
            + "when 'AT_RISK' then 2 else 3 end";
    /** g.position: the group's place among the provider's groups by name (see GROUPS_IN_ORDER), an integer to compare. */
    private static final Map<String, String> SORTS = Map.of(
            "state", STATE_RANK + ", lower(p.name), p.id",
            "name", "lower(p.name), p.id",
            "group", "g.position, " + STATE_RANK + ", lower(p.name), p.id",
            "lastSeen", "ls.last_seen_at asc nulls first, lower(p.name), p.id");
    /**
     * The provider's groups, each with its place by name: sorting 10,000 practices by a group's lower(name) and id
     * compared two strings and two uuids per step; this integer, computed once over a few dozen groups, is one.
     */
    private static final String GROUPS_IN_ORDER = "(select id, name, row_number() over (order by lower(name), id) as position"
            + " from practice_group where provider_id = :scopeProvider)";
    private static final List<String> STATES = List.of("PASS", "AT_RISK", "FAIL", "UNKNOWN");

    @Inject
    EntityManager entityManager;
    @Inject
    Clock clock;

    public record Filter(String state, UUID groupId, String rule, String search, String sort, int page, int size) {
    }

    /** configurationGap: no configured check of the practice can give evidence for the rule. */
    public record RuleProblem(String ruleId, String status, String reason, boolean configurationGap) {
    }

    public record Row(UUID id, String name, UUID groupId, String groupName, String state, String reason, Instant since,
            Instant lastSeenAt, Instant lastVerifiedRestoreAt, List<RuleProblem> problems) {
    }

    public record GroupOption(UUID id, String name) {
    }

    /** {@code counts}: practices per state among those matching every filter but the state. */
    public record Page(Instant generatedAt, Map<String, Long> counts, long total, int page, int size, List<GroupOption> groups,
            List<Row> practices) {
    }

    @Transactional
    public Page page(TenantScope scope, Filter filter) {
        validate(filter);
        Map<String, Object> parameters = new HashMap<>(scope.parameters("p.provider_id", "p.group_id", "p.id").map());
        // a decommissioned practice has left the fleet (its page still shows it, read-only)
        StringBuilder where = new StringBuilder(scope.where("p.provider_id", "p.group_id", "p.id") + " and p.decommissioned_at is null");
        if (filter.groupId() != null) {
            where.append(" and p.group_id = :groupId");
            parameters.put("groupId", filter.groupId());
        }
        if (filter.rule() != null && !filter.rule().isBlank()) {
            where.append(" and exists (select 1 from rule_state rs where rs.practice_id = p.id and rs.rule_id = :rule and rs.status <> 'PASS')");
            parameters.put("rule", filter.rule().strip());
        }
        if (filter.search() != null && !filter.search().isBlank()) {
            // a group's name is matched once per group, not once per practice (ilike costs about 0.6 microseconds a row)
            where.append(" and (p.name ilike :search or p.group_id in (select sg.id from practice_group sg"
                    + " where sg.provider_id = :scopeProvider and sg.name ilike :search))");
            parameters.put("search", "%" + filter.search().strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        String from = " from practice p join " + GROUPS_IN_ORDER + " g on g.id = p.group_id left join practice_compliance pc on pc.practice_id = p.id";

        // one pass over the matching practices counts every state; the total is the asked state's count (or all of them)
        Object[] tally = (Object[]) bind(entityManager.createNativeQuery("""
                select count(*) filter (where pc.status = 'PASS'), count(*) filter (where pc.status = 'AT_RISK'),
                    count(*) filter (where pc.status = 'FAIL'), count(*) filter (where pc.status is null or pc.status = 'UNKNOWN')
                """ + from + " where " + where), parameters).getSingleResult();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < STATES.size(); i++) {
            counts.put(STATES.get(i), ((Number) tally[i]).longValue());
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        if (filter.state() != null && !filter.state().isBlank()) {
            String state = filter.state().strip().toUpperCase(Locale.ROOT);
            where.append(" and coalesce(pc.status, 'UNKNOWN') = :state");
            parameters.put("state", state);
            total = counts.get(state);
        }
        // the longest silent first needs every practice's last call; other sorts read it for the page's rows only
        String lastSeen = "lastSeen".equals(sortOf(filter))
                ? " left join (select ap.practice_id, max(ap.last_seen_at) as last_seen_at from agent_presence ap"
                        + " where ap.provider_id = :scopeProvider group by ap.practice_id) ls on ls.practice_id = p.id"
                : "";
        long offset = (long) filter.page() * filter.size();
        // the sort moves ids and keys only; the page's 50 rows are read afterwards (sorting every matching row whole,
        // reasons included, took twice as long on the last page of 10,000)
        List<UUID> ids = offset >= total ? List.of() : bind(entityManager.createNativeQuery("select p.id" + from + lastSeen + " where " + where
                + " order by " + SORTS.get(sortOf(filter)) + " limit :limit offset :offset", UUID.class), parameters)
                .setParameter("limit", filter.size()).setParameter("offset", offset).getResultList().stream().map(UUID.class::cast).toList();
        Map<UUID, Object[]> rows = rows(ids);
        Map<UUID, List<RuleProblem>> problems = problems(ids);
        Map<UUID, Instant> restores = lastVerifiedRestores(ids);
        Map<UUID, Instant> seen = lastSeen(ids);
        List<Row> practices = new ArrayList<>();
        for (UUID id : ids) {
            Object[] c = rows.get(id);
            if (c == null) {
                continue; // practices are never deleted; a row gone between the two reads is left out, not a 500
            }
            practices.add(new Row(id, (String) c[1], (UUID) c[2], (String) c[3], (String) c[4], (String) c[5], instant(c[6]), seen.get(id),
                    restores.get(id), problems.getOrDefault(id, List.of())));
        }
        List<GroupOption> groups = bind(entityManager.createNativeQuery("select g.id, g.name from practice_group g where "
                + scope.where("g.provider_id", "g.id", null) + " and g.archived_at is null order by lower(g.name)"),
                scope.parameters("g.provider_id", "g.id", null).map())
                .getResultList().stream().map(row -> new GroupOption((UUID) ((Object[]) row)[0], (String) ((Object[]) row)[1])).toList();
        return new Page(clock.instant(), counts, total, filter.page(), filter.size(), groups, practices);
    }

    /** The page's practices by id: id, name, group id, group name, state, reason, since (practices are never deleted). */
    private Map<UUID, Object[]> rows(List<UUID> practiceIds) {
        Map<UUID, Object[]> rows = new HashMap<>();
        if (practiceIds.isEmpty()) {
            return rows;
        }
        for (Object row : entityManager.createNativeQuery("""
                select p.id, p.name, p.group_id, g.name as group_name, coalesce(pc.status, 'UNKNOWN'), pc.reason, pc.since
                from practice p join practice_group g on g.id = p.group_id left join practice_compliance pc on pc.practice_id = p.id
                where p.id in (:ids)""").setParameter("ids", practiceIds).getResultList()) {
            Object[] c = (Object[]) row;
            rows.put((UUID) c[0], c);
        }
        return rows;
    }

    /** The rules each practice fails or is at risk on, worst first. */
    private Map<UUID, List<RuleProblem>> problems(List<UUID> practiceIds) {
        Map<UUID, List<RuleProblem>> problems = new HashMap<>();
        if (practiceIds.isEmpty()) {
            return problems;
        }
        for (Object row : entityManager.createNativeQuery("""
                select practice_id, rule_id, status, reason, configuration_gap from rule_state
                where practice_id in (:ids) and status <> 'PASS'
                order by practice_id, case status when 'FAIL' then 0 when 'UNKNOWN' then 1 else 2 end, rule_id""")
                .setParameter("ids", practiceIds).getResultList()) {
            Object[] c = (Object[]) row;
            problems.computeIfAbsent((UUID) c[0], id -> new ArrayList<>()).add(new RuleProblem((String) c[1], (String) c[2], (String) c[3],
                    Boolean.TRUE.equals(c[4])));
        }
        return problems;
    }

    /** When any agent of each practice last called (agent_presence, written by the fleet projection for every event). */
    private Map<UUID, Instant> lastSeen(List<UUID> practiceIds) {
        Map<UUID, Instant> seen = new HashMap<>();
        if (practiceIds.isEmpty()) {
            return seen;
        }
        for (Object row : entityManager.createNativeQuery("""
                select practice_id, max(last_seen_at) from agent_presence where practice_id in (:ids) group by practice_id""")
                .setParameter("ids", practiceIds).getResultList()) {
            Object[] c = (Object[]) row;
            seen.put((UUID) c[0], instant(c[1]));
        }
        return seen;
    }

    /** When each practice last passed a restore test (checks named restore-test*, as the restore-test rule reads them). */
    private Map<UUID, Instant> lastVerifiedRestores(List<UUID> practiceIds) {
        Map<UUID, Instant> restores = new HashMap<>();
        if (practiceIds.isEmpty()) {
            return restores;
        }
        for (Object row : entityManager.createNativeQuery("""
                select practice_id, max(least(occurred_at, received_at)) from event_history
                where practice_id in (:ids) and check_id like 'restore-test%' and status = 'PASS'
                group by practice_id""").setParameter("ids", practiceIds).getResultList()) {
            Object[] c = (Object[]) row;
            restores.put((UUID) c[0], instant(c[1]));
        }
        return restores;
    }

    private static void validate(Filter filter) {
        List<FieldError> errors = new ArrayList<>();
        if (filter.state() != null && !filter.state().isBlank() && !STATES.contains(filter.state().strip().toUpperCase(Locale.ROOT))) {
            errors.add(new FieldError("state", "one of PASS, AT_RISK, FAIL, UNKNOWN"));
        }
        if (filter.sort() != null && !filter.sort().isBlank() && !SORTS.containsKey(filter.sort())) {
            errors.add(new FieldError("sort", "one of state, name, group, lastSeen"));
        }
        if (filter.page() < 0) {
            errors.add(new FieldError("page", "0 or more"));
        }
        if (filter.size() < 1 || filter.size() > MAX_PAGE_SIZE) {
            errors.add(new FieldError("size", "between 1 and " + MAX_PAGE_SIZE));
        }
        if (filter.search() != null && filter.search().length() > 200) {
            errors.add(new FieldError("q", "at most 200 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("Invalid fleet filter", errors);
        }
    }

    private static String sortOf(Filter filter) {
        return filter.sort() == null || filter.sort().isBlank() ? "group" : filter.sort();
    }

    private static Query bind(Query query, Map<String, Object> parameters) {
        parameters.forEach(query::setParameter);
        return query;
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }
}
