-- coopwatch warehouse tables for PostgreSQL (13 or later).
--
-- One row per event (news.eastwest.events, coopwatch.event/v1) keyed by
-- event_id, one row per figure (news.eastwest.figures, coopwatch.figure/v1)
-- keyed by figure_id. Both ids are stable across replays, so loaders upsert:
-- scripts/load-postgres does `insert ... on conflict do update`, touching a
-- row only when a record is at least as new (processed_at) and differs.
--
-- Safe to run again: every statement is `if not exists` or `or replace`.
-- Column names follow the JSON field names; extra columns are marked.
--
-- There is no foreign key from figures to events: the two topics are read
-- independently, so a figure can land a moment before its event.

-- published_at is whatever the source gave. This turns the usual shapes
-- into a timestamptz and everything else into null:
--   2020-06-09T13:32:00+08:00, 2020-06-09 13:32, 2020/6/9, 2020.06.09,
--   2020年6月9日 13:32, 2020年6月9日13时5分, ...Z, ...+0800
-- A time without an offset is taken as China Standard Time (+08:00), which is
-- what Chinese news sites print. The result depends only on the argument
-- (the cast gets an explicit offset), so the function is truly immutable and
-- can feed a generated column.
create or replace function coopwatch_parse_ts(s text) returns timestamptz
language plpgsql immutable parallel safe as $$
declare
  m text[];
  tz text;
begin
  if s is null then
    return null;
  end if;
  m := regexp_match(btrim(s),
    '^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?'
    '(?:\s*T?\s*(\d{1,2})[:时点](\d{1,2})(?:[:分](\d{1,2}(?:\.\d+)?)秒?|分)?)?'
    '\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$');
  if m is null then
    return null;
  end if;
  tz := coalesce(m[7], '+08:00');
  if tz in ('Z', 'z') then
    tz := '+00:00';
  elsif length(tz) = 3 then
    tz := tz || ':00';
  elsif length(tz) = 5 then
    tz := substr(tz, 1, 3) || ':' || substr(tz, 4, 2);
  end if;
  return format('%s-%s-%s %s:%s:%s%s', m[1], lpad(m[2], 2, '0'), lpad(m[3], 2, '0'),
                lpad(coalesce(m[4], '0'), 2, '0'), lpad(coalesce(m[5], '0'), 2, '0'),
                coalesce(m[6], '0'), tz)::timestamptz;
exception when others then  -- 2020-02-30, 25:00 ...
  return null;
end
$$;

create table if not exists coopwatch_events (
  event_id         text primary key check (event_id ~ '^[0-9a-f]{16}$'),
  item_id          text not null,
  source           text not null,              -- '' when the item had none
  url              text not null,
  published_at     text not null,              -- as given by the source
  published_ts     timestamptz                 -- extra: published_at parsed, null when unparseable
                   generated always as (coopwatch_parse_ts(published_at)) stored,
  title            text not null,              -- normalised (Simplified, NFKC)
  score            double precision not null,
  east             text not null,              -- extra: the primary pair (most mentions,
  west             text not null,              --   first on a tie), '' when none;
  east_unit        text not null,              --   the same pair as the event's
  west_unit        text not null,              --   figure records carry
  pairs            jsonb not null,             -- every pair, as in the event
  topics           text[] not null,
  figure_count     integer not null,           -- extra: length of the event's figures array
  text_quality     jsonb,
  processed_at     timestamptz not null,
  pipeline_version text not null,
  event            jsonb not null              -- extra: the whole record, lossless
);
create index if not exists coopwatch_events_pair on coopwatch_events (east, west);
create index if not exists coopwatch_events_published on coopwatch_events (published_ts);
create index if not exists coopwatch_events_item on coopwatch_events (item_id, processed_at);

create table if not exists coopwatch_figures (
  figure_id        text primary key check (figure_id ~ '^[0-9a-f]{16}-[0-9]+$'),
  event_id         text not null,
  item_id          text not null,
  figure_index     integer not null check (figure_index >= 0),
  metric           text not null,              -- fiscal_aid, people_lifted ... (schemas/figure.v1.json)
  value            numeric not null,           -- in unit; lower bound when approximate
  upper            numeric,                    -- upper bound of a range, else null
  unit             text not null,              -- CNY person person_time household count percent mu, or ISO 4217
  qualifier        text not null,
  period           text not null,
  side             text not null,
  east             text not null,
  west             text not null,
  east_unit        text not null,
  west_unit        text not null,
  text             text not null,              -- the figure as written
  mentions         integer not null check (mentions >= 1),
  published_at     text not null,
  published_ts     timestamptz
                   generated always as (coopwatch_parse_ts(published_at)) stored,
  source           text not null,
  url              text not null,
  processed_at     timestamptz not null,
  pipeline_version text not null
);
create index if not exists coopwatch_figures_pair on coopwatch_figures (east, west);
create index if not exists coopwatch_figures_metric on coopwatch_figures (metric, unit);
create index if not exists coopwatch_figures_published on coopwatch_figures (published_ts);
create index if not exists coopwatch_figures_event on coopwatch_figures (event_id);

-- What analysts should query. The tables keep history: an item processed by
-- two pipeline versions has two event_ids, and an item re-sent with other
-- text under the same version may leave figure rows past its new figure
-- count. The views keep, per item, the most recently processed event and
-- only the figures that event lists.
create or replace view coopwatch_current_events as
  select distinct on (item_id) *
  from coopwatch_events
  order by item_id, processed_at desc, event_id;

create or replace view coopwatch_current_figures as
  select f.*
  from coopwatch_figures f
  join coopwatch_current_events e
    on e.event_id = f.event_id and f.figure_index < e.figure_count;
