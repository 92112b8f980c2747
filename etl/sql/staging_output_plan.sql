-- staging.output_plan: the latest planned count per week and output type
-- (a newer plan file with the same week and type replaces the number).
create or replace table staging.output_plan as
with source as (
    select * from raw.output_plan
),

ranked as (
    select
        *,
        row_number() over (
            partition by source, plan_id
            order by _load_seq desc, _source_row desc
        ) as version_rank
    from source
),

final as (
    select
        plan_id,
        week_start,
        output_type,
        planned,
        _source_file as source_file,
        _source_row as source_row,
        _load_id as load_id
    from ranked
    where version_rank = 1
)

select * from final
