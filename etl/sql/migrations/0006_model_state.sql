-- meta.model_state: what the staging and marts tables were last built with
-- (etl.models.fingerprint: the models' SQL, the reference tables and the
-- schema version). A load whose fingerprint matches rebuilds only what its
-- rows touch; any difference rebuilds every model. One row.
create table meta.model_state (
    fingerprint varchar not null,
    built_at timestamptz not null
);
