-- staging.incidents: the latest version of each incident (a later row with
-- the same id carries the timeline as it has filled in).
create or replace table staging.incidents as
with source as (
    select * from raw.incidents
),

ranked as (
    select
        *,
        row_number() over (
            partition by source, incident_id
            order by _load_seq desc, _source_row desc
        ) as version_rank
    from source
),

final as (
    select
        incident_id,
        incident_type,
        district,
        occurred_at,
        verified_at,
        first_statement_at,
        misinformation_detected_at,
        rebuttal_at,
        _source_file as source_file,
        _source_row as source_row,
        _load_id as load_id
    from ranked
    where version_rank = 1
)

select * from final
