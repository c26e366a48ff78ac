"""Warehouse load through the real broker into a throwaway PostgreSQL: the
daemon runs over the dev corpus, scripts/load-postgres upserts the figures and
events topics, and SQL agrees with what was published, once and on a re-load.

Needs Debian's postgresql and python3-psycopg2 (installed here when missing
and we are root). COOPWATCH_WH_QUERY_OUT=FILE writes psql's output of the
queries in deploy/warehouse/README.md to FILE.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from collections import defaultdict
from decimal import Decimal

import harness as h

DEV = os.path.join(h.ROOT, "..", "shared", "corpus", "dev.jsonl")
DDL = os.path.join(h.ROOT, "deploy", "warehouse", "postgres.sql")
README = os.path.join(h.ROOT, "deploy", "warehouse", "README.md")
LOADER = os.path.join(h.ROOT, "scripts", "load-postgres")
PG_BIN = os.environ.get("COOPWATCH_PG_BIN", "/usr/lib/postgresql/15/bin")


def apt_install(package):
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = ["apt-get", "install", "-y", "-q", package]
    if subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL)
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)


def ensure_packages():
    if not os.path.exists(os.path.join(PG_BIN, "initdb")):
        apt_install("postgresql")
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        apt_install("python3-psycopg2")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throwaway cluster listening only on a Unix socket in its own temp
    dir. initdb refuses to run as root, so as root it runs as `postgres`."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="coopwatch-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")
        self.pg(["initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--locale=C.UTF-8", "--no-sync"])
        self.pg(["pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "server.log"), "-w",
                 "-o", f"-p {self.port} -k {self.dir} -c listen_addresses='' -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off", "start"])
        self.dsn = f"host={self.dir} port={self.port} user=postgres dbname=postgres"

    def pg(self, args):
        subprocess.run(self.as_user + [os.path.join(PG_BIN, args[0])] + args[1:], check=True,
                       stdout=subprocess.DEVNULL, cwd=self.dir)

    def psql(self, sql, dsn):
        return subprocess.run([os.path.join(PG_BIN, "psql"), "-X", "-d", dsn, "-c", sql],
                              capture_output=True, check=True, text=True).stdout

    def stop(self):
        try:
            self.pg(["pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def primary_pair(pairs):
    """Most mentions, first on a tie (the daemon's rule for figure records)."""
    best = None
    for p in pairs:
        if best is None or p["mentions"] > best["mentions"]:
            best = p
    return (best["east"], best["west"]) if best else ("", "")


def readme_queries():
    with open(README, encoding="utf-8") as f:
        return re.findall(r"```sql\n(.*?)```", f.read(), re.S)


class Warehouse(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        h.require_broker()
        ensure_packages()
        cls.cluster = Postgres()
        cls.addClassCleanup(cls.cluster.stop)

    def database(self, name):
        """A fresh database with the warehouse schema (applied twice: it is
        idempotent); sets self.dsn and self.conn."""
        import psycopg2

        admin = psycopg2.connect(self.cluster.dsn)
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute(f"create database {name}")
        admin.close()
        self.dsn = self.cluster.dsn.replace("dbname=postgres", f"dbname={name}")
        self.conn = psycopg2.connect(self.dsn)
        self.conn.autocommit = True
        self.addCleanup(self.conn.close)
        with open(DDL, encoding="utf-8") as f:
            ddl = f.read()
        with self.conn.cursor() as cur:
            cur.execute(ddl)
            cur.execute(ddl)

    def load(self, topics, group):
        started = time.time()
        out = subprocess.run(
            [sys.executable, LOADER, "--brokers", h.BOOTSTRAP, "--dsn", self.dsn,
             "--figures-topic", topics.figures, "--events-topic", topics.output,
             "--group", group, "--idle-seconds", "3"],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        summary = out.stderr.strip().splitlines()[-1]
        m = re.match(r"load-postgres: (\d+) records, (\d+) rows inserted, (\d+) updated, "
                     r"(\d+) unchanged, (\d+) skipped$", summary)
        self.assertIsNotNone(m, out.stderr)
        return dict(zip(("records", "inserted", "updated", "unchanged", "skipped"),
                        map(int, m.groups())), seconds=time.time() - started)

    def query(self, sql, *args):
        with self.conn.cursor() as cur:
            cur.execute(sql, args or None)
            return cur.fetchall()

    def snapshot(self):
        """Everything a re-load could change: counts, sums, every row's
        version (xmin) and content."""
        snap = {}
        for table, key in (("coopwatch_figures", "figure_id"), ("coopwatch_events", "event_id")):
            snap[table] = self.query(
                f"select count(*), md5(string_agg(t::text, '|' order by {key})), "
                f"md5(string_agg({key} || ':' || xmin::text, '|' order by {key})) from {table} t")
        snap["aid"] = self.query(
            "select east, west, sum(value) from coopwatch_figures "
            "where metric = 'fiscal_aid' and unit = 'CNY' group by 1, 2 order by 1, 2")
        return snap

    def test_load_dev_corpus(self):
        self.database("dev")

        # The daemon over the dev corpus, through the real broker.
        with open(DEV, "rb") as f:
            lines = [line.rstrip(b"\n") for line in f if line.strip()]
        want = subprocess.run([h.BIN, "classify"], input=b"\n".join(lines) + b"\n",
                              capture_output=True, check=True).stdout.decode().splitlines()
        n_figures = sum(len(json.loads(e)["figures"]) for e in want)
        self.assertGreater(n_figures, 0)
        topics = h.Topics(partitions=3, prefix="wh")
        self.addCleanup(topics.delete)
        h.produce(topics.input, lines)
        d = h.Daemon(topics)
        events_msgs = h.read_all(topics.output, expect=len(want), timeout=90)
        figure_msgs = h.read_all(topics.figures, expect=n_figures, timeout=60)
        self.assertEqual(d.stop(), 0, d.logs())
        self.assertEqual(len(events_msgs), len(want))
        self.assertEqual(len(figure_msgs), n_figures)
        events = [json.loads(m.value(), parse_float=Decimal) for m in events_msgs]
        figures = [json.loads(m.value(), parse_float=Decimal) for m in figure_msgs]

        # First load.
        group = f"{topics.group}-wh"
        first = self.load(topics, group)
        self.assertEqual(first["records"], len(events) + len(figures))
        self.assertEqual(first["inserted"], len(events) + len(figures))
        self.assertEqual((first["updated"], first["skipped"]), (0, 0))
        # Committed past each partition's last record (the end offset is one
        # further: the daemon's transaction marker).
        for topic, msgs in ((topics.figures, figure_msgs), (topics.output, events_msgs)):
            last = {}
            for m in msgs:
                last[m.partition()] = max(last.get(m.partition(), -1), m.offset())
            self.assertEqual({p: o for p, o in h.committed(group, topic, 3).items() if o},
                             {p: o + 1 for p, o in last.items()}, f"loader offsets on {topic}")

        # One row per figure record and per event.
        self.assertEqual(self.query("select count(*), count(distinct figure_id) from coopwatch_figures")[0],
                         (len(figures), len(figures)))
        self.assertEqual(self.query("select count(*) from coopwatch_events")[0][0], len(events))
        self.assertEqual(self.query("select count(*) from coopwatch_current_figures")[0][0], len(figures))
        self.assertEqual(self.query("select count(*) from coopwatch_events where published_ts is null "
                                    "and published_at <> ''")[0][0], 0, "unparsed published_at")

        # Fiscal aid per primary pair: SQL over the figures table equals
        # Python over the events topic; the figure records carry that pair.
        by_event = {e["event_id"]: e for e in events}
        for f in figures:
            e = by_event[f["event_id"]]
            self.assertEqual((f["east"], f["west"]), primary_pair(e["pairs"]), f["figure_id"])
        aid = defaultdict(Decimal)
        for e in events:
            for fig in e["figures"]:
                if fig["metric"] == "fiscal_aid" and fig["unit"] == "CNY":
                    aid[primary_pair(e["pairs"])] += Decimal(fig["value"])
        self.assertTrue(aid)
        got = {(east, west): total for east, west, total in self.query(
            "select east, west, sum(value) from coopwatch_figures "
            "where metric = 'fiscal_aid' and unit = 'CNY' group by 1, 2")}
        self.assertEqual(got, dict(aid))
        self.assertEqual(
            dict(self.query("select east || '-' || west, sum(value) from coopwatch_current_figures "
                            "where metric = 'fiscal_aid' and unit = 'CNY' group by 1")),
            {f"{k[0]}-{k[1]}": v for k, v in aid.items()})

        # A headline figure restated in the body is one row, not two.
        restated = [(e, i, fig) for e in events for i, fig in enumerate(e["figures"])
                    if {m["field"] for m in fig["mentions"]} == {"title", "body"}]
        self.assertTrue(restated, "no figure in the dev corpus is stated in title and body")
        for e, i, fig in restated:
            rows = self.query("select figure_id, mentions from coopwatch_figures "
                              "where event_id = %s and metric = %s and unit = %s and value = %s",
                              e["event_id"], fig["metric"], fig["unit"], Decimal(fig["value"]))
            self.assertEqual(rows, [(f"{e['event_id']}-{i}", len(fig["mentions"]))], fig["text"])

        # Re-loading changes nothing: the same group has nothing left to
        # read; a fresh group re-reads everything and touches no row.
        before = self.snapshot()
        again = self.load(topics, group)
        self.assertEqual(again["records"], 0)
        replay = self.load(topics, f"{group}-replay")
        self.assertEqual(replay["records"], len(events) + len(figures))
        self.assertEqual((replay["inserted"], replay["updated"]), (0, 0))
        self.assertEqual(replay["unchanged"], len(events) + len(figures))
        self.assertEqual(self.snapshot(), before)

        # The analyst queries of the README run and return rows.
        queries = readme_queries()
        self.assertEqual(len(queries), 3)
        out = []
        for q in queries:
            self.assertTrue(self.query(q), q)
            out.append(q.rstrip() + "\n\n" + self.cluster.psql(q, self.dsn))
        if os.environ.get("COOPWATCH_WH_QUERY_OUT"):
            with open(os.environ["COOPWATCH_WH_QUERY_OUT"], "w", encoding="utf-8") as f:
                f.write("\n".join(out))
                f.write(f"\nfirst load {first['seconds']:.1f} s, replay {replay['seconds']:.1f} s\n")

    def test_older_replay_and_bad_records(self):
        """A record older than the row (a replay of an earlier run) leaves
        it alone, a newer one replaces it, and a record that is not a v1
        figure is skipped without stopping the load."""
        self.database("replays")
        topics = h.Topics(partitions=1, prefix="wh")
        self.addCleanup(topics.delete)
        base = {"schema": "coopwatch.figure/v1", "figure_id": "0123456789abcdef-0",
                "event_id": "0123456789abcdef", "item_id": "t-1", "figure_index": 0,
                "metric": "fiscal_aid", "value": 4530000000, "upper": None, "unit": "CNY",
                "qualifier": "", "period": "2020年", "side": "east", "east": "上海",
                "west": "云南", "east_unit": "上海", "west_unit": "云南", "text": "45.3亿元",
                "mentions": 2, "published_at": "2020-12-01 09:12", "source": "云南日报",
                "url": "", "processed_at": "2026-11-25T14:30:00.000Z", "pipeline_version": "0.1.0"}
        older = dict(base, processed_at="2026-11-24T08:00:00.000Z", value=1)
        newer = dict(base, processed_at="2026-11-26T08:00:00.000Z", mentions=3)
        enc = lambda r: json.dumps(r, ensure_ascii=False).encode()
        key = lambda i, r: b"t-1"
        counts = lambda r: tuple(r[k] for k in ("records", "inserted", "updated", "unchanged", "skipped"))
        group = f"{topics.group}-a"
        h.produce(topics.figures, [enc(base), b"not json",
                                   enc(dict(base, schema="coopwatch.figure/v2"))], key=key)
        self.assertEqual(counts(self.load(topics, group)), (3, 1, 0, 0, 2))
        want = [(Decimal(4530000000), 2, self.query("select timestamptz '2020-12-01 01:12:00+00'")[0][0])]
        self.assertEqual(self.query("select value, mentions, published_ts from coopwatch_figures"), want)
        h.produce(topics.figures, [enc(older)], key=key)
        self.assertEqual(counts(self.load(topics, group)), (1, 0, 0, 1, 0))
        self.assertEqual(self.query("select value, mentions, published_ts from coopwatch_figures"), want)
        h.produce(topics.figures, [enc(newer)], key=key)
        self.assertEqual(counts(self.load(topics, group)), (1, 0, 1, 0, 0))
        self.assertEqual(self.query("select mentions, processed_at = timestamptz %s from coopwatch_figures",
                                    newer["processed_at"]), [(3, True)])


if __name__ == "__main__":
    unittest.main(verbosity=2)
