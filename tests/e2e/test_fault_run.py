"""The load-and-fault run in its quick mode: traffic, a dropped connection and a database
outage, then an accounting that must balance (nothing lost, nothing doubled)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .harness import ROOT

pytestmark = pytest.mark.e2e


def test_the_quick_fault_run_balances() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "fault_run.py"), "--quick"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "balanced — nothing lost or doubled" in result.stdout
    assert "adverts never withdrawn                 0" in result.stdout
