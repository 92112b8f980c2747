-- marts.outreach_events: one row per community outreach event, with the
-- district's region, merged-district flag and census unit, and the total of
-- the participant counts given (NULL when none was counted).
create or replace table marts.outreach_events as
with events as (
    select * from staging.outreach_events
),

located as (
    select
        e.*,
        d.region,
        d.is_merged_district,
        d.census_unit
    from events as e
    left join ref.districts as d on d.district = e.district
),

final as (
    select
        event_id,
        event_date,
        'FY' || fiscal_year || '-' || right(cast(fiscal_year + 1 as varchar), 2)
            as event_fiscal_year,
        'Q' || cast((month(event_date) + 5) % 12 // 3 + 1 as varchar)
            as event_fiscal_quarter,
        district,
        region,
        is_merged_district,
        census_unit,
        event_type,
        participants_female,
        participants_male,
        participants_transgender,
        case
            when coalesce(participants_female, participants_male, participants_transgender)
                is not null
                then coalesce(participants_female, 0) + coalesce(participants_male, 0)
                + coalesce(participants_transgender, 0)
        end as participants_total,
        source_file,
        source_row,
        load_id
    from (
        select
            *,
            year(event_date) - case when month(event_date) < 7 then 1 else 0 end
                as fiscal_year
        from located
    )
)

select * from final
order by event_date
