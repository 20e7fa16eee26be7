#!/usr/bin/env bash
# Fuzzes sluice's revision-file parser and target-expression parser with libFuzzer.
#
#   fuzz/run.sh [SECONDS]        (default 600 = 10 minutes)
#
# Builds `sluice-fuzz` with -sanitize=fuzzer,address into .build-fuzz, runs it on the seed
# corpus in fuzz/seeds, and keeps new corpus entries in .build-fuzz/corpus. A crash leaves
# crash-* in fuzz/crashers: add it to fuzz/crashers in git, fix the bug, and the replay
# test (SluiceCoreTests... FuzzReplayTests) keeps it fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
swift build --scratch-path .build-fuzz --product sluice-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DSLUICE_FUZZ
mkdir -p .build-fuzz/corpus fuzz/crashers
./.build-fuzz/debug/sluice-fuzz -max_total_time="$seconds" -artifact_prefix=fuzz/crashers/ \
    -print_final_stats=1 .build-fuzz/corpus fuzz/seeds/revision fuzz/seeds/target
