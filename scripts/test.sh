#!/usr/bin/env bash
# Set up and run the whole test suite: unit, plugin (nonebug), storage on SQLite and
# PostgreSQL, and end-to-end tests against the real bot process.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
bash scripts/postgres.sh
bash scripts/valgrind.sh
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
