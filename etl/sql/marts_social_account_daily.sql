-- marts.social_account_daily: one row per platform, account and day, one
-- column per metric (staging.social_account_daily already holds one value
-- per day and metric, so overlapping files never double count). A metric
-- the exports did not report for a day is NULL: followers are never
-- carried forward to days without a count.
create or replace table marts.social_account_daily as
with daily as (
    select * from staging.social_account_daily
),

final as (
    select
        platform,
        account,
        metric_date as date,
        max(value) filter (where metric = 'followers') as followers,
        max(value) filter (where metric = 'new_followers') as new_followers,
        max(value) filter (where metric = 'unfollows') as unfollows,
        max(value) filter (where metric = 'net_followers') as net_followers,
        max(value) filter (where metric = 'reach') as reach,
        max(value) filter (where metric = 'impressions') as impressions,
        max(value) filter (
            where metric = 'profile_visits'
        ) as profile_visits,
        max(value) filter (where metric = 'video_views') as video_views,
        max(value) filter (where metric = 'engagements') as engagements,
        max(value) filter (where metric = 'link_clicks') as link_clicks,
        max(value) filter (where metric = 'likes') as likes,
        max(value) filter (where metric = 'comments') as comments,
        max(value) filter (where metric = 'shares') as shares,
        max(value) filter (where metric = 'watch_hours') as watch_hours,
        list_sort(list_distinct(list(source_file))) as source_files
    from daily
    group by platform, account, metric_date
)

select * from final
order by platform, account, date
