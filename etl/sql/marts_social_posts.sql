-- marts.social_posts: one row per post (platform, account, post_id) with
-- its LATEST snapshot's counts: lifetime counts grow with each export, so
-- snapshots are never summed. Engagements come from
-- marts.social_post_snapshots (defined there, once). Engagement rate =
-- engagements / the platform's rate basis, named in engagement_rate_basis:
-- the first count in the platform's list below that any of its posts
-- reports, so every post of a platform shares one basis:
--   Facebook, Instagram, X  impressions, else reach
--   YouTube                 reach (unique viewers), else video_views:
--                           never its impressions, which count thumbnail
--                           showings, not views of the video
--   TikTok                  impressions, else reach, else video_views: its
--                           content export gives neither of the first two
create or replace table marts.social_posts as
with snapshots as (
    select * from marts.social_post_snapshots
),

staged as (
    select * from staging.social_posts
),

rate_rules as (
    select *
    from (
        values
            ('Facebook', ['impressions', 'reach']),
            ('Instagram', ['impressions', 'reach']),
            ('X', ['impressions', 'reach']),
            ('YouTube', ['reach', 'video_views']),
            ('TikTok', ['impressions', 'reach', 'video_views'])
    ) as t (platform, bases)
),

ranked as (
    select
        *,
        row_number() over (
            partition by platform, account, post_id
            order by snapshot_at desc
        ) as snapshot_rank,
        count(*) over (
            partition by platform, account, post_id
        ) as n_snapshots
    from snapshots
),

latest as (
    select * from ranked where snapshot_rank = 1
),

attributes as (
    -- text, type and link of the latest snapshot that gives them
    select
        platform,
        account,
        post_id,
        arg_max(post_type, snapshot_at) filter (
            where post_type is not null
        ) as post_type,
        arg_max(post_text, snapshot_at) filter (
            where post_text is not null
        ) as post_text,
        arg_max(permalink, snapshot_at) filter (
            where permalink is not null
        ) as permalink,
        arg_max(custom_labels, snapshot_at) filter (
            where custom_labels is not null
        ) as custom_labels
    from staged
    group by platform, account, post_id
),

reported as (
    select
        platform,
        count(impressions) as n_impressions,
        count(reach) as n_reach,
        count(video_views) as n_video_views
    from latest
    group by platform
),

bases as (
    select
        r.platform,
        list_filter(
            r.bases,
            lambda b: (b = 'impressions' and p.n_impressions > 0)
                or (b = 'reach' and p.n_reach > 0)
                or (b = 'video_views' and p.n_video_views > 0)
        )[1] as engagement_rate_basis
    from rate_rules as r
    join reported as p using (platform)
),

tagged as (
    select
        l.*,
        a.post_type,
        -- A reply begins with the handles of the people it answers: members
        -- of the public, kept out of the marts (the raw layer keeps them).
        regexp_replace(a.post_text, '^(@\w+[\s,]*)+', '@… ') as post_text,
        a.permalink,
        b.engagement_rate_basis,
        case b.engagement_rate_basis
            when 'impressions' then l.impressions
            when 'reach' then l.reach
            when 'video_views' then l.video_views
        end as engagement_rate_denominator,
        list_transform(
            regexp_extract_all(a.post_text, '#([\p{L}\p{N}_]+)', 1),
            lambda t: lower(t)
        ) as tags_found,
        list_filter(
            list_transform(
                string_split(coalesce(a.custom_labels, ''), ','),
                lambda c: trim(c)
            ),
            lambda c: c <> ''
        ) as labels_found
    from latest as l
    left join attributes as a using (platform, account, post_id)
    left join bases as b using (platform)
),

final as (
    select
        platform,
        account,
        post_id,
        published_at,
        cast(timezone('Asia/Karachi', published_at) as date)
            as published_date,
        has_publish_time,
        post_type,
        coalesce(
            lower(post_type),
            case when platform in ('YouTube', 'TikTok') then 'video' end,
            'unspecified'
        ) as content_type,
        post_text,
        permalink,
        list_filter(
            tags_found, lambda t, i: list_position(tags_found, t) = i
        ) as hashtags,
        list_filter(
            labels_found, lambda c, i: list_position(labels_found, c) = i
        ) as campaigns,
        impressions,
        reach,
        reactions,
        comments,
        shares,
        saves,
        link_clicks,
        video_views,
        engagements,
        engagements / nullif(engagement_rate_denominator, 0)
            as engagement_rate,
        engagement_rate_basis,
        engagement_rate_denominator,
        snapshot_at,
        n_snapshots,
        source_file,
        source_row,
        load_id
    from tagged
)

select * from final
order by published_at, platform, account, post_id
