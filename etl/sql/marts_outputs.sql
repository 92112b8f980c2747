-- marts.outputs: one row per press release, post, video, press conference
-- or interview published, with its Pakistan date and week (Monday).
create or replace table marts.outputs as
with outputs as (
    select
        *,
        cast(published_at at time zone 'Asia/Karachi' as date) as published_date
    from staging.outputs
),

final as (
    select
        output_id,
        published_at,
        published_date,
        cast(date_trunc('week', published_date) as date) as week_start,
        'FY' || fiscal_year || '-' || right(cast(fiscal_year + 1 as varchar), 2)
            as published_fiscal_year,
        'Q' || cast((month(published_date) + 5) % 12 // 3 + 1 as varchar)
            as published_fiscal_quarter,
        output_type,
        channel,
        title,
        url,
        incident_id,
        source_file,
        source_row,
        load_id
    from (
        select
            *,
            year(published_date) - case when month(published_date) < 7 then 1 else 0 end
                as fiscal_year
        from outputs
    )
)

select * from final
order by published_at
