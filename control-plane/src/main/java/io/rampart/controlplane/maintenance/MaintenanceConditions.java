package io.rampart.controlplane.maintenance;

/**
 * The one definition of "a maintenance window covered this practice", as a condition other features put in their own
 * queries (they read the windows, never write them): a window of the practice itself, or of the group the practice is in
 * now (a moved practice leaves its old group's windows), not cancelled, in effect at some moment of
 * {@code (since, now]}, i.e. {@code startsAt <= now and endsAt > since}. With {@code since = now}: in effect at {@code now}.
 * Each condition comes with a space before and after, so it can be spliced between text blocks (which strip trailing spaces).
 */
public final class MaintenanceConditions {

    private MaintenanceConditions() {
    }

    /**
     * JPQL: true when a window covered the practice whose id is {@code practiceIdPath} (e.g. {@code n.practiceId}) at some
     * moment after the instant parameter {@code sinceParameter} and up to {@code nowParameter} (names without the colon).
     */
    public static String coveredJpql(String practiceIdPath, String sinceParameter, String nowParameter) {
        return coveredJpqlBetween(practiceIdPath, ":" + sinceParameter, ":" + nowParameter);
    }

    /**
     * JPQL: as {@link #coveredJpql}, with JPQL expressions for the two instants (e.g. {@code a.openedAt}, or a parameter
     * {@code :now}); with the same expression twice: in effect at that instant.
     */
    public static String coveredJpqlBetween(String practiceIdPath, String sinceExpression, String nowExpression) {
        return " exists (select 1 from MaintenanceWindow mw, Practice mp where mp.id = " + practiceIdPath
                + " and mw.providerId = mp.providerId and (mw.practiceId = mp.id or (mw.practiceId is null and mw.groupId = mp.groupId))"
                + " and mw.cancelledAt is null and mw.startsAt <= " + nowExpression + " and mw.endsAt > " + sinceExpression + ") ";
    }

    /** SQL: as {@link #coveredJpql}, with SQL expressions for the practice id column and the two instants. */
    public static String coveredSql(String practiceIdColumn, String sinceExpression, String nowExpression) {
        return " exists (select 1 from maintenance_window mw join practice mp on mp.id = " + practiceIdColumn
                + " where mw.provider_id = mp.provider_id and (mw.practice_id = mp.id or (mw.practice_id is null and mw.group_id = mp.group_id))"
                + " and mw.cancelled_at is null and mw.starts_at <= " + nowExpression + " and mw.ends_at > " + sinceExpression + ") ";
    }
}
