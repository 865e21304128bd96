#!/usr/bin/env bash
# Set up and run the bot with the bundled example class on SQLite.
# It listens on 127.0.0.1:8080 for QQ (OneBot v11) at /onebot/v11/ws.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python bot.py
