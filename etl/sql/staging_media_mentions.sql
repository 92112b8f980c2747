-- staging.media_mentions: the latest version of each mention in the media
-- monitoring log, typed. Who typed it (logged_by) stays in raw.
create or replace table staging.media_mentions as
with source as (
    select * from raw.media_mentions
),

ranked as (
    select
        *,
        row_number() over (
            partition by source, mention_id
            order by _load_seq desc, _source_row desc
        ) as version_rank
    from source
),

final as (
    select
        mention_id,
        published_at,
        outlet,
        outlet_type,
        language,
        headline,
        url,
        tone,
        topic,
        district,
        quotes_official_line,
        incident_id,
        _source_file as source_file,
        _source_row as source_row,
        _load_id as load_id
    from ranked
    where version_rank = 1
)

select * from final
