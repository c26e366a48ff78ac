"""The executable's commands without Kafka: classify, explain, normalize and
check-config, with their exit codes and messages."""
import json
import os
import subprocess
import tempfile
import unittest

BIN = os.environ["COOPWATCH_BIN"]
ROOT = os.environ.get("COOPWATCH_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLE = os.path.join(ROOT, "tests", "data", "sample", "news-sample.jsonl")


def run(*args, stdin=b""):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, timeout=60)


class Cli(unittest.TestCase):
    def test_classify_all_writes_one_event_per_valid_item(self):
        with open(SAMPLE, "rb") as f:
            data = f.read()
        r = run("classify", "--all", stdin=data)
        self.assertEqual(r.returncode, 0, r.stderr)
        events = [json.loads(l) for l in r.stdout.decode().splitlines()]
        self.assertEqual(len(events), 7)  # 9 lines, 2 of them broken
        self.assertIn(b"2 rejected", r.stderr)
        self.assertIn(b"line 8: malformed_json", r.stderr)
        relevant = {e["item_id"] for e in events if e["relevant"]}
        self.assertEqual(relevant, {"sample-001", "sample-002", "sample-003", "sample-004"})
        only_relevant = run("classify", stdin=data).stdout.decode().splitlines()
        self.assertEqual(len(only_relevant), 4)

    def test_explain_shows_cues_pairs_and_figures(self):
        item = {"id": "x", "title": "沪滇扶贫协作", "body": "上海向云南投入财政援助资金45.3亿元。"}
        r = run("explain", stdin=json.dumps(item, ensure_ascii=False).encode())
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode()
        self.assertIn("RELEVANT", out)
        self.assertIn("扶贫协作", out)
        self.assertIn("上海 -> 云南", out)
        self.assertIn("4530000000 CNY  fiscal_aid", out)

    def test_normalize_shows_simplified_text(self):
        item = {"id": "t", "title": "滬滇攜手戰(zhàn)貧", "body": "<p>全年投入１２億元</p>"}
        r = run("normalize", stdin=json.dumps(item, ensure_ascii=False).encode())
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode()
        self.assertIn("沪滇携手战贫", out)
        self.assertIn("12亿元", out)
        self.assertNotIn("<p>", out)

    def test_bad_records_in_pipe_tools_exit_1(self):
        self.assertEqual(run("explain", stdin=b"[1]\n").returncode, 1)
        self.assertEqual(run("normalize", stdin=b"{\n").returncode, 1)

    def test_check_config_masks_secrets_and_rejects_bad_values(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write("kafka:\n  common:\n    sasl.password: hunter2\n")
        self.addCleanup(os.remove, f.name)
        r = run("check-config", f.name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(b"hunter2", r.stdout)
        self.assertIn(b"kafka.common.sasl.password: ********", r.stdout)
        bad = run("check-config", f.name, "--set", "batch.max_records=-5")
        self.assertEqual(bad.returncode, 2)
        self.assertEqual(len(bad.stderr.decode().strip().splitlines()), 1, bad.stderr)
        self.assertIn(b"batch.max_records", bad.stderr)

    def test_run_with_a_bad_data_dir_exits_2(self):
        r = run("run", "--set", "data_dir=/nonexistent", "--set", "metrics.listen=")
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"data_dir", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
