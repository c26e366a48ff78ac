"""Pipelined at-least-once commits and parallel workers, against the real
broker: many small at-least-once batches in flight commit every offset and
lose nothing; a backlog drains through a tiny prefetch queue (the fetcher
woken); two workers publish exactly what one worker publishes (byte for
byte apart from processed_at) in the same order per partition; a metric
scrape shows the stage histograms fed from both workers."""
import json
import re
import signal
import time
import unittest

import harness as h
from batch import Batch
from test_operations import free_port, scrape

PROCESSED_AT = re.compile(rb'"processed_at":"[^"]*"')


def committed_all(topics, n, partitions=3):
    return lambda: sum(h.committed(topics.group, topics.input, partitions).values()) == n


def by_partition(messages, source_partition):
    """Output records per (output partition, input partition), in offset
    order, processed_at blanked. Records from different input partitions
    may interleave differently from run to run; those of one input partition
    must keep its order."""
    out = {}
    for m in sorted(messages, key=lambda m: (m.partition(), m.offset())):
        out.setdefault((m.partition(), source_partition(m)), []).append(
            (m.key(), PROCESSED_AT.sub(b'"processed_at":""', m.value() or b""), sorted(m.headers() or [])))
    return out


def source_of(input_partitions):
    """Input partition of an output record: dead letters say it in a header;
    events and figure rows name the item, whose id ends in #<index> of the
    input record keyed k<index>."""
    def source(m):
        headers = dict(m.headers() or [])
        if "coopwatch.source.partition" in headers:
            return int(headers["coopwatch.source.partition"])
        item_id = json.loads(m.value())["item_id"]
        return input_partitions[f"k{int(item_id.rsplit('#', 1)[1]):06d}".encode()]
    return source


def drain_backlog(test, n, delivery, extra):
    """A daemon with a metrics port, started on a fresh 3-partition topic
    that already holds `n` records: (topics, batch, port, daemon)."""
    topics = h.Topics(partitions=3)
    test.addCleanup(topics.delete)
    batch = Batch(n=n)
    batch.produce(topics.input)
    port = free_port()
    d = h.Daemon(topics, delivery=delivery, metrics=f"127.0.0.1:{port}", extra=extra)
    test.addCleanup(d.stop)
    return topics, batch, port, d


