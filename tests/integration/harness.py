"""Helpers for integration tests against the real local Kafka broker.

Every test works on its own fresh topics and consumer group (names carry a
random suffix), so tests never see each other's records and can be re-run on
the same broker. The daemon under test is the real `coopwatch` executable.
"""
import json
import os
import signal
import subprocess
import tempfile
import time
import uuid

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

BOOTSTRAP = os.environ.get("COOPWATCH_TEST_BROKERS", "127.0.0.1:9092")
BIN = os.environ["COOPWATCH_BIN"]
ROOT = os.environ.get("COOPWATCH_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMAS = os.path.join(ROOT, "schemas")


def admin():
    return AdminClient({"bootstrap.servers": BOOTSTRAP})


def require_broker():
    md = admin().list_topics(timeout=10)
    if not md.brokers:
        raise RuntimeError(f"no Kafka broker at {BOOTSTRAP}: start one with scripts/kafka-up")


class Topics:
    """A fresh input, output and dead-letter topic for one test."""

    def __init__(self, partitions=3, prefix="it"):
        tag = f"{prefix}-{uuid.uuid4().hex[:8]}"
        self.input = f"{tag}.raw"
        self.output = f"{tag}.events"
        self.dlq = f"{tag}.dlq"
        self.figures = f"{tag}.figures"
        self.group = f"{tag}-group"
        client = admin()  # must outlive the futures
        futures = client.create_topics(
            [NewTopic(self.input, partitions, 1), NewTopic(self.output, partitions, 1),
             NewTopic(self.dlq, 1, 1), NewTopic(self.figures, partitions, 1)])
        for f in futures.values():
            f.result(30)
        self.partitions = partitions

    def delete(self):
        client = admin()
        for f in client.delete_topics([self.input, self.output, self.dlq, self.figures]).values():
            try:
                f.result(30)
            except KafkaException:
                pass


def produce(topic, records, key=lambda i, r: str(i).encode()):
    """records: list of bytes, keyed by their index by default so that they
    spread over the partitions. Returns when all are acknowledged."""
    p = Producer({"bootstrap.servers": BOOTSTRAP, "linger.ms": 20, "acks": "all",
                  "message.max.bytes": 60_000_000})
    failures = []
    for i, r in enumerate(records):
        while True:
            try:
                p.produce(topic, r, key=key(i, r),
                          on_delivery=lambda err, msg: err and failures.append(err))
                break
            except BufferError:
                p.poll(0.1)
        p.poll(0)
    p.flush(60)
    assert not failures, failures


def read_all(topic, expect=None, timeout=60, idle=3.0):
    """Reads a topic from the beginning with read_committed until `expect`
    records arrived (or, with expect=None, until it has been idle)."""
    c = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": f"reader-{uuid.uuid4().hex}",
                  "auto.offset.reset": "earliest", "enable.auto.commit": False,
                  "isolation.level": "read_committed", "enable.partition.eof": False})
    c.subscribe([topic])
    out = []
    deadline = time.time() + timeout
    last = time.time()
    try:
        while time.time() < deadline:
            batch = c.consume(500, 0.5)
            for m in batch:
                if m.error():
                    continue
                out.append(m)
                last = time.time()
            if expect is not None and len(out) >= expect:
                # Linger a little to catch duplicates beyond the expected count.
                extra_deadline = time.time() + 1.0
                while time.time() < extra_deadline:
                    for m in c.consume(500, 0.2):
                        if not m.error():
                            out.append(m)
                break
            if expect is None and out and time.time() - last > idle:
                break
            if expect is None and not out and time.time() - last > idle * 3:
                break
    finally:
        c.close()
    return out


def committed(group, topic, partitions):
    c = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": group, "enable.auto.commit": False})
    try:
        tps = c.committed([TopicPartition(topic, p) for p in range(partitions)], timeout=30)
        # A partition that never had a record has no committed offset (-1001).
        return {tp.partition: max(tp.offset, 0) for tp in tps}
    finally:
        c.close()


def end_offsets(topic, partitions):
    c = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": f"w-{uuid.uuid4().hex}"})
    try:
        return {p: c.get_watermark_offsets(TopicPartition(topic, p), timeout=30)[1]
                for p in range(partitions)}
    finally:
        c.close()


class Daemon:
    """A `coopwatch run` process on the given topics."""

    def __init__(self, topics, delivery="exactly_once", instance="i1", extra=None, metrics=""):
        self.log = tempfile.NamedTemporaryFile(prefix="coopwatch-it-", suffix=".log", delete=False)
        args = [BIN, "run",
                "--set", f"kafka.brokers={BOOTSTRAP}",
                "--set", f"kafka.group_id={topics.group}",
                "--set", f"topics.input={topics.input}",
                "--set", f"topics.output={topics.output}",
                "--set", f"topics.dead_letter={topics.dlq}",
                "--set", f"topics.figures={getattr(topics, 'figures', '')}",
                "--set", f"delivery.mode={delivery}",
                "--set", f"delivery.instance_id={instance}",
                "--set", "batch.max_ms=200",
                "--set", "limits.max_record_bytes=65536",
                "--set", f"metrics.listen={metrics}",
                "--set", "log.format=text",
                "--set", "kafka.consumer.session.timeout.ms=6000",
                "--set", "kafka.consumer.heartbeat.interval.ms=500"]
        for kv in extra or []:
            args += ["--set", kv]
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout)

    def logs(self):
        with open(self.log.name, encoding="utf-8", errors="replace") as f:
            return f.read()


def wait_until(predicate, timeout=60, interval=0.5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def load_schema(name):
    with open(os.path.join(SCHEMAS, name), encoding="utf-8") as f:
        return json.load(f)
