"""The benchmarks still run: each script in its tiny mode (--quick) must finish and
report figures. Never a speed: the machine is shared; the figures are in
docs/performance.md."""

from __future__ import annotations

import json
import math
import shutil
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
    report = run_bench("bench/e2e_load.py", "--rounds", "2", "--pairs", "2")
    # every pair of every round has its ratio, and the lower middle one is judged
    assert len(report["throughput_ratios"]) == 4
    assert sorted(report["throughput_ratios"])[1] == report["throughput_ratio"]
    assert sorted(report["throughput_ratios_all_actions"])[1] == report["throughput_ratio_all_actions"]
    # within a round the bot measured first alternates, so a slow spell falls on both
    assert [list(pair)[:2] for pair in report["pairs"]] == [["charter", "bare"], ["bare", "charter"]] * 2
    assert all(pair["charter"]["sentinel_recalled"] and pair["bare"]["sentinel_recalled"] for pair in report["pairs"])
    # what the idle bot did during the other's burst is reported, not hidden in the ratio
    assert all(is_figure(pair[side]["other_bot_cpu_s"]) for pair in report["pairs"] for side in ("charter", "bare"))
    assert len(report["rounds"]) == 2
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


def test_end_to_end_load_counts_each_bots_instructions() -> None:
    # scripts/test.sh installs valgrind where it is missing: without it this fails, not skips
    assert shutil.which("valgrind"), "valgrind is missing: run scripts/valgrind.sh"
    report = run_bench("bench/e2e_load.py", "--instructions", "--pairs", "2")
    for side in ("charter", "bare"):
        first, second = (pair[side] for pair in report["pairs"])
        # each burst's own work is counted, some for each of its messages, and not the
        # burst before it again (the counters start afresh each burst)
        assert first["instructions_per_message"] > 10_000 and second["instructions_per_message"] > 10_000
        assert second["instructions"] < 1.5 * first["instructions"]
        # what the bot does with no message, which the wait for a burst's end counts too
        assert is_figure(report[side]["idle_instructions_per_s"])
    assert report["instruction_ratios"] == [
        round(pair["bare"]["instructions_per_message"] / pair["charter"]["instructions_per_message"], 3)
        for pair in report["pairs"]]
    assert report["instruction_ratio"] == min(report["instruction_ratios"])  # the lower middle of two
    # under callgrind the seconds are valgrind's: no throughput or latency target is judged
    assert list(report["targets"]) == ["instructions a message: bare / charter >= 0.8"]


def test_a_callgrind_dumps_totals_are_read() -> None:
    from bench.e2e_load import dumped_totals, per_message

    assert dumped_totals("events: Ir\nsummary: 123\n\n\ntotals: 124275514\n") == {"Ir": 124_275_514}
    assert dumped_totals("events: Ir\nsummary: 77\n") == {"Ir": 77}
    cached = "events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\ntotals: 1000 300 200 10 40 20 5 15 10\n"
    assert per_message(dumped_totals(cached), 10) == {
        "instructions": 1000, "instructions_per_message": 100,
        "first_level_data_misses_per_message": 6.0, "last_level_misses_per_message": 3.0}
    with pytest.raises(ValueError):
        dumped_totals("events: Ir\n")
    with pytest.raises(ValueError):
        dumped_totals("totals: 5\n")


def test_each_burst_of_a_round_is_new_to_the_bots(tmp_path: Path) -> None:
    from argparse import Namespace

    from bench.e2e_load import burst_plan
    from bench.workload import generate_config

    generated = generate_config(tmp_path, 3, members_per_group=5)
    args = Namespace(burst=200, violations=0.15)
    plans = [burst_plan(generated, args, index) for index in range(4)]
    ids = [m.message_id for burst, last in plans for m in (*burst, last)]
    assert len(ids) == len(set(ids))  # no burst repeats another's message: none is a redelivery
    assert len({last.user_id for _, last in plans}) == 4  # the sentinel's sender is struck once each
    assert len({tuple(m.text for m in burst) for burst, _ in plans}) == 4
    assert plans[0] == burst_plan(generated, args, 0)  # and the same for both bots


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


def test_content_bench_reports_rates_and_ratios() -> None:
    out = subprocess.run([sys.executable, "bench/content_bench.py", "--messages", "300", "--naive-messages", "30",
                          "--repeat", "2"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    assert any(line.startswith("lexicon: 10000 distinct terms") for line in lines)
    ratios = [line for line in lines if "-> engine is" in line]
    assert len(ratios) == 6 and all("(median of 2 rounds)" in line for line in ratios)
    assert any(line.startswith("targets, realistic mix: 20,000 msg/s") for line in lines)
