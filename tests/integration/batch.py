"""A known batch for fault tests: thousands of input records with unique
keys, mixed relevant, irrelevant and bad, and the accounting that checks
every input was handled exactly once (one event, one dead letter, or
counted irrelevant) after whatever the test did to the daemon or broker."""
import json
import threading
import time

import harness as h
from test_roundtrip import bad_records, corpus_lines, expected_events


class Batch:
    def __init__(self, n=3000, bad_every=25):
        base = corpus_lines()
        bad = bad_records()
        self.records = []  # (key, value)
        self.bad_keys = {}  # key -> reason
        items = []
        for i in range(n):
            key = f"k{i:06d}"
            if i % bad_every == bad_every - 1:
                value, reason = bad[(i // bad_every) % len(bad)]
                self.bad_keys[key] = reason
            else:
                item = json.loads(base[i % len(base)])
                item["id"] = f"{item['id']}#{i}"
                value = json.dumps(item, ensure_ascii=False).encode()
                items.append(value)
            self.records.append((key.encode(), value))
        self.want = expected_events(items)  # item id -> event, the relevant ones
        self.irrelevant = len(items) - len(self.want)

    def produce(self, topic, waves=1, pause=0.0):
        """Produces the batch in `waves` chunks with `pause` seconds between them."""
        size = max(1, len(self.records) // waves)
        for start in range(0, len(self.records), size):
            chunk = self.records[start:start + size]
            h.produce(topic, [v for _, v in chunk], key=lambda i, r, c=chunk: c[i][0])
            if pause:
                time.sleep(pause)

    def produce_in_background(self, topic, waves, pause):
        t = threading.Thread(target=self.produce, args=(topic, waves, pause), daemon=True)
        t.start()
        return t

    def account(self, test, topics, exactly_once=True, timeout=180):
        """Reads output and dead letters (read_committed) and checks them."""
        events = h.read_all(topics.output, expect=len(self.want), timeout=timeout)
        dead = h.read_all(topics.dlq, expect=len(self.bad_keys), timeout=60)
        ids = [json.loads(m.value())["item_id"] for m in events]
        dead_keys = [m.key().decode() for m in dead]
        missing = set(self.want) - set(ids)
        test.assertFalse(missing, f"{len(missing)} events lost, e.g. {sorted(missing)[:5]}")
        test.assertFalse(set(ids) - set(self.want), "events for items that are not relevant")
        test.assertEqual(set(dead_keys), set(self.bad_keys), "dead letters lost or extra")
        reasons = {m.key().decode(): dict(m.headers())["coopwatch.reason"].decode() for m in dead}
        test.assertEqual(reasons, self.bad_keys)
        if exactly_once:
            test.assertEqual(len(ids), len(set(ids)), f"{len(ids) - len(set(ids))} duplicated events")
            test.assertEqual(len(dead_keys), len(set(dead_keys)), "duplicated dead letters")
        return {"records": len(self.records), "events": len(ids), "dead_letters": len(dead_keys),
                "irrelevant": self.irrelevant, "duplicates": len(ids) - len(set(ids))}
