-- How each file fared against each Great Expectations check, per load:
-- the readable validation report of the data page.
create table meta.validation_results (
    load_id varchar not null,
    expectation varchar not null,
    column_name varchar,
    success boolean not null,
    unexpected_count integer not null,
    examples varchar[]
);
