"""Start-up time against the number of class files.

    .venv/bin/python bench/startup.py [--sizes 1,100,1000] [--process] [--quick]

For each size, in a fresh interpreter (so no cache of an earlier size helps), it
generates that many class files (full charter, every plugin and rule on, a
40-student roster each) and times:

- `load`: plugins.charter.config.load_config_dir (parse, validate, rosters);
- `prepare`: plugins.charter.policies.prepare_all over the loaded configuration,
  i.e. every registered policy's prepare (the content engines per class);
- with `--process`, also the real bot process from launch to "Application startup
  complete" (imports, configuration check, start-up hook, migrations).

NoneBot is initialised and the plugins are loaded first, as bot.py does, so the
policies measured are the ones the bot registers. Prints one JSON document.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.workload import ROOT, PYTHON, charter_bot, generate_config, machine, print_json, rss_mb  # noqa: E402


def measure_one(classes: int, home: Path) -> dict:
    generated = generate_config(home, classes)
    os.environ["CHARTERBOT_CONFIG_DIR"] = str(generated.config_dir)
    os.environ["LOCALSTORE_DATA_DIR"] = str(home / "data")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import bot

    bot.init()  # NoneBot and the plugins, as the real process; this loads the config once
    from plugins.charter.config import load_config_dir
    from plugins.charter.policies import policies, prepare_all

    gc.collect()
    rss_before = rss_mb()
    began = time.perf_counter()
    config = load_config_dir(generated.config_dir)
    loaded = time.perf_counter()
    prepare_all(config)
    prepared = time.perf_counter()
    return {
        "classes": classes, "load_s": round(loaded - began, 3), "prepare_s": round(prepared - loaded, 3),
        "total_s": round(prepared - began, 3), "policies": [p.plugin for p in policies()],
        "rss_growth_mb": round(rss_mb() - rss_before, 1),
    }


def measure_process(classes: int, home: Path) -> float:
    generated = generate_config(home, classes)
    process = charter_bot(home / "proc", generated.config_dir, f"sqlite+aiosqlite:///{home / 'startup.db'}")
    process.start(timeout=180)
    process.stop()
    return round(process.started_in, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,100,1000")
    parser.add_argument("--process", action="store_true", help="also time the real bot process start")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="sizes 1 and 3: checks that the benchmark runs")
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure_one(args.one, Path(tempfile.mkdtemp(prefix="charterbot-startup-")))))
        return
    sizes = [1, 3] if args.quick else [int(s) for s in args.sizes.split(",")]
    rows = []
    for size in sizes:
        out = subprocess.run([PYTHON, str(Path(__file__).resolve()), "--one", str(size)], cwd=ROOT,
                             capture_output=True, text=True, timeout=600)
        if out.returncode != 0:
            raise SystemExit(f"startup benchmark failed for {size} classes:\n{out.stderr[-3000:]}")
        row = json.loads(out.stdout.strip().splitlines()[-1])
        if args.process:
            row["process_start_s"] = measure_process(size, Path(tempfile.mkdtemp(prefix="charterbot-startup-")))
        rows.append(row)
    biggest = rows[-1]
    print_json({"machine": machine(), "sizes": rows,
                "target": {f"{biggest['classes']} classes load+prepare < 5 s": biggest["total_s"] < 5}})


if __name__ == "__main__":
    main()
