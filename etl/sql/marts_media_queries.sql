-- marts.media_queries: one row per journalist's query, with its response
-- time in calendar and business minutes and its same-business-day target.
-- The target is the close of the working day the query arrived on; a query
-- arriving after closing time or on a day off is due at the close of the
-- next working day (ref.business_calendar). next_day_due_at is the close of
-- the working day after that one (how late a late answer was).
create or replace table marts.media_queries as
with queries as (
    select * from staging.media_queries
),

closes as (
    select closes_at
    from ref.business_calendar
    where is_working_day
),

due as (
    select
        q.*,
        c.closes_at as same_day_due_at,
        cast(q.received_at at time zone 'Asia/Karachi' as date) as received_date
    from queries as q
    asof left join closes as c on q.received_at < c.closes_at
),

next_due as (
    select
        d.*,
        c.closes_at as next_day_due_at
    from due as d
    asof left join closes as c on d.same_day_due_at < c.closes_at
),

final as (
    select
        query_id,
        received_at,
        received_date,
        'FY' || fiscal_year || '-' || right(cast(fiscal_year + 1 as varchar), 2)
            as received_fiscal_year,
        'Q' || cast((month(received_date) + 5) % 12 // 3 + 1 as varchar)
            as received_fiscal_quarter,
        outlet,
        topic,
        deadline_at,
        answered_at,
        answered_at is not null as is_answered,
        (epoch(answered_at) - epoch(received_at)) / 60.0 as response_minutes,
        business_minutes(received_at, answered_at) as response_business_minutes,
        same_day_due_at,
        next_day_due_at,
        answered_at <= same_day_due_at as answered_same_business_day,
        answered_at <= deadline_at as answered_by_deadline,
        source_file,
        source_row,
        load_id
    from (
        select
            *,
            year(received_date) - case when month(received_date) < 7 then 1 else 0 end
                as fiscal_year
        from next_due
    )
)

select * from final
order by received_at
