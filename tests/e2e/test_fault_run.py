"""The load-and-fault run in its quick mode: traffic, a dropped connection and a database
outage, then an accounting that must balance (nothing lost, nothing doubled)."""

from __future__ import annotations

import re
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
    counts = dict(re.findall(r"^\s+(adverts never withdrawn|adverts never struck|adverts struck twice)\s+(\d+)$",
                             result.stdout, re.MULTILINE))
    assert counts == {"adverts never withdrawn": "0", "adverts never struck": "0", "adverts struck twice": "0"}
