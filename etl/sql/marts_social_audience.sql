-- marts.social_audience: the audience as the platform last reported it:
-- for each platform, account and dimension (age_gender, country, city)
-- the rows of its latest snapshot only (shares of one snapshot add up to
-- about 1; shares of two snapshots must never be added).
create or replace table marts.social_audience as
with source as (
    select * from raw.social_audience
),

deduplicated as (
    select *
    from (
        select
            *,
            row_number() over (
                partition by
                    platform, account, snapshot_at, dimension, category,
                    gender
                order by _load_seq desc, _source_row desc
            ) as version_rank
        from source
    )
    where version_rank = 1
),

latest as (
    select platform, account, dimension, max(snapshot_at) as snapshot_at
    from deduplicated
    group by platform, account, dimension
),

final as (
    select
        d.platform,
        d.account,
        d.snapshot_at,
        d.dimension,
        d.category,
        d.gender,
        d.share,
        d._source_file as source_file,
        d._source_row as source_row,
        d._load_id as load_id
    from deduplicated as d
    join latest as l using (platform, account, dimension, snapshot_at)
)

select * from final
order by platform, account, dimension, category, gender
