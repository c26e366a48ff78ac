"""Operations against the real broker: /metrics counters match what was
sent, /healthz and /readyz tell the truth, a daemon started before its
broker waits, says so, and works once the broker appears, and one whose
topics are deleted under it still stops promptly."""
import json
import os
import re
import socket
import subprocess
import time
import unittest
import urllib.error
import urllib.request

import harness as h
from test_roundtrip import bad_records, corpus_lines, expected_events


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError:
        return None, ""


def scrape(port):
    status, text = http_get(f"http://127.0.0.1:{port}/metrics")
    values = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, _, value = line.rpartition(" ")
        values[name] = float(value)
    return values


class Metrics(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        h.require_broker()

    def test_counters_match_the_records_sent(self):
        topics = h.Topics(partitions=2)
        self.addCleanup(topics.delete)
        good = corpus_lines()
        bad = bad_records()
        want = expected_events(good)
        h.produce(topics.input, good + [r for r, _ in bad])
        port = free_port()
        d = h.Daemon(topics, metrics=f"127.0.0.1:{port}",
                     extra=["kafka.common.statistics.interval.ms=1000"])
        self.addCleanup(d.stop)
        total = len(good) + len(bad)
        self.assertTrue(h.wait_until(
            lambda: scrape(port).get("coopwatch_batches_committed_total", 0) > 0 and
            scrape(port).get("coopwatch_records_consumed_total") == total, timeout=90), d.logs())
        h.read_all(topics.output, expect=len(want))
        m = scrape(port)
        self.assertEqual(m["coopwatch_records_consumed_total"], total)
        self.assertEqual(m["coopwatch_events_published_total"], len(want))
        self.assertEqual(m["coopwatch_items_irrelevant_total"], len(good) - len(want))
        by_reason = {}
        for _, reason in bad:
            by_reason[reason] = by_reason.get(reason, 0) + 1
        for reason, n in by_reason.items():
            self.assertEqual(m[f'coopwatch_dead_letters_total{{reason="{reason}"}}'], n, reason)
        figures = sum(v for k, v in m.items() if k.startswith("coopwatch_figures_extracted_total"))
        self.assertEqual(figures, sum(len(e["figures"]) for e in want.values()))
        self.assertAlmostEqual(m["coopwatch_relevant_ratio"], len(want) / len(good), places=6)
        self.assertGreater(m['coopwatch_stage_seconds_count{stage="normalize"}'], 0)
        # The per-thread and per-batch tallies reach the histograms whole:
        # every record is timed, and every record's batch commit is observed.
        self.assertEqual(m["coopwatch_record_processing_seconds_count"], total)
        self.assertEqual(m['coopwatch_stage_seconds_count{stage="decode"}'], total)
        self.assertTrue(h.wait_until(
            lambda: scrape(port).get("coopwatch_end_to_end_seconds_count") == total, timeout=30),
            scrape(port).get("coopwatch_end_to_end_seconds_count"))
        self.assertIn("coopwatch_build_info", " ".join(m))
        # Lag is published from librdkafka's statistics once they arrive.
        self.assertTrue(h.wait_until(
            lambda: any(k.startswith("coopwatch_consumer_lag") for k in scrape(port)), timeout=15))
        self.assertEqual(http_get(f"http://127.0.0.1:{port}/healthz")[0], 200)
        self.assertEqual(http_get(f"http://127.0.0.1:{port}/readyz")[0], 200)
        self.assertEqual(d.stop(), 0)


class ScaleOut(unittest.TestCase):
    """Three instances in one group on a 6-partition topic share 30 000
    items: all processed exactly once, and each instance did part of it."""

    def test_three_instances_share_the_load(self):
        from batch import Batch
        h.require_broker()
        topics = h.Topics(partitions=6)
        self.addCleanup(topics.delete)
        batch = Batch(n=30_000, bad_every=50)
        ports = [free_port() for _ in range(3)]
        daemons = [h.Daemon(topics, instance=f"node-{i}", metrics=f"127.0.0.1:{p}")
                   for i, p in enumerate(ports)]
        for d in daemons:
            self.addCleanup(d.stop)
        # All three are members before the records arrive.
        self.assertTrue(h.wait_until(
            lambda: all(scrape(p).get("coopwatch_assigned_partitions", 0) >= 1 for p in ports),
            timeout=60))
        batch.produce(topics.input)
        result = batch.account(self, topics, timeout=240)
        self.assertTrue(h.wait_until(
            lambda: sum(scrape(p).get("coopwatch_records_consumed_total", 0) for p in ports)
            >= len(batch.records), timeout=60))
        consumed = [scrape(p).get("coopwatch_records_consumed_total", 0) for p in ports]
        assigned = [scrape(p).get("coopwatch_assigned_partitions", 0) for p in ports]
        for d in daemons:
            self.assertEqual(d.stop(), 0, d.logs()[-2000:])
        self.assertEqual(sum(consumed), len(batch.records), consumed)
        self.assertTrue(all(c > 0 for c in consumed), f"an instance did nothing: {consumed}")
        self.assertEqual(sum(assigned), 6, assigned)
        print(f"SCALE-OUT consumed per instance {consumed}, partitions {assigned}, {result}")


class Reload(unittest.TestCase):
    """SIGHUP reloads the data files between batches without dropping or
    repeating a record; a broken data directory keeps the old data."""

    def test_sighup_reload_mid_stream(self):
        import shutil
        import signal
        import tempfile
        from batch import Batch
        h.require_broker()
        data = tempfile.mkdtemp(prefix="coopwatch-data-")
        self.addCleanup(shutil.rmtree, data, True)
        shutil.copytree(os.path.join(h.ROOT, "daemon", "core", "data"), data, dirs_exist_ok=True)
        topics = h.Topics(partitions=3)
        self.addCleanup(topics.delete)
        batch = Batch(n=3000)
        feeder = batch.produce_in_background(topics.input, waves=20, pause=0.3)
        d = h.Daemon(topics, extra=[f"data_dir={data}", "batch.max_records=100"])
        self.addCleanup(d.stop)
        time.sleep(2)
        d.proc.send_signal(signal.SIGHUP)
        self.assertTrue(h.wait_until(lambda: "data files reloaded" in d.logs(), timeout=30), d.logs()[-2000:])
        # A reload that fails (a data file gone) keeps the previous data.
        victim = os.path.join(data, "classify", "weights.tsv")
        os.rename(victim, victim + ".moved")
        d.proc.send_signal(signal.SIGHUP)
        self.assertTrue(h.wait_until(lambda: "reload failed" in d.logs(), timeout=30), d.logs()[-2000:])
        os.rename(victim + ".moved", victim)
        feeder.join()
        batch.account(self, topics)
        self.assertIsNone(d.proc.poll())
        self.assertEqual(d.stop(), 0)


class MissingTopic(unittest.TestCase):
    def test_missing_output_topic_is_a_clear_start_up_error(self):
        h.require_broker()
        topics = h.Topics(partitions=1)
        self.addCleanup(topics.delete)
        topics.output = topics.output + "-does-not-exist"
        d = h.Daemon(topics, extra=["startup.topic_wait_ms=1000"])
        self.assertEqual(d.proc.wait(60), 2, d.logs())
        self.assertIn("topics do not exist", d.logs())
        self.assertIn(topics.output, d.logs())


class TopicsDeleted(unittest.TestCase):
    """Topics deleted under a running daemon: SIGTERM still stops it within
    seconds and with exit code 0 (librdkafka 2.0 can wait on a broker thread
    for a long time when its handles are destroyed after that)."""

    def test_stop_after_the_topics_were_deleted(self):
        h.require_broker()
        topics = h.Topics(partitions=1)
        h.produce(topics.input, corpus_lines()[:20])
        d = h.Daemon(topics, delivery="at_least_once")
        self.addCleanup(lambda: d.proc.poll() is None and d.proc.kill())
        h.wait_until(lambda: h.committed(topics.group, topics.input, 1)[0] >= 20, timeout=60)
        topics.delete()
        time.sleep(3)  # the daemon notices the topics are gone
        started = time.time()
        self.assertEqual(d.stop(timeout=15), 0, d.logs()[-3000:])
        self.assertLess(time.time() - started, 10, d.logs()[-3000:])


class BrokerLate(unittest.TestCase):
    """The daemon starts while no broker listens: it logs, retries, reports
    not-ready, and processes everything once a broker appears there."""

    def test_broker_unreachable_at_start(self):
        kafka_port = free_port()
        brokers = f"127.0.0.1:{kafka_port}"
        env = dict(os.environ, KAFKA_PORT=str(kafka_port), COOPWATCH_INPUT_PARTITIONS="2")
        scripts = os.path.join(h.ROOT, "scripts")

        class LateTopics:
            input, output, dlq, group = "news.raw", "news.eastwest.events", "news.raw.dlq", "late"
            figures = "news.eastwest.figures"
        metrics_port = free_port()
        old = h.BOOTSTRAP
        h.BOOTSTRAP = brokers
        try:
            d = h.Daemon(LateTopics, metrics=f"127.0.0.1:{metrics_port}")
            self.addCleanup(d.stop)
            time.sleep(4)
            self.assertIsNone(d.proc.poll(), "the daemon must keep running without a broker")
            self.assertEqual(http_get(f"http://127.0.0.1:{metrics_port}/healthz")[0], 200)
            status, body = http_get(f"http://127.0.0.1:{metrics_port}/readyz")
            self.assertEqual(status, 503, body)
            self.assertRegex(d.logs(), re.compile(r"(broker|Connection refused|retrying)", re.I))

            subprocess.run([os.path.join(scripts, "kafka-up")], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            self.addCleanup(subprocess.run, [os.path.join(scripts, "kafka-down")], env=env,
                            stdout=subprocess.DEVNULL)
            lines = corpus_lines()[:40]
            want = expected_events(lines)
            h.produce("news.raw", lines)
            events = h.read_all("news.eastwest.events", expect=len(want), timeout=120)
            self.assertEqual({json.loads(m.value())["item_id"] for m in events}, set(want))
            self.assertTrue(h.wait_until(
                lambda: http_get(f"http://127.0.0.1:{metrics_port}/readyz")[0] == 200, timeout=20))
            self.assertEqual(d.stop(), 0, d.logs())
        finally:
            h.BOOTSTRAP = old


if __name__ == "__main__":
    unittest.main(verbosity=2)
