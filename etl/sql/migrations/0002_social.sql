-- Social platform exports: post snapshots, daily account metrics, audience.

-- One row per post per export (snapshot): lifetime metrics as of the
-- download. A post seen in two exports has two snapshots; marts use the
-- latest and never sum them.
create table raw.social_post_snapshots (
    source varchar not null,          -- the export kind, e.g. meta_content
    platform varchar not null,        -- Facebook, Instagram, X, YouTube, TikTok
    account varchar not null,
    post_id varchar not null,         -- text: 18-19 digit ids kept exactly
    snapshot_at timestamptz not null, -- when the export was taken
    published_at timestamptz,
    post_type varchar,
    post_text varchar,
    permalink varchar,
    impressions bigint,
    reach bigint,
    reactions bigint,                 -- reactions (Facebook) or likes (others)
    comments bigint,
    shares bigint,
    saves bigint,
    link_clicks bigint,
    video_views bigint,
    extra json,                       -- columns kept aside (per-country views, ...)
    _row_hash varchar not null,
    _source_file varchar not null,
    _source_sha256 varchar not null,
    _source_row integer not null,
    _load_id varchar not null,
    _load_seq integer not null,
    _loaded_at timestamptz not null
);

-- One row per account, day and metric; a later file wins for the same day.
create table raw.social_account_daily (
    source varchar not null,
    platform varchar not null,
    account varchar not null,
    metric_date date not null,
    metric varchar not null,          -- followers, new_followers, unfollows, reach, ...
    value double,
    _row_hash varchar not null,
    _source_file varchar not null,
    _source_sha256 varchar not null,
    _source_row integer not null,
    _load_id varchar not null,
    _load_seq integer not null,
    _loaded_at timestamptz not null
);

-- Audience breakdowns as the platform reports them at export time.
create table raw.social_audience (
    source varchar not null,
    platform varchar not null,
    account varchar not null,
    snapshot_at timestamptz not null,
    dimension varchar not null,       -- age_gender, country, city
    category varchar not null,        -- '18-24', 'Pakistan', 'Peshawar'
    gender varchar,                   -- female, male (age_gender only)
    share double,                     -- 0..1 of the audience
    _row_hash varchar not null,
    _source_file varchar not null,
    _source_sha256 varchar not null,
    _source_row integer not null,
    _load_id varchar not null,
    _load_seq integer not null,
    _loaded_at timestamptz not null
);
