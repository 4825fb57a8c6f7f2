#!/usr/bin/env bash
# Installs everything Campaign Desktop needs on a fresh Debian/Ubuntu machine, then the
# Python package in ./.venv. Usage: packaging/install.sh [app|test]
#   app  - Qt's system libraries + the app
#   test - the same + a PostgreSQL server (for the storage tests) + test tools
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-app}"

qt_libs=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3
         libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
         libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 libx11-xcb1 fonts-dejavu-core)
wanted=("${qt_libs[@]}")
if [ "$what" = test ]; then
  # The tests start a throwaway PostgreSQL cluster; Debian's server package provides initdb/pg_ctl.
  if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    wanted+=(postgresql)
  fi
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts a cluster of its own on 5432 on install; the tests use their own, so stop it.
  if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v service >/dev/null 2>&1; then
    $sudo service postgresql stop >/dev/null 2>&1 || true
  fi
fi

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
extras="."
[ "$what" = test ] && extras=".[test]"
.venv/bin/python -m pip install -q --disable-pip-version-check -e "$extras"
# The package's bytecode, compiled here once: an editable install leaves that to the first run, which
# cannot keep it where PYTHONDONTWRITEBYTECODE is set, and then every start compiles the whole package
# again (a tenth of a second before an import's first line, as much again in its reading process).
.venv/bin/python -m compileall -q campaign_desktop >/dev/null
