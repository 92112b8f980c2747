-- staging.social_posts: one row per post snapshot (platform, account,
-- post_id, snapshot_at): the latest load of it wins (a second download of
-- the same period updates the snapshot, it never adds one). Typed, with
-- Meta's custom labels lifted out of extra; the rest of extra stays in raw.
create or replace table staging.social_posts as
with source as (
    select * from raw.social_post_snapshots
),

renamed as (
    -- only the columns staging keeps: the window below then sorts narrow
    -- rows, never the wide extra JSON (Meta's has 41 retention intervals)
    select
        source,
        platform,
        account,
        post_id,
        snapshot_at,
        published_at,
        -- X's content file and YouTube's table give a date without a
        -- time: published_at is then 00:00 Asia/Karachi of that date
        published_at is not null
            and source not in ('x_content', 'youtube_table')
            as has_publish_time,
        post_type,
        post_text,
        permalink,
        impressions,
        reach,
        reactions,
        comments,
        shares,
        saves,
        link_clicks,
        video_views,
        nullif(
            trim(json_extract_string(extra, '$.other."Custom labels"')), ''
        ) as custom_labels,
        _source_file as source_file,
        _source_row as source_row,
        _load_id as load_id,
        _load_seq as load_seq
    from source
),

ranked as (
    select
        *,
        row_number() over (
            partition by platform, account, post_id, snapshot_at
            order by load_seq desc, source_row desc
        ) as version_rank
    from renamed
),

final as (
    select * exclude (version_rank)
    from ranked
    where version_rank = 1
)

select * from final
