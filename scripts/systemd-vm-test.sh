#!/usr/bin/env bash
# Runs sluice.service under a real systemd (Debian 12, systemd 252) in a qemu VM and
# checks what systemd sees: READY before active, a dropped revision applied and in the
# journal with its fields and MESSAGE_ID, reload, stop during a long revision, and the
# watchdog killing a hung daemon. Needs root and qemu (see shared/tools/systemd-vm).
#
#   scripts/systemd-vm-test.sh [results-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
harness="${SYSTEMD_VM:-../shared/tools/systemd-vm/run-under-systemd.sh}"
out="${1:-.build-vm/run-$(date +%Y%m%dT%H%M%S)}"
mkdir -p "$out"

swift build -c release --static-swift-stdlib --disable-local-rpath --scratch-path .build-release --product sluice
binary=.build-release/release/sluice

"$harness" \
    -c "$binary:/usr/local/bin/sluice" \
    -c systemd/sluice.sysusers:/etc/sysusers.d/sluice.conf \
    -c systemd/sluice.tmpfiles:/etc/tmpfiles.d/sluice.conf \
    -c systemd/vm/sluice.toml:/etc/sluice/sluice.toml \
    --aux systemd/vm/sluice.service.d \
    -p systemd/vm/prepare.sh \
    -t systemd/vm/guest-test.sh \
    --test-timeout 1200 --vm-timeout 1800 --start-timeout 300 \
    -o "$out" \
    systemd/sluice.service
status=$?
echo "== $out/test.log"
cat "$out/test.log"
exit $status
