#!/usr/bin/env bash
# Installs the reference Alembic (1.20.1, from PyPI) into a private virtual environment,
# .build-alembic/venv, for the tests that compare sluice with Alembic and for
# `sluice import alembic`'s tests. Idempotent and safe to run concurrently (flock);
# prints the environment's python on success.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${SLUICE_ALEMBIC_VENV:-$root/.build-alembic/venv}"
python="$dir/bin/python"
mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
flock 9
if ! "$python" -c 'import alembic, sys; sys.exit(alembic.__version__ != "1.20.1")' 2>/dev/null; then
    rm -rf "$dir"
    python3 -m venv "$dir" >&2
    "$dir/bin/pip" install --quiet --disable-pip-version-check "alembic==1.20.1" "SQLAlchemy==2.1.9" "Mako==1.4.3" >&2
fi
echo "$python"