class Pipelining(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        h.require_broker()

    def test_at_least_once_many_batches_in_flight_commit_everything(self):
        """6 000 records in batches of 50: batches close faster than their
        acknowledgements arrive, so several wait at once. At the end the
        committed offsets are the end offsets, no batch was aborted, and
        every item is accounted for."""
        topics, batch, port, d = drain_backlog(self, 6000, "at_least_once",
                                               ["batch.max_records=50", "batch.max_ms=1000"])
        self.assertTrue(h.wait_until(committed_all(topics, len(batch.records)), timeout=180),
                        d.logs()[-3000:])
        self.assertEqual(h.committed(topics.group, topics.input, 3), h.end_offsets(topics.input, 3))
        result = batch.account(self, topics, exactly_once=False)
        m = scrape(port)
        self.assertGreaterEqual(m["coopwatch_batches_committed_total"], len(batch.records) / 50)
        self.assertEqual(m["coopwatch_batches_aborted_total"], 0, d.logs()[-3000:])
        self.assertEqual(d.stop(), 0, d.logs()[-3000:])
        self.assertNotIn("batch aborted", d.logs())
        self.assertEqual(result["duplicates"], 0, "no fault, so no repeat")

    def test_sigterm_with_batches_in_flight_commits_what_was_delivered(self):
        """SIGTERM while a producer feeds and small batches are in flight:
        the daemon waits for their acknowledgements and commits them; a
        restarted daemon finishes the rest. Nothing is lost."""
        topics = h.Topics(partitions=3)
        self.addCleanup(topics.delete)
        batch = Batch(n=3000)
        feeder = batch.produce_in_background(topics.input, waves=20, pause=0.2)
        extra = ["batch.max_records=40", "processing.workers=2"]
        for _ in range(3):
            d = h.Daemon(topics, delivery="at_least_once", extra=extra)
            time.sleep(1.5)
            self.assertEqual(d.stop(signal.SIGTERM), 0, d.logs()[-3000:])
            self.assertIn("stopped", d.logs())
        feeder.join()
        d = h.Daemon(topics, delivery="at_least_once", extra=extra)
        self.addCleanup(d.stop)
        batch.account(self, topics, exactly_once=False)
        self.assertTrue(h.wait_until(committed_all(topics, len(batch.records)), timeout=120))
        self.assertEqual(d.stop(), 0, d.logs()[-3000:])


class PrefetchRefill(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        h.require_broker()

    def test_a_backlog_drains_through_a_tiny_prefetch_queue(self):
        """librdkafka 2.0 stops fetching whenever the prefetch queue is full
        and looks again up to a second later; the daemon wakes the fetcher
        once the queue has room (fetch_wakeup.h). With a 64 KB queue and
        32 KB fetches, 3 000 records need many refills, each a stop of the
        fetcher. The drain finishes, the wake-ups are counted, and every
        item is accounted for exactly once."""
        topics, batch, port, d = drain_backlog(self, 3000, "exactly_once",
                                               ["kafka.consumer.queued.max.messages.kbytes=64",
                                                "kafka.consumer.fetch.message.max.bytes=32768"])
        self.assertTrue(h.wait_until(committed_all(topics, len(batch.records)), timeout=60),
                        d.logs()[-3000:])
        m = scrape(port)
        self.assertGreater(m["coopwatch_fetch_wakeups_total"], 0)
        result = batch.account(self, topics, exactly_once=True)
        self.assertEqual(result["duplicates"], 0)
        self.assertEqual(d.stop(), 0, d.logs()[-3000:])


class Workers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        h.require_broker()

    def drain(self, input_topic, workers, delivery, n, metrics=""):
        """A fresh group and fresh outputs reading `input_topic` with `workers`."""
        topics = h.Topics(partitions=3)
        self.addCleanup(topics.delete)
        topics.input = input_topic  # the shared input; its own stays unused
        d = h.Daemon(topics, delivery=delivery, instance=f"w{workers}", metrics=metrics,
                     extra=[f"processing.workers={workers}", "batch.max_records=500"])
        self.addCleanup(d.stop)
        self.assertTrue(h.wait_until(committed_all(topics, n), timeout=180), d.logs()[-3000:])
        outputs = {name: h.read_all(getattr(topics, name)) for name in ("output", "figures", "dlq")}
        return d, outputs

    def test_two_workers_publish_what_one_publishes_in_the_same_order(self):
        source = h.Topics(partitions=3)
        self.addCleanup(source.delete)
        batch = Batch(n=4000)
        batch.produce(source.input)
        n = len(batch.records)
        one, out1 = self.drain(source.input, 1, "exactly_once", n)
        port = free_port()
        two, out2 = self.drain(source.input, 2, "exactly_once", n, metrics=f"127.0.0.1:{port}")
        metrics = scrape(port)
        for d in (one, two):
            self.assertEqual(d.stop(), 0, d.logs()[-3000:])
        self.assertIn("workers=2", two.logs())
        self.assertEqual(len(out1["output"]), len(batch.want), "workers=1 lost or repeated events")
        inputs = {m.key(): m.partition() for m in h.read_all(source.input, expect=n)}
        self.assertEqual(len(inputs), n)
        source_partition = source_of(inputs)
        for name in ("output", "figures", "dlq"):
            a = by_partition(out1[name], source_partition)
            b = by_partition(out2[name], source_partition)
            self.assertEqual(sorted(a), sorted(b), f"{name}: partitions differ")
            self.assertTrue(a, f"{name}: nothing published")
            for p in a:
                self.assertEqual(len(a[p]), len(b[p]), f"{name} partitions {p}: counts differ")
                for i, (x, y) in enumerate(zip(a[p], b[p])):
                    self.assertEqual(x, y, f"{name} partitions {p}, record {i}: differs or out of order")
        # Every record went through a pipeline on one of the two workers,
        # and every stage histogram saw every decoded record.
        self.assertEqual(metrics["coopwatch_records_consumed_total"], n)
        self.assertEqual(metrics["coopwatch_record_processing_seconds_count"], n)
        self.assertEqual(metrics['coopwatch_stage_seconds_count{stage="decode"}'], n)

    def test_two_workers_at_least_once_lose_nothing(self):
        topics = h.Topics(partitions=3)
        self.addCleanup(topics.delete)
        batch = Batch(n=4000)
        batch.produce(topics.input)
        d = h.Daemon(topics, delivery="at_least_once", extra=["processing.workers=2"])
        self.addCleanup(d.stop)
        self.assertTrue(h.wait_until(committed_all(topics, len(batch.records)), timeout=180),
                        d.logs()[-3000:])
        result = batch.account(self, topics, exactly_once=False)
        self.assertEqual(result["duplicates"], 0)
        self.assertEqual(d.stop(), 0, d.logs()[-3000:])

    def test_sighup_reload_with_two_workers(self):
        topics = h.Topics(partitions=3)
        self.addCleanup(topics.delete)
        batch = Batch(n=2000)
        feeder = batch.produce_in_background(topics.input, waves=10, pause=0.3)
        d = h.Daemon(topics, extra=["processing.workers=2"])
        self.addCleanup(d.stop)
        time.sleep(1.5)
        d.proc.send_signal(signal.SIGHUP)
        feeder.join()
        batch.account(self, topics)
        self.assertTrue(h.wait_until(lambda: "data files reloaded" in d.logs(), timeout=30), d.logs()[-2000:])
        self.assertEqual(d.stop(), 0, d.logs()[-3000:])


if __name__ == "__main__":
    unittest.main(verbosity=2)
