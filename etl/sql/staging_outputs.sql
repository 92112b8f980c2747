-- staging.outputs: the latest version of each output (press release, post,
-- video, press conference, interview).
create or replace table staging.outputs as
with source as (
    select * from raw.outputs
),

ranked as (
    select
        *,
        row_number() over (
            partition by source, output_id
            order by _load_seq desc, _source_row desc
        ) as version_rank
    from source
),

final as (
    select
        output_id,
        published_at,
        output_type,
        channel,
        title,
        url,
        incident_id,
        _source_file as source_file,
        _source_row as source_row,
        _load_id as load_id
    from ranked
    where version_rank = 1
)

select * from final
