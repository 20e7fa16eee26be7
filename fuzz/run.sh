#!/usr/bin/env bash
# Fuzzes sluice's revision-file parser and target-expression parser with libFuzzer.
#
#   fuzz/run.sh [SECONDS] [revision|target|both]     (default: 600 seconds, both)
#
# Builds `sluice-fuzz` with -sanitize=fuzzer,address into .build-fuzz, runs each parser on
# its seeds (the example history and the hostile corpus; fuzz/seeds/target), keeps new corpus entries in .build-fuzz/corpus-<target>,
# and writes any crash to fuzz/crashers/. Commit a crasher with its fix: the replay test
# (Tests/SluiceCLITests/FuzzReplayTests.swift) runs every file there in `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
which="${2:-both}"
# libFuzzer's runtime brings a main of its own besides SwiftPM's renamed one; either
# drives the same callback, so the duplicate is allowed.
swift build -c release --scratch-path .build-fuzz --product sluice-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DSLUICE_FUZZ -Xlinker --allow-multiple-definition
mkdir -p fuzz/crashers
status=0
for target in revision target; do
    [ "$which" = both ] || [ "$which" = "$target" ] || continue
    mkdir -p ".build-fuzz/corpus-$target"
    echo "== fuzzing the $target parser for $seconds s"
    # Seeds: the example history and the hostile corpus for revision files, fuzz/seeds/target
    # for targets; libFuzzer writes what it finds into the first folder only.
    if [ "$target" = revision ]; then seeds=(migrations/versions Tests/SluiceSQLiteTests/Corpus); else seeds=(fuzz/seeds/target); fi
    SLUICE_FUZZ_TARGET=$target ./.build-fuzz/release/sluice-fuzz -max_total_time="$seconds" \
        -artifact_prefix=fuzz/crashers/ -print_final_stats=1 \
        ".build-fuzz/corpus-$target" "${seeds[@]}" || status=1
done
exit $status
