-- Intake systems as they really come (issue 8).
--
-- raw.inquiry_register.first_response_recorded: whether the row's source has
-- a first-response column at all. A source without one (a city 311 export)
-- leaves R3 and R5 out for its items ("not recorded by this source"), rather
-- than counting them as never answered. Rows loaded before this column
-- existed came from sources that had one: NULL reads as true.
alter table raw.inquiry_register add column first_response_recorded boolean;

-- meta.loads.recipe: how the file was read (the column mapping's content and
-- the settings that decide dates and checks). The same file (same sha256)
-- read under another recipe may be loaded again; its rows then replace what
-- the earlier reading produced, whose load is marked 'replaced'.
alter table meta.loads add column recipe varchar;
