-- coopwatch warehouse tables for ClickHouse.
--
-- Same columns as deploy/warehouse/postgres.sql where ClickHouse allows, so a
-- record of news.eastwest.figures (coopwatch.figure/v1) inserts as it is with
-- FORMAT JSONEachRow (`schema` is skipped as an unknown field), and so does
-- a record of news.eastwest.events (coopwatch.event/v1) apart from its
-- `figures` array, which the figures table holds row by row.
--
-- ReplacingMergeTree(processed_at) keeps, per sorting key (figure_id /
-- event_id, both stable across replays), the most recently processed row
-- once parts merge. Query with FINAL (or argMax) to see that row before
-- merges. Loading the same records twice is therefore harmless.
--
-- Safe to run again: every statement is `if not exists`.

create table if not exists coopwatch_events
(
    event_id         String,
    item_id          String,
    source           String,
    url              String,
    published_at     String,                 -- as given by the source
    -- published_at parsed (null when unparseable, +08:00 when it has no offset)
    published_ts     Nullable(DateTime64(3, 'UTC'))
                     materialized parseDateTime64BestEffortOrNull(published_at, 3, 'Asia/Shanghai'),
    title            String,
    score            Float64,
    pairs            Array(Tuple(east String, west String, east_unit String, west_unit String,
                                 mentions UInt32, field String, span Array(UInt32))),
    -- the primary pair (most mentions, first on a tie), as in the figure records
    east             LowCardinality(String)
                     materialized tupleElement(pairs[indexOf(arrayMap(p -> p.mentions, pairs),
                                          arrayMax(arrayMap(p -> p.mentions, pairs)))], 'east'),
    west             LowCardinality(String)
                     materialized tupleElement(pairs[indexOf(arrayMap(p -> p.mentions, pairs),
                                          arrayMax(arrayMap(p -> p.mentions, pairs)))], 'west'),
    topics           Array(LowCardinality(String)),
    text_quality     Map(String, UInt64),
    processed_at     DateTime64(3, 'UTC'),
    pipeline_version LowCardinality(String),
    index events_pair (east, west) type bloom_filter granularity 4,
    index events_published published_ts type minmax granularity 4
)
engine = ReplacingMergeTree(processed_at)
order by event_id;

create table if not exists coopwatch_figures
(
    figure_id        String,
    event_id         String,
    item_id          String,
    figure_index     UInt32,
    metric           LowCardinality(String),
    value            Decimal(38, 4),         -- in unit, lower bound when approximate
    upper            Nullable(Decimal(38, 4)),
    unit             LowCardinality(String),
    qualifier        String,
    period           String,
    side             LowCardinality(String),
    east             LowCardinality(String),
    west             LowCardinality(String),
    east_unit        String,
    west_unit        String,
    text             String,
    mentions         UInt32,
    published_at     String,
    published_ts     Nullable(DateTime64(3, 'UTC'))
                     materialized parseDateTime64BestEffortOrNull(published_at, 3, 'Asia/Shanghai'),
    source           String,
    url              String,
    processed_at     DateTime64(3, 'UTC'),
    pipeline_version LowCardinality(String),
    index figures_pair (east, west) type bloom_filter granularity 4,
    index figures_metric metric type set(64) granularity 4,
    index figures_published published_ts type minmax granularity 4
)
engine = ReplacingMergeTree(processed_at)
order by figure_id;
