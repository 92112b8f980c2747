-- staging.inquiry_steps: step times per inquiry from the response-events
-- log. The earliest event of a step counts, except resolution and
-- reopening, where the latest does (the catalogue's "resolved (latest)").
create or replace table staging.inquiry_steps as
with source as (
    select distinct inquiry_id, event, event_at
    from raw.response_events
    where true /*@changed*/
),

final as (
    select
        inquiry_id,
        min(event_at) filter (where event = 'received') as received_at,
        min(event_at) filter (where event = 'first_response') as first_response_at,
        min(event_at) filter (where event = 'referred') as referred_at,
        min(event_at) filter (where event = 'field_ack') as field_ack_at,
        min(event_at) filter (where event = 'field_report') as field_report_at,
        max(event_at) filter (where event = 'resolved') as resolved_at,
        max(event_at) filter (where event = 'reopened') as reopened_at
    from source
    group by inquiry_id
)

select * from final
