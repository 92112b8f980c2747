-- Raw and meta tables: what loads append to. Staging and marts are rebuilt
-- by every load from these, so they are not migrated.
create schema if not exists raw;
create schema if not exists staging;
create schema if not exists marts;
create schema if not exists ref;
create schema if not exists meta;

create table meta.loads (
    load_id varchar primary key,
    load_seq integer not null,
    file_name varchar not null,
    sha256 varchar not null,
    kind varchar not null,
    source varchar not null,
    loaded_by varchar,
    started_at timestamptz not null,
    finished_at timestamptz,
    rows_read integer,
    rows_inserted integer,
    rows_updated integer,
    rows_unchanged integer,
    rows_quarantined integer,
    covers_from timestamptz,
    covers_to timestamptz,
    outcome varchar not null,
    message varchar
);

create table meta.quarantine (
    load_id varchar not null,
    kind varchar not null,
    source varchar not null,
    record_id varchar,
    source_file varchar not null,
    source_sha256 varchar not null,
    source_row integer not null,
    expectation varchar not null,
    column_name varchar,
    reason varchar not null,
    original json,
    quarantined_at timestamptz not null,
    cleared_by_load_id varchar
);

create table raw.inquiry_register (
    source varchar not null,
    inquiry_id varchar not null,
    received_at timestamptz,
    channel varchar,
    category varchar,
    district varchar,
    requester_gender varchar,
    language varchar,
    summary varchar,
    requester_name varchar,
    requester_phone varchar,
    requester_cnic varchar,
    requester_email varchar,
    priority varchar,
    first_response_at timestamptz,
    referred_at timestamptz,
    referred_to varchar,
    field_ack_at timestamptz,
    field_report_at timestamptz,
    resolved_at timestamptz,
    status varchar,
    reopened_at timestamptz,
    satisfaction varchar,
    district_original varchar,
    _row_hash varchar not null,
    _source_file varchar not null,
    _source_sha256 varchar not null,
    _source_row integer not null,
    _load_id varchar not null,
    _load_seq integer not null,
    _loaded_at timestamptz not null
);

create table raw.response_events (
    source varchar not null,
    inquiry_id varchar not null,
    event varchar not null,
    event_at timestamptz not null,
    actor varchar,
    _row_hash varchar not null,
    _source_file varchar not null,
    _source_sha256 varchar not null,
    _source_row integer not null,
    _load_id varchar not null,
    _load_seq integer not null,
    _loaded_at timestamptz not null
);
