-- staging.media_queries: the latest version of each journalist's query,
-- without personal data (the journalist's name and phone stay in raw).
create or replace table staging.media_queries as
with source as (
    select * from raw.media_queries
),

ranked as (
    select
        *,
        row_number() over (
            partition by source, query_id
            order by _load_seq desc, _source_row desc
        ) as version_rank
    from source
),

final as (
    select
        query_id,
        received_at,
        outlet,
        topic,
        deadline_at,
        answered_at,
        _source_file as source_file,
        _source_row as source_row,
        _load_id as load_id
    from ranked
    where version_rank = 1
)

select * from final
