"""The benchmarks still run: each script in its tiny mode (--quick) must finish and
report figures. Never a speed: the machine is shared; the figures are in
docs/performance.md."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_bench(*args: str) -> dict:
    out = subprocess.run([sys.executable, *args, "--quick"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)  # one JSON document and nothing else (`| jq` works): the log is on stderr


def is_figure(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0


def test_end_to_end_load_reports_both_bots() -> None:
    report = run_bench("bench/e2e_load.py", "--rounds", "2")
    assert len(report["throughput_ratios"]) == 2 and min(report["throughput_ratios"]) == report["throughput_ratio"]
    assert min(report["throughput_ratios_all_actions"]) == report["throughput_ratio_all_actions"]
    for side in ("charter", "bare"):
        assert report[side]["steady"]["messages"] > 0
        saturation = report[side]["saturation"]
        assert is_figure(saturation["messages_per_s"]) and is_figure(saturation["messages_per_s_all_actions"])
        assert saturation["seconds_all_actions"] >= saturation["seconds"]  # the last recall is one of the actions
        assert saturation["sentinel_recalled"] is True
    assert report["charter"]["steady"]["latency"]["samples"] > 0
    assert is_figure(report["charter"]["steady"]["latency"]["p99_ms"])
    assert is_figure(report["throughput_ratio"])
    hour, minute = report["classes_local_time"].removesuffix(" Asia/Shanghai").split(":")
    assert 0 <= int(hour) < 24 and 0 <= int(minute) < 60  # whether quiet hours were on is in the report


def test_generated_classes_default_to_the_products_time_zone() -> None:
    from bench.workload import DEFAULT_TIMEZONE
    from plugins.charter.config import ClassHeader

    assert ClassHeader.model_fields["timezone"].default == DEFAULT_TIMEZONE


def test_startup_reports_each_size() -> None:
    report = run_bench("bench/startup.py")
    assert [row["classes"] for row in report["sizes"]] == [1, 3]
    assert all(is_figure(row["total_s"]) and "content" in row["policies"] for row in report["sizes"])


@pytest.mark.parametrize("what", ["memory", "db"])
def test_scale_reports_memory_and_database_growth(what: str) -> None:
    report = run_bench("bench/scale.py", what)
    if what == "memory":
        assert report["messages_fed"] == report["members"] > 0
        assert all(is_figure(v) and v > 0 for v in report["rss_mb"].values())
    else:
        for backend in ("sqlite", "postgresql"):
            assert report[backend]["rows"].get("audit_record", 0) > 0
            assert is_figure(report[backend]["bytes_per_message"])


def test_many_processes_count_duplicates() -> None:
    report = run_bench("bench/many_processes.py")
    assert set(report["recalled_by"]) == {"3001", "3002"}
    assert all(is_figure(v) for v in report["database"].values())
    assert report["database"]["findings_journaled"] > 0


def test_profile_reports_the_message_path() -> None:
    report = run_bench("bench/profile_feed.py")
    assert report["messages"] == 20
    assert is_figure(report["sql_statements_per_message"]) and report["top"]


def test_profile_counts_instructions_of_the_known_members_phase() -> None:
    report = run_bench("bench/profile_feed.py", "--instructions")
    assert report["instructions_of"] == "known members" and report["messages"] == 25
    assert is_figure(report["sql_statements_per_message"])
