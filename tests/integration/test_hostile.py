"""The bad-input catalogue through the real broker: every hostile record
gets its precise dead-letter reason, every valid-but-odd one passes cleanly,
the 50 MB record is dead-lettered truncated with its size, and the daemon
keeps running and commits past all of them."""
import json
import os
import unittest

import jsonschema
from confluent_kafka.admin import ConfigResource

import harness as h

CATALOGUE = os.path.join(h.ROOT, "tests", "data", "hostile", "catalogue.jsonl")


def load_catalogue():
    cases = []
    with open(CATALOGUE, encoding="utf-8") as f:
        for line in f:
            c = json.loads(line)
            if "text" in c:
                record = c["text"].encode()
            elif "hex" in c:
                record = bytes.fromhex(c["hex"])
            else:
                g = c["generate"]
                record = (g["head"] + g["repeat"] * g["times"] + g["tail"]).encode()
            cases.append((c["name"], c["expect"], record))
    return cases


class Hostile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        h.require_broker()

    def test_catalogue_through_the_broker(self):
        topics = h.Topics(partitions=2)
        self.addCleanup(topics.delete)
        client = h.admin()
        big = ConfigResource("topic", topics.input, set_config={"max.message.bytes": "60000000"})
        for f in client.alter_configs([big]).values():
            f.result(30)
        cases = load_catalogue()
        self.assertGreaterEqual(len(cases), 40)
        keys = [f"case-{i:03d}".encode() for i in range(len(cases))]
        h.produce(topics.input, [r for _, _, r in cases], key=lambda i, r: keys[i])
        # The default record limit (1 MiB), as the unit test uses.
        d = h.Daemon(topics, extra=["limits.max_record_bytes=1048576"])
        self.assertTrue(h.wait_until(
            lambda: sum(h.committed(topics.group, topics.input, 2).values()) == len(cases),
            timeout=180), d.logs()[-3000:])
        dead = {m.key().decode(): m for m in h.read_all(topics.dlq)}
        events = [json.loads(m.value()) for m in h.read_all(topics.output)]
        self.assertIsNone(d.proc.poll(), "the daemon must survive the catalogue")
        self.assertEqual(d.stop(), 0, d.logs()[-3000:])

        for i, (name, expect, record) in enumerate(cases):
            key = keys[i].decode()
            if expect == "valid":
                if key in dead:
                    reason = dict(dead[key].headers())["coopwatch.reason"].decode()
                    self.fail(f"{name}: valid input was dead-lettered ({reason})")
                continue
            self.assertIn(key, dead, f"{name}: no dead letter")
            headers = dict(dead[key].headers())
            self.assertEqual(headers["coopwatch.reason"].decode(), expect, name)
            value = dead[key].value() or b""
            if "coopwatch.truncated_from" in headers:
                self.assertEqual(int(headers["coopwatch.truncated_from"]), len(record), name)
                self.assertTrue(record.startswith(value), name)
            else:
                self.assertEqual(value, record, f"{name}: dead letters carry the record unchanged")
        self.assertIn("coopwatch.truncated_from", dict(dead[keys[[c[0] for c in cases].index("50 MB record")].decode()].headers()))
        schema = h.load_schema("event.v1.json")
        valid_ids = set()
        for name, expect, record in cases:
            if expect == "valid":
                try:
                    # The daemon takes the first of duplicate keys.
                    first = json.loads(record, object_pairs_hook=lambda kv: dict(reversed(kv)))
                    valid_ids.add(first.get("id"))
                except ValueError:
                    pass
        for e in events:
            jsonschema.validate(e, schema)
            self.assertIn(e["item_id"], valid_ids)


if __name__ == "__main__":
    unittest.main(verbosity=2)
