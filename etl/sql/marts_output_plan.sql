-- marts.output_plan: outputs the communication plan calls for, per week
-- (Monday) and output type.
create or replace table marts.output_plan as
with plan as (
    select * from staging.output_plan
),

final as (
    select
        week_start,
        output_type,
        planned,
        source_file,
        source_row,
        load_id
    from plan
)

select * from final
order by week_start, output_type
