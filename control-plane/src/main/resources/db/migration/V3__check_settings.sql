-- A check's thresholds as JSON in the form of its protocol settings message (BackupFolderSettings,
-- RepositorySettings, UpsSettings, ...), so every check kind is configured the same way.
alter table check_definition add column settings jsonb not null default '{}';
update check_definition set settings = jsonb_strip_nulls(jsonb_build_object(
    'maxAge', case when max_age_seconds is null then null else max_age_seconds || 's' end,
    'minSizeBytes', min_size_bytes));
alter table check_definition drop column max_age_seconds;
alter table check_definition drop column min_size_bytes;
