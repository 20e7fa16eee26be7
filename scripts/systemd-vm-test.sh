#!/usr/bin/env bash
# Runs sluice.service under a real systemd (Debian 12, systemd 252) in a qemu VM. sluice is
# installed there by the documented install block (the first ```sh block of
# docs/systemd.md), run line by line as written, as root, from a copy of the repository's files;
# then the test checks what systemd sees: READY before active, a dropped revision applied
# and in the journal with its fields and MESSAGE_ID, reload, stop during a long revision,
# and the watchdog killing a hung daemon. Needs root and qemu (see shared/tools/systemd-vm).
#
#   scripts/systemd-vm-test.sh [results-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
harness="${SYSTEMD_VM:-../shared/tools/systemd-vm/run-under-systemd.sh}"
out="${1:-.build-vm/run-$(date +%Y%m%dT%H%M%S)}"

# The install block, verbatim. It is run one line at a time, stopping at the first line
# that fails (a failure left of && counts too), so each line must be a whole command.
stage=$(mktemp -d "${TMPDIR:-/tmp}/sluice-vm.XXXXXX")
trap 'rm -rf "$stage"' EXIT
if ! awk '
    fence && /^```[[:space:]]*$/ { fence = 0; next }
    fence { print; next }
    /^# / { section = ($0 == "# Running under systemd"); next }
    section && !found && /^```sh[[:space:]]*$/ { fence = 1; found = 1; next }
    END { if (!found || fence) exit 1 }
'  docs/systemd.md > "$stage/install-block.sh" || ! grep -q '[^[:space:]]' "$stage/install-block.sh"; then
    echo "docs/systemd.md: no \`\`\`sh block under \"# Running under systemd\"" >&2
    exit 2
fi
if grep -nE '\\[[:space:]]*$|<<' "$stage/install-block.sh" >&2; then
    echo "docs/systemd.md: the install block must be one command per line (no continuation lines or here-documents)" >&2
    exit 2
fi
echo "== install block (docs/systemd.md)"
cat "$stage/install-block.sh"

swift build -c release --static-swift-stdlib --disable-local-rpath --scratch-path .build-release --product sluice
binary=.build-release/release/sluice

# /root/sluice in the guest: what a clone has after the README's first command.
# The harness also installs sluice.service and the binary it starts, for its systemd-analyze
# verify; prepare.sh removes both before the block runs, so what systemd runs is what the
# block installs.
mkdir -p "$out"
status=0
"$harness" \
    -c "$binary:/root/sluice/.build/release/sluice" \
    -c "$binary:/usr/local/bin/sluice" \
    -c systemd:/root/sluice/systemd \
    -c config:/root/sluice/config \
    -c "$stage/install-block.sh:/root/install-block.sh" \
    --aux systemd/vm/sluice.service.d \
    -p systemd/vm/prepare.sh \
    -t systemd/vm/guest-test.sh \
    --test-timeout 1200 --vm-timeout 1800 --start-timeout 300 \
    -o "$out" \
    systemd/sluice.service || status=$?
for log in test/install.log test.log; do
    if [ -f "$out/$log" ]; then echo "== $out/$log"; cat "$out/$log"; fi
done
echo "== results in $out (exit $status)"
exit $status
