#!/usr/bin/env bash
# Install (if needed) and open Campaign Desktop on its embedded SQLite database.
# Extra arguments go to the app, e.g. packaging/run-app.sh --db postgresql+psycopg://me@host/campaign
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install.sh app
exec .venv/bin/campaign-desktop "$@"
