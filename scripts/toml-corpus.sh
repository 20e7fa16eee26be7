#!/usr/bin/env bash
# Fetches toml-test's corpus (valid and invalid TOML files), as shipped in the source
# distribution of tomlkit 0.15.3 on PyPI, into .build-toml/corpus, and writes beside each
# file what Python's tomllib makes of it (scripts/toml-corpus-expectations.py), for
# TOMLCorpusTests. Idempotent and safe to run concurrently (flock); prints the corpus
# directory on success.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.build-toml"
corpus="$dir/corpus"
mkdir -p "$dir"
exec 9>"$dir/lock"
flock 9
if [ ! -f "$corpus/.complete" ]; then
    rm -rf "$corpus" "$dir/download" "$dir/venv"
    python3 -m venv "$dir/venv" >&2
    "$dir/venv/bin/pip" download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
        "tomlkit==0.15.3" -d "$dir/download" >&2
    tar xzf "$dir/download/tomlkit-0.15.3.tar.gz" -C "$dir/download"
    mkdir -p "$corpus"
    cp -r "$dir/download/tomlkit-0.15.3/tests/toml-test/tests/." "$corpus/"
    python3 "$root/scripts/toml-corpus-expectations.py" "$corpus" >&2
    touch "$corpus/.complete"
fi
echo "$corpus"
