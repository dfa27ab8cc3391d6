-- Statuses are a closed set in the database too, not free text. The stored values stay the names the code has
-- always written, so no row changes:
--  * the rule status (io.rampart.controlplane.shared.PracticeStatus, mapped with @Enumerated(STRING)) in the
--    compliance tables; null where nothing was evaluated yet (practice_compliance) or before the first change
--    (compliance_history.previous_status);
--  * the agents' check status (protocol CheckStatus without its CHECK_STATUS_ prefix; the ingest refuses
--    UNSPECIFIED and unknown values) in the fleet projection.
-- alert.status and notification.status have had their CHECK since V7/V24.

alter table rule_state add constraint rule_state_status_check
    check (status in ('PASS', 'AT_RISK', 'UNKNOWN', 'FAIL'));
alter table practice_compliance add constraint practice_compliance_status_check
    check (status in ('PASS', 'AT_RISK', 'UNKNOWN', 'FAIL'));
alter table compliance_history add constraint compliance_history_status_check
    check (status in ('PASS', 'AT_RISK', 'UNKNOWN', 'FAIL')
        and (previous_status is null or previous_status in ('PASS', 'AT_RISK', 'UNKNOWN', 'FAIL')));
alter table check_state add constraint check_state_status_check
    check (status in ('PASS', 'WARN', 'FAIL', 'ERROR'));
-- event_history can hold millions of rows: the constraint holds for every new row at once (NOT VALID skips the
-- scan of the rows already there, all written by the same code); VALIDATE CONSTRAINT can run later, online.
alter table event_history add constraint event_history_status_check
    check (status is null or status in ('PASS', 'WARN', 'FAIL', 'ERROR')) not valid;
