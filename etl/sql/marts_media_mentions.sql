-- marts.media_mentions: one row per monitored mention of KP Police, with
-- its Pakistan date, fiscal period, tone as a score and the district's region.
create or replace table marts.media_mentions as
with mentions as (
    select * from staging.media_mentions
),

located as (
    select
        m.*,
        d.region,
        d.is_merged_district,
        cast(m.published_at at time zone 'Asia/Karachi' as date) as published_date
    from mentions as m
    left join ref.districts as d on d.district = m.district
),

final as (
    select
        mention_id,
        published_at,
        published_date,
        'FY' || fiscal_year || '-' || right(cast(fiscal_year + 1 as varchar), 2)
            as published_fiscal_year,
        'Q' || cast((month(published_date) + 5) % 12 // 3 + 1 as varchar)
            as published_fiscal_quarter,
        outlet,
        outlet_type,
        language,
        headline,
        url,
        tone,
        case tone
            when 'positive' then 1
            when 'neutral' then 0
            when 'negative' then -1
        end as tone_score,
        topic,
        district,
        region,
        is_merged_district,
        quotes_official_line,
        incident_id,
        source_file,
        source_row,
        load_id
    from (
        select
            *,
            year(published_date) - case when month(published_date) < 7 then 1 else 0 end
                as fiscal_year
        from located
    )
)

select * from final
order by published_at
