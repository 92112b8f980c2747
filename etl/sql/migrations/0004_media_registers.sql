-- The media cell's registers besides the inquiry register: media monitoring
-- log, media queries, incidents, outputs and their plan, outreach events.
-- One row per row of a source file and version, with lineage; staging takes
-- the latest version of each id. Personal data (journalists' names and
-- phones, who typed an entry) live here only.

create table raw.media_mentions (
    source varchar not null,
    mention_id varchar not null,
    published_at timestamptz,
    outlet varchar,
    outlet_type varchar,              -- tv, print, online, radio, social
    language varchar,
    headline varchar,
    url varchar,
    tone varchar,                     -- positive, neutral, negative; NULL: not coded
    topic varchar,
    district varchar,
    quotes_official_line boolean,     -- NULL: not coded
    incident_id varchar,
    logged_by varchar,                -- personal: who typed it
    logged_at timestamptz,
    district_original varchar,
    _row_hash varchar not null,
    _source_file varchar not null,
    _source_sha256 varchar not null,
    _source_row integer not null,
    _load_id varchar not null,
    _load_seq integer not null,
    _loaded_at timestamptz not null
);

create table raw.media_queries (
    source varchar not null,
    query_id varchar not null,
    received_at timestamptz,
    outlet varchar,
    journalist varchar,               -- personal
    journalist_phone varchar,         -- personal
    topic varchar,
    deadline_at timestamptz,
    answered_at timestamptz,
    logged_by varchar,
    logged_at timestamptz,
    _row_hash varchar not null,
    _source_file varchar not null,
    _source_sha256 varchar not null,
    _source_row integer not null,
    _load_id varchar not null,
    _load_seq integer not null,
    _loaded_at timestamptz not null
);

create table raw.incidents (
    source varchar not null,
    incident_id varchar not null,
    incident_type varchar,
    district varchar,
    occurred_at timestamptz,
    verified_at timestamptz,
    first_statement_at timestamptz,
    misinformation_detected_at timestamptz,
    rebuttal_at timestamptz,
    logged_by varchar,
    logged_at timestamptz,
    district_original varchar,
    _row_hash varchar not null,
    _source_file varchar not null,
    _source_sha256 varchar not null,
    _source_row integer not null,
    _load_id varchar not null,
    _load_seq integer not null,
    _loaded_at timestamptz not null
);

create table raw.outputs (
    source varchar not null,
    output_id varchar not null,
    published_at timestamptz,
    output_type varchar,
    channel varchar,
    title varchar,
    url varchar,
    incident_id varchar,
    _row_hash varchar not null,
    _source_file varchar not null,
    _source_sha256 varchar not null,
    _source_row integer not null,
    _load_id varchar not null,
    _load_seq integer not null,
    _loaded_at timestamptz not null
);

create table raw.output_plan (
    source varchar not null,
    plan_id varchar not null,         -- ISO week and type: '2025-W14 press release'
    week_start date,                  -- the Monday of the week
    output_type varchar,
    planned bigint,
    notes varchar,
    _row_hash varchar not null,
    _source_file varchar not null,
    _source_sha256 varchar not null,
    _source_row integer not null,
    _load_id varchar not null,
    _load_seq integer not null,
    _loaded_at timestamptz not null
);

create table raw.outreach_events (
    source varchar not null,
    event_id varchar not null,
    event_date date,
    district varchar,
    event_type varchar,
    participants_female bigint,       -- NULL: not counted
    participants_male bigint,
    participants_transgender bigint,
    district_original varchar,
    _row_hash varchar not null,
    _source_file varchar not null,
    _source_sha256 varchar not null,
    _source_row integer not null,
    _load_id varchar not null,
    _load_seq integer not null,
    _loaded_at timestamptz not null
);
