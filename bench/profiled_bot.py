"""bot.py under cProfile: `python bench/profiled_bot.py OUT.pstats` runs the real bot and
writes the profile when it stops (SIGINT). Used by `bench/e2e_load.py --profile`."""

from __future__ import annotations

import cProfile
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bot  # noqa: E402

if __name__ == "__main__":
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        bot.main()
    finally:
        profiler.disable()
        profiler.dump_stats(sys.argv[1])
