"""Fault tolerance against the real broker: SIGKILL mid-batch, broker
restart, rebalances with instances joining and leaving (both assignor
families), a throttled burst with bounded memory, and an output topic that
refuses records. Each test accounts for every input exactly once."""
import json
import os
import random
import signal
import subprocess
import sys
import time
import unittest

import harness as h
from batch import Batch

ASSIGNORS = {"eager": "range,roundrobin", "cooperative": "cooperative-sticky"}
RESULTS = []  # printed at the end: the README's "Guarantees" figures


def assignor(name):
    return [f"kafka.consumer.partition.assignment.strategy={ASSIGNORS[name]}"]


def rss_peak_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


class Faults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        h.require_broker()

    @classmethod
    def tearDownClass(cls):
        for r in RESULTS:
            print("FAULT-RESULT " + json.dumps(r, ensure_ascii=False), file=sys.stderr)

    def sigkill_scenario(self, delivery, assign, workers=1):
        seed = int(os.environ.get("COOPWATCH_FAULT_SEED", time.time()))
        rnd = random.Random(seed)
        topics = h.Topics(partitions=3)
        self.addCleanup(topics.delete)
        batch = Batch(n=3000)
        feeder = batch.produce_in_background(topics.input, waves=30, pause=0.2)
        kills = 0
        for _ in range(4):
            d = h.Daemon(topics, delivery=delivery,
                         extra=["batch.max_records=150", f"processing.workers={workers}"] + assignor(assign))
            time.sleep(rnd.uniform(1.0, 3.0))
            d.stop(signal.SIGKILL)
            kills += 1
        feeder.join()
        d = h.Daemon(topics, delivery=delivery, extra=assignor(assign) + [f"processing.workers={workers}"])
        result = batch.account(self, topics, exactly_once=(delivery == "exactly_once"))
        self.assertEqual(d.stop(), 0, d.logs())
        RESULTS.append(dict(result, test=f"sigkill-{delivery}-{assign}-workers{workers}", kills=kills, seed=seed))

    def test_sigkill_exactly_once_eager(self):
        self.sigkill_scenario("exactly_once", "eager")

    def test_sigkill_exactly_once_cooperative(self):
        self.sigkill_scenario("exactly_once", "cooperative")

    def test_sigkill_at_least_once_loses_nothing(self):
        self.sigkill_scenario("at_least_once", "eager")

    def test_sigkill_at_least_once_two_workers(self):
        self.sigkill_scenario("at_least_once", "eager", workers=2)

    def test_sigkill_exactly_once_two_workers(self):
        self.sigkill_scenario("exactly_once", "cooperative", workers=2)

    def rebalance_scenario(self, assign, workers=1, delivery="exactly_once"):
        topics = h.Topics(partitions=6)
        self.addCleanup(topics.delete)
        batch = Batch(n=6000)
        feeder = batch.produce_in_background(topics.input, waves=30, pause=0.3)
        extra = ["batch.max_records=200", f"processing.workers={workers}"] + assignor(assign)
        a = h.Daemon(topics, instance="a", delivery=delivery, extra=extra)
        time.sleep(2)
        b = h.Daemon(topics, instance="b", delivery=delivery, extra=extra)   # joins mid-batch
        time.sleep(2)
        c = h.Daemon(topics, instance="c", delivery=delivery, extra=extra)   # a third joins
        time.sleep(3)
        self.assertEqual(a.stop(), 0, a.logs())           # one leaves mid-batch
        feeder.join()
        result = batch.account(self, topics, exactly_once=(delivery == "exactly_once"))
        for d in (b, c):
            self.assertEqual(d.stop(), 0, d.logs())
        for d in (a, b, c):
            self.assertIn("partitions assigned", d.logs())
        RESULTS.append(dict(result, test=f"rebalance-{assign}-{delivery}-workers{workers}", instances=3, joins=2,
                            leaves=1))

    def test_rebalance_eager(self):
        self.rebalance_scenario("eager")

    def test_rebalance_cooperative(self):
        self.rebalance_scenario("cooperative")

    def test_rebalance_cooperative_two_workers(self):
        self.rebalance_scenario("cooperative", workers=2)

    def test_rebalance_at_least_once_two_workers(self):
        """Batches in flight when partitions move: the revocation waits for
        their acknowledgements and commits them; nothing is lost."""
        self.rebalance_scenario("eager", workers=2, delivery="at_least_once")

    def test_throttled_burst_memory_is_bounded(self):
        """100 000 items while the broker throttles the daemon's producer:
        the producer queue fills, the loop waits, memory stays bounded."""
        topics = h.Topics(partitions=3)
        self.addCleanup(topics.delete)
        batch = Batch(n=100_000, bad_every=50)
        batch.produce(topics.input)
        instance = "burst"
        client_id = f"coopwatch-{instance}"
        quota = subprocess.run(
            ["java", "-cp", os.path.join(h.ROOT, "scripts", ".kafka", "lib", "*"),
             "-Dlog4j.configuration=file:/dev/null", "kafka.admin.ConfigCommand",
             "--bootstrap-server", h.BOOTSTRAP, "--alter", "--entity-type", "clients",
             "--entity-name", client_id, "--add-config", "producer_byte_rate=4194304"],
            capture_output=True, text=True)
        self.assertEqual(quota.returncode, 0, quota.stderr)
        self.addCleanup(subprocess.run,
                        ["java", "-cp", os.path.join(h.ROOT, "scripts", ".kafka", "lib", "*"),
                         "-Dlog4j.configuration=file:/dev/null", "kafka.admin.ConfigCommand",
                         "--bootstrap-server", h.BOOTSTRAP, "--alter", "--entity-type", "clients",
                         "--entity-name", client_id, "--delete-config", "producer_byte_rate"],
                        capture_output=True)
        # Large batches, so that the producer queue (events and figure rows)
        # outgrows its high-water mark and the input is paused and resumed.
        d = h.Daemon(topics, instance=instance, extra=["batch.max_records=20000", "batch.max_ms=5000"])
        peak = 0
        done = lambda: sum(h.committed(topics.group, topics.input, 3).values()) == len(batch.records)
        deadline = time.time() + 400
        while time.time() < deadline and not done():
            peak = max(peak, rss_peak_kb(d.proc.pid))
            time.sleep(2)
        peak = max(peak, rss_peak_kb(d.proc.pid))
        result = batch.account(self, topics, timeout=120)
        self.assertEqual(d.stop(), 0, d.logs())
        bound_mb = 400
        self.assertLess(peak / 1024, bound_mb, f"peak RSS {peak / 1024:.0f} MB")
        self.assertIn("input paused", d.logs(), "backpressure must have paused the input")
        self.assertIn("input resumed", d.logs())
        RESULTS.append(dict(result, test="throttled-burst", peak_rss_mb=round(peak / 1024)))

    def test_output_refuses_large_records_mid_batch(self):
        """Mid-batch, the output topic starts refusing records over 3000
        bytes: the broker rejects a transaction, the daemon aborts it,
        re-reads the topic limits, and from then on dead-letters the events
        that do not fit (reason output_rejected) while the rest flow.
        Every item ends in exactly one place; a metric and a log line say so."""
        self.output_refuses_scenario("exactly_once")

    def test_output_refuses_large_records_at_least_once(self):
        """The same with at-least-once and batches in flight: the refused
        batch and every later one are dropped and replayed; nothing is lost
        (an event delivered before the limit shrank may also be dead-lettered
        on the replay)."""
        self.output_refuses_scenario("at_least_once")

    def output_refuses_scenario(self, delivery):
        from confluent_kafka.admin import ConfigResource
        exactly_once = delivery == "exactly_once"
        topics = h.Topics(partitions=3)
        self.addCleanup(topics.delete)
        batch = Batch(n=2000)
        feeder = batch.produce_in_background(topics.input, waves=10, pause=0.5)
        d = h.Daemon(topics, delivery=delivery, extra=["batch.max_records=100"], metrics="127.0.0.1:0")
        time.sleep(2.0)
        client = h.admin()
        res = ConfigResource("topic", topics.output, set_config={"max.message.bytes": "3000"})
        for f in client.alter_configs([res]).values():
            f.result(30)
        feeder.join()
        self.assertTrue(h.wait_until(
            lambda: sum(h.committed(topics.group, topics.input, 3).values()) == len(batch.records),
            timeout=180), d.logs()[-3000:])
        events = h.read_all(topics.output)
        dead = h.read_all(topics.dlq)
        self.assertEqual(d.stop(), 0, d.logs()[-3000:])
        ids = [json.loads(m.value())["item_id"] for m in events]
        rejected = [json.loads(m.value())["id"] for m in dead
                    if dict(m.headers())["coopwatch.reason"] == b"output_rejected"]
        if exactly_once:
            self.assertEqual(len(ids), len(set(ids)), "duplicated events")
            self.assertEqual(len(rejected), len(set(rejected)), "duplicated dead letters")
            self.assertFalse(set(ids) & set(rejected), "an item both published and rejected")
        self.assertEqual(set(ids) | set(rejected), set(batch.want), "items lost")
        self.assertTrue(rejected, "the limit must have refused some events")
        bad = {m.key().decode() for m in dead} - {m.key().decode() for m in dead
                                                  if dict(m.headers())["coopwatch.reason"] == b"output_rejected"}
        self.assertEqual(bad, set(batch.bad_keys))
        self.assertIn("recreating the producer", d.logs())
        RESULTS.append({"test": f"output-refuses-mid-batch-{delivery}", "records": len(batch.records),
                        "events": len(ids), "output_rejected": len(rejected),
                        "duplicates": len(ids) - len(set(ids))})


