#!/bin/bash
# Runs in the guest before the harness starts the unit: installs sluice with the documented
# install block (/root/install-block.sh, taken from docs/systemd.md by scripts/systemd-vm-test.sh),
# as root from /root/sluice (a copy of the repository's files with the built binary).
# Each line runs as written, in one shell, and the first line that fails stops it, as it
# would stop someone following the documentation. The log and exit status land in $OUT for
# guest-test.sh.
set -u
mkdir -p "$OUT"
cp /root/install-block.sh "$OUT/install-block.sh"
# The harness installed the unit and the binary itself to verify the unit; the block must
# install its own.
rm -f /etc/systemd/system/sluice.service /usr/local/bin/sluice
systemctl daemon-reload

run_block() {
    local dir
    for dir in /etc/sysusers.d /etc/tmpfiles.d /etc/sluice; do
        if [ -d "$dir" ]; then echo "# before: $dir exists"; else echo "# before: $dir is missing"; fi
    done
    cd /root/sluice || return 1
    local line number=0 rc
    while IFS= read -r line <&3; do
        number=$((number + 1))
        echo "+ $line"
        eval "$line" </dev/null
        rc=$?
        if [ $rc != 0 ]; then
            echo "# install block line $number failed with exit status $rc: $line"
            return $rc
        fi
    done 3< /root/install-block.sh
    echo "# install block: all $number lines succeeded"
}
run_block > "$OUT/install.log" 2>&1
rc=$?
echo "$rc" > "$OUT/install.rc"
cat "$OUT/install.log"
exit "$rc"
