"""Foundation round trip through the real broker: a mixed batch in, exact
events and dead letters out, offsets committed over the whole batch, and a
SIGTERM restart mid-stream that loses nothing."""
import json
import os
import signal
import subprocess
import threading
import time
import unittest

import jsonschema

import harness as h

SAMPLE = os.path.join(h.ROOT, "tests", "data", "sample", "news-sample.jsonl")
DEV = os.path.join(h.ROOT, "..", "shared", "corpus", "dev.jsonl")


def corpus_lines():
    lines = []
    for path in (SAMPLE, DEV):
        if os.path.exists(path):
            with open(path, "rb") as f:
                for line in f:
                    try:
                        if "id" in json.loads(line):
                            lines.append(line.rstrip(b"\n"))
                    except ValueError:
                        pass  # the sample's deliberately broken records
    return lines


def bad_records():
    """(record bytes, expected dead-letter reason)."""
    return [
        (b'{"id": "bad-1", "title": "trunc', "malformed_json"),
        (b"[1,2,3]", "not_an_object"),
        (b'{"title": "no id", "body": "x"}', "missing_id"),
        (b'{"id": "bad-4"}', "missing_text"),
        (b'{"id": 5, "title": "numeric id"}', "bad_id"),
        (b'{"id": "bad-6", "title": ["x"]}', "wrong_type"),
        ('{"id": "bad-7", "title": "gbk '.encode() + "扶贫".encode("gbk") + b'"}', "invalid_utf8"),
        (b"", "empty_record"),
        (b'{"id": "bad-9", "title": "big", "body": "' + b"x" * 70000 + b'"}', "oversized"),
    ]


def expected_events(lines):
    """What the core makes of `lines`: the pipe mode runs the same pipeline."""
    out = subprocess.run([h.BIN, "classify"], input=b"\n".join(lines) + b"\n",
                         capture_output=True, check=True).stdout
    return {e["item_id"]: e for e in map(json.loads, out.decode().splitlines())}


def strip_time(event):
    e = dict(event)
    e.pop("processed_at", None)
    return e


class RoundTrip(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        h.require_broker()

    def run_mixed_batch(self, delivery):
        topics = h.Topics(partitions=3)
        self.addCleanup(topics.delete)
        good = corpus_lines()
        bad = bad_records()
        want = expected_events(good)
        self.assertGreater(len(want), 0)
        records = good + [r for r, _ in bad]
        h.produce(topics.input, records)

        d = h.Daemon(topics, delivery=delivery)
        events = h.read_all(topics.output, expect=len(want), timeout=90)
        dead = h.read_all(topics.dlq, expect=len(bad), timeout=60)
        self.assertTrue(h.wait_until(
            lambda: sum(v for v in h.committed(topics.group, topics.input, 3).values() if v > 0)
            == len(records), timeout=30), "offsets do not cover the batch")
        self.assertEqual(d.stop(), 0, d.logs())

        got = {}
        for m in events:
            e = json.loads(m.value())
            self.assertNotIn(e["item_id"], got, "duplicate event")
            self.assertEqual(m.key().decode(), e["item_id"], "events are keyed by item id")
            got[e["item_id"]] = e
        self.assertEqual(set(got), set(want))
        for iid, e in got.items():
            self.assertEqual(strip_time(e), strip_time(want[iid]), iid)

        schema = h.load_schema("event.v1.json")
        for e in got.values():
            jsonschema.validate(e, schema)

        self.assertEqual(len(dead), len(bad))
        reasons = sorted(dict(m.headers())["coopwatch.reason"].decode() for m in dead)
        self.assertEqual(reasons, sorted(r for _, r in bad))
        dlq_schema = h.load_schema("dead-letter.json")
        for m in dead:
            headers = dict(m.headers())
            jsonschema.validate({k: v.decode() for k, v in headers.items()}, dlq_schema)
            self.assertEqual(headers["coopwatch.source.topic"].decode(), topics.input)
            offset = int(headers["coopwatch.source.offset"])
            self.assertGreaterEqual(offset, 0)
            self.assertIn(m.value() or b"", [r for r, _ in bad], "dead letters carry the record unchanged")
        # One flat figure record per figure, same transaction, schema-valid.
        n_figures = sum(len(e["figures"]) for e in got.values())
        figure_msgs = h.read_all(topics.figures, expect=n_figures, timeout=60) if n_figures else []
        self.assertEqual(len(figure_msgs), n_figures)
        figure_schema = h.load_schema("figure.v1.json")
        rows = {}
        for m in figure_msgs:
            row = json.loads(m.value())
            jsonschema.validate(row, figure_schema)
            self.assertNotIn(row["figure_id"], rows)
            rows[row["figure_id"]] = row
            f = got[row["item_id"]]["figures"][row["figure_index"]]
            self.assertEqual((row["value"], row["unit"], row["metric"]), (f["value"], f["unit"], f["metric"]))

        ends = h.end_offsets(topics.input, 3)
        self.assertEqual(h.committed(topics.group, topics.input, 3), ends)

    def test_exactly_once_mixed_batch(self):
        self.run_mixed_batch("exactly_once")

    def test_at_least_once_mixed_batch(self):
        self.run_mixed_batch("at_least_once")

    def test_sigterm_restart_loses_nothing(self):
        topics = h.Topics(partitions=3)
        self.addCleanup(topics.delete)
        base = corpus_lines()
        lines = []
        # 3000 items with distinct ids, built from the corpus.
        for i in range(3000):
            item = json.loads(base[i % len(base)])
            item["id"] = f"{item['id']}#{i}"
            lines.append(json.dumps(item, ensure_ascii=False).encode())
        want = expected_events(lines)

        # The producer feeds the topic in waves while the daemon is stopped
        # with SIGTERM and started again three times: every stop lands
        # mid-stream, with records in flight.
        feeder = threading.Thread(target=lambda: [
            (h.produce(topics.input, lines[i:i + 100]), time.sleep(0.25))
            for i in range(0, len(lines), 100)])
        feeder.start()
        for round_ in range(3):
            d = h.Daemon(topics, extra=["batch.max_records=100"])
            time.sleep(2.0)
            self.assertEqual(d.stop(signal.SIGTERM), 0, d.logs())
            self.assertIn("stopped", d.logs())
        self.assertTrue(feeder.is_alive(), "stops must land while records still arrive")
        feeder.join()
        d = h.Daemon(topics)
        events = h.read_all(topics.output, expect=len(want), timeout=120)
        self.assertEqual(d.stop(), 0, d.logs())
        ids = [json.loads(m.value())["item_id"] for m in events]
        self.assertEqual(set(ids), set(want), "lost events")
        self.assertEqual(len(ids), len(set(ids)), "duplicated events")
        self.assertEqual(h.committed(topics.group, topics.input, 3), h.end_offsets(topics.input, 3))


if __name__ == "__main__":
    unittest.main(verbosity=2)
