-- marts.social_post_snapshots: every snapshot of every post (the growth
-- curve), with its engagements. This is where engagements are defined,
-- once, per platform (docs/warehouse.md, "Engagements"):
--   Facebook   reactions + comments + shares
--   Instagram  likes + comments + shares + saves
--   X          likes + replies + reposts + bookmarks
--   YouTube    likes + comments + shares
--   TikTok     likes + comments + shares + add-to-favorites
-- i.e. reactions + comments + shares everywhere, plus saves where the
-- platform's export reports saves. Clicks and views are never engagements.
-- A count the export leaves blank adds nothing; engagements are NULL only
-- when every counted column is blank.
create or replace table marts.social_post_snapshots as
with snapshots as (
    select * from staging.social_posts
),

rules as (
    select *
    from (
        values
            ('Facebook', false),
            ('Instagram', true),
            ('X', true),
            ('YouTube', false),
            ('TikTok', true)
    ) as t (platform, counts_saves)
),

published as (
    -- a post's publish time: from its latest snapshot that gives one,
    -- preferring a snapshot whose export gives the time of day
    select
        platform,
        account,
        post_id,
        published_at,
        has_publish_time
    from (
        select
            platform,
            account,
            post_id,
            published_at,
            has_publish_time,
            row_number() over (
                partition by platform, account, post_id
                order by
                    published_at is null,
                    has_publish_time desc,
                    snapshot_at desc
            ) as published_rank
        from snapshots
    )
    where published_rank = 1
),

counted as (
    select
        s.*,
        case when r.counts_saves then s.saves end as counted_saves
    from snapshots as s
    left join rules as r using (platform)
),

final as (
    select
        c.platform,
        c.account,
        c.post_id,
        c.snapshot_at,
        p.published_at,
        p.has_publish_time,
        (epoch(c.snapshot_at) - epoch(p.published_at)) / 3600.0
            as hours_since_published,
        c.impressions,
        c.reach,
        c.reactions,
        c.comments,
        c.shares,
        c.saves,
        c.link_clicks,
        c.video_views,
        case
            when coalesce(
                c.reactions, c.comments, c.shares, c.counted_saves
            ) is not null
                then coalesce(c.reactions, 0)
                    + coalesce(c.comments, 0)
                    + coalesce(c.shares, 0)
                    + coalesce(c.counted_saves, 0)
        end as engagements,
        c.source,
        c.source_file,
        c.source_row,
        c.load_id
    from counted as c
    left join published as p using (platform, account, post_id)
)

select * from final
order by platform, account, post_id, snapshot_at