class BrokerRestart(unittest.TestCase):
    """Stops and restarts the broker (its data kept) while the daemon runs."""

    def test_broker_restart_mid_batch(self):
        self.broker_restart_scenario("exactly_once")

    def test_broker_restart_at_least_once_two_workers(self):
        self.broker_restart_scenario("at_least_once", workers=2)

    def broker_restart_scenario(self, delivery, workers=1):
        from test_operations import free_port
        port = free_port()
        env = dict(os.environ, KAFKA_PORT=str(port))
        up = os.path.join(h.ROOT, "scripts", "kafka-up")
        down = os.path.join(h.ROOT, "scripts", "kafka-down")
        subprocess.run([up], env=env, check=True, stdout=subprocess.DEVNULL)
        self.addCleanup(subprocess.run, [down], env=env, stdout=subprocess.DEVNULL)
        old = h.BOOTSTRAP
        h.BOOTSTRAP = f"127.0.0.1:{port}"
        self.addCleanup(setattr, h, "BOOTSTRAP", old)
        topics = h.Topics(partitions=3)
        batch = Batch(n=3000)
        batch.produce(topics.input, waves=2)
        d = h.Daemon(topics, delivery=delivery, extra=["batch.max_records=100", f"processing.workers={workers}"])
        self.addCleanup(d.stop, signal.SIGKILL)  # if the test fails before its own stop
        time.sleep(2)
        subprocess.run([down, "--keep-data"], env=env, check=True, stdout=subprocess.DEVNULL)
        time.sleep(3)
        subprocess.run([up], env=dict(env, KAFKA_KEEP_DATA="1"), check=True, stdout=subprocess.DEVNULL)
        result = batch.account(self, topics, exactly_once=(delivery == "exactly_once"), timeout=240)
        self.assertEqual(d.stop(), 0, d.logs())
        RESULTS.append(dict(result, test=f"broker-restart-{delivery}-workers{workers}", restarts=1))
        for r in RESULTS[-1:]:
            print("FAULT-RESULT " + json.dumps(r, ensure_ascii=False), file=sys.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
