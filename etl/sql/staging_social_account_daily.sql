-- staging.social_account_daily: one value per platform, account, day and
-- metric. Overlapping daily files never double count: the latest load
-- wins (then the later row of its file), except that a reported value
-- beats a blank one, and YouTube's Totals.csv (the channel's own daily
-- total) beats its Chart data.csv (the charted videos only, a lower bound)
-- whatever the load order.
create or replace table staging.social_account_daily as
with source as (
    select * from raw.social_account_daily
),

ranked as (
    select
        *,
        row_number() over (
            partition by platform, account, metric_date, metric
            order by
                value is null,
                source = 'youtube_chart',
                _load_seq desc,
                _source_row desc
        ) as version_rank
    from source
),

final as (
    select
        platform,
        account,
        metric_date,
        metric,
        value,
        source,
        _source_file as source_file,
        _source_row as source_row,
        _load_id as load_id
    from ranked
    where version_rank = 1
)

select * from final
