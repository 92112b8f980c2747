-- marts.incidents: one row per incident with its crisis-communication
-- timeline. The golden-hour clock (M2) starts at verification, or at the
-- first monitored media report of the incident where no verification time
-- is recorded; a statement issued before that start counts as 0 minutes.
create or replace table marts.incidents as
with incidents as (
    select * from staging.incidents
),

reports as (
    select
        incident_id,
        min(published_at) as first_media_report_at,
        count(*) as n_mentions
    from marts.media_mentions
    where incident_id is not null
    group by incident_id
),

timed as (
    select
        i.*,
        d.region,
        d.is_merged_district,
        r.first_media_report_at,
        coalesce(r.n_mentions, 0) as n_mentions,
        coalesce(i.verified_at, r.first_media_report_at) as statement_clock_start_at,
        case
            when i.verified_at is not null then 'verified'
            when r.first_media_report_at is not null then 'first media report'
        end as statement_clock_basis,
        cast(i.occurred_at at time zone 'Asia/Karachi' as date) as occurred_date
    from incidents as i
    left join reports as r using (incident_id)
    left join ref.districts as d on d.district = i.district
),

final as (
    select
        incident_id,
        incident_type,
        district,
        region,
        is_merged_district,
        occurred_at,
        occurred_date,
        'FY' || fiscal_year || '-' || right(cast(fiscal_year + 1 as varchar), 2)
            as occurred_fiscal_year,
        'Q' || cast((month(occurred_date) + 5) % 12 // 3 + 1 as varchar)
            as occurred_fiscal_quarter,
        verified_at,
        first_media_report_at,
        statement_clock_start_at,
        statement_clock_basis,
        first_statement_at,
        misinformation_detected_at,
        rebuttal_at,
        (epoch(verified_at) - epoch(occurred_at)) / 60.0 as verification_minutes,
        greatest(epoch(first_statement_at) - epoch(statement_clock_start_at), 0) / 60.0
            as statement_minutes,
        (epoch(rebuttal_at) - epoch(misinformation_detected_at)) / 60.0
            as rebuttal_minutes,
        n_mentions,
        source_file,
        source_row,
        load_id
    from (
        select
            *,
            year(occurred_date) - case when month(occurred_date) < 7 then 1 else 0 end
                as fiscal_year
        from timed
    )
)

select * from final
order by occurred_at
