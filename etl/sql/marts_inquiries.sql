-- marts.inquiries: one row per item, with durations and due times.
-- Spam and duplicates are not items. Event times win over register columns.
-- source: 'register' (the cell's own inquiry register, whatever the channel,
-- social ones included) or a column mapping's name (another organisation's
-- system); is_own_source tells the two apart. first_response_recorded: the
-- item's source records first responses (a column, or the events log); where
-- it does not, R3 and R5 leave the item out and it has no first-response due
-- time ("not recorded by this source", never a breach).
create or replace table marts.inquiries as
with inquiries as (
    select * from staging.inquiries
    where status not in ('spam', 'duplicate') /*@changed*/
),

steps as (
    select * from staging.inquiry_steps
),

combined as (
    select
        i.inquiry_id,
        i.source,
        coalesce(s.received_at, i.received_at) as received_at,
        i.channel,
        i.category,
        i.district,
        i.requester_gender,
        i.language,
        i.priority,
        i.status,
        coalesce(s.first_response_at, i.first_response_at) as first_response_at,
        coalesce(s.referred_at, i.referred_at) as referred_at,
        coalesce(s.field_ack_at, i.field_ack_at) as field_ack_at,
        coalesce(s.field_report_at, i.field_report_at) as field_report_at,
        coalesce(s.resolved_at, i.resolved_at) as resolved_at,
        coalesce(s.reopened_at, i.reopened_at) as reopened_at,
        i.satisfaction,
        i.first_response_recorded or s.inquiry_id is not null as first_response_recorded,
        i.source_file,
        i.source_row,
        i.load_id
    from inquiries as i
    left join steps as s
        on i.source = 'register' and s.inquiry_id = i.inquiry_id
),

located as (
    select
        c.*,
        d.region,
        d.is_merged_district,
        cast(c.received_at at time zone 'Asia/Karachi' as date) as received_date,
        t.business_minutes as resolution_target_business_minutes
    from combined as c
    left join ref.districts as d on d.district = c.district
    left join ref.resolution_targets as t
        on t.category = c.category and t.priority = c.priority
),

sla as (
    select
        max(value) filter (where name = 'first_response_business_minutes')
            as first_response_target,
        max(value) filter (where name = 'field_ack_hours') as field_ack_hours,
        max(value) filter (where name = 'field_report_days') as field_report_days
    from ref.sla
),

final as (
    select
        l.inquiry_id,
        l.source,
        l.source = 'register' as is_own_source,
        l.received_at,
        l.received_date,
        'FY' || fiscal_year || '-' || right(cast(fiscal_year + 1 as varchar), 2)
            as received_fiscal_year,
        'Q' || cast((month(l.received_date) + 5) % 12 // 3 + 1 as varchar)
            as received_fiscal_quarter,
        l.channel,
        l.channel in (
            'Facebook', 'X', 'Instagram', 'YouTube', 'TikTok', 'WhatsApp'
        ) as is_social_channel,
        l.category,
        l.district,
        l.region,
        l.is_merged_district,
        l.requester_gender,
        l.language,
        l.priority,
        l.status,
        l.status <> 'no_reply_needed' as needs_reply,
        l.referred_at is not null as needs_field_action,
        l.first_response_at,
        l.referred_at,
        l.field_ack_at,
        l.field_report_at,
        l.resolved_at,
        l.reopened_at,
        l.satisfaction,
        l.first_response_recorded,
        (epoch(l.first_response_at) - epoch(l.received_at)) / 60.0
            as first_response_minutes,
        business_minutes(l.received_at, l.first_response_at)
            as first_response_business_minutes,
        (epoch(l.referred_at) - epoch(l.received_at)) / 60.0 as referral_minutes,
        business_minutes(l.received_at, l.referred_at)
            as referral_business_minutes,
        (epoch(l.resolved_at) - epoch(l.received_at)) / 60.0 as resolution_minutes,
        business_minutes(l.received_at, l.resolved_at)
            as resolution_business_minutes,
        (epoch(l.field_ack_at) - epoch(l.referred_at)) / 60.0 as field_ack_minutes,
        (epoch(l.field_report_at) - epoch(l.referred_at)) / 60.0
            as field_report_minutes,
        case
            when l.status <> 'no_reply_needed' and l.first_response_recorded
                then add_business_minutes(l.received_at, sla.first_response_target)
        end as first_response_due_at,
        add_business_minutes(
            l.received_at, l.resolution_target_business_minutes
        ) as resolution_due_at,
        l.referred_at + to_hours(cast(sla.field_ack_hours as bigint))
            as field_ack_due_at,
        l.referred_at + to_days(cast(sla.field_report_days as integer))
            as field_report_due_at,
        l.source_file,
        l.source_row,
        l.load_id
    from (
        select
            *,
            year(received_date) - case when month(received_date) < 7 then 1 else 0 end
                as fiscal_year
        from located
    ) as l
    cross join sla
)

select * from final
order by received_at
