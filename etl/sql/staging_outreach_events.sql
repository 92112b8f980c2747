-- staging.outreach_events: the latest version of each community outreach event.
create or replace table staging.outreach_events as
with source as (
    select * from raw.outreach_events
),

ranked as (
    select
        *,
        row_number() over (
            partition by source, event_id
            order by _load_seq desc, _source_row desc
        ) as version_rank
    from source
),

final as (
    select
        event_id,
        event_date,
        district,
        event_type,
        participants_female,
        participants_male,
        participants_transgender,
        _source_file as source_file,
        _source_row as source_row,
        _load_id as load_id
    from ranked
    where version_rank = 1
)

select * from final
