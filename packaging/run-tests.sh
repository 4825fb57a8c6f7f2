#!/usr/bin/env bash
# Install (if needed) and run the whole test suite: lint, then pytest on SQLite and PostgreSQL,
# with Qt offscreen. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install.sh test
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m ruff check campaign_desktop tests benchmarks
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
