-- staging.inquiries: the latest version of each inquiry, typed, without
-- personal data (names, phones, CNIC, emails and summaries stay in raw).
create or replace table staging.inquiries as
with source as (
    select * from raw.inquiry_register
    where true /*@changed*/
),

ranked as (
    select
        *,
        row_number() over (
            partition by source, inquiry_id
            order by _load_seq desc, _source_row desc
        ) as version_rank
    from source
),

final as (
    select
        source,
        inquiry_id,
        received_at,
        channel,
        category,
        district,
        requester_gender,
        language,
        priority,
        first_response_at,
        referred_at,
        field_ack_at,
        field_report_at,
        resolved_at,
        status,
        reopened_at,
        satisfaction,
        -- Rows loaded before the flag existed came from sources with the column.
        coalesce(first_response_recorded, true) as first_response_recorded,
        _source_file as source_file,
        _source_row as source_row,
        _load_id as load_id
    from ranked
    where version_rank = 1
)

select * from final
