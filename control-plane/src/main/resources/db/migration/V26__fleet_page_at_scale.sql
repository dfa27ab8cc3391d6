-- The fleet page's "rule not passing" filter reads the practices that do not pass one rule: a few in a hundred of
-- the rule's rows. Without this index it reads every practice's row of the rule (rule_state_tenancy) and their heap
-- pages to drop the passing ones; this one holds only the rows that do not pass, and answers from the index alone.
create index rule_state_not_passing on rule_state (rule_id, practice_id) where status <> 'PASS';
