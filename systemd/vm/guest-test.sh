#!/bin/bash
# Runs in the guest after sluice.service started (under real systemd 252). Each check
# prints ok/FAIL; the exit status is 1 if any failed. Results land in $OUT.
set -u
S=/usr/local/bin/sluice
CONF=/etc/sluice/sluice.toml
V=/etc/sluice/versions
failures=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; failures=$((failures + 1)); fi; }
wait_for() { local limit=$1; shift; for _ in $(seq 1 "$limit"); do if eval "$*"; then return 0; fi; sleep 1; done; return 1; }
show() { systemctl show -p "$1" --value sluice.service; }
is_active() { [ "$(show ActiveState)" = active ]; }
restarted_since() { [ "$(show NRestarts)" -gt "$1" ] && is_active; }
journal_says() { journalctl -u sluice.service -o cat | grep -q "$1"; }
applied_now() { $S current --config $CONF 2>/dev/null | grep -q "^$1"; }
journal_has_event() { # event revision
  journalctl -u sluice.service -o json | grep "\"SLUICE_EVENT\":\"$1\"" | grep -q "\"SLUICE_REVISION_ID\":\"$2\""
}
revision() { # id parent upgrade downgrade
  printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- +upgrade\n%s\n\n-- +downgrade\n%s\n' "$1" "$1" "$2" "$3" "$4" > "$V/.$1.tmp"
  chmod 0644 "$V/.$1.tmp"; mv "$V/.$1.tmp" "$V/$1_vm.sql"
}

# 0. Installed by the documented install block (docs/systemd.md) (prepare.sh ran it; see install.log).
check "the documented install block ran to the end" '[ "$(cat "$OUT/install.rc" 2>/dev/null)" = 0 ]'
check "the block created the user sluice" 'id -u sluice >/dev/null'
check "the block enabled the unit it installed" '[ "$(systemctl is-enabled sluice.service)" = enabled ] && [ "$(show FragmentPath)" = /etc/systemd/system/sluice.service ]'
if [ "$failures" != 0 ]; then
  echo "the install failed (install.log): the other checks are skipped"
  echo "failures: $failures"
  exit 1
fi

# 1. Started: active only after READY=1 (Type=notify), status line set.
check "unit is active after READY=1" '[ "$(show ActiveState)" = active ] && [ "$(show Type)" = notify ]'
check "STATUS= is set" '[ -n "$(show StatusText)" ]'
show StatusText > "$OUT/status-at-start.txt"

# 2. A revision dropped in is applied and logged natively in the journal.
revision a1 None "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);" "DROP TABLE users;"
check "a1 applied" "wait_for 120 applied_now a1"
journalctl -u sluice.service -o json > "$OUT/journal-after-apply.json"
check "journal has SLUICE_REVISION_ID=a1" 'grep -q "\"SLUICE_REVISION_ID\":\"a1\"" "$OUT/journal-after-apply.json"'
check "journal has the applied MESSAGE_ID" 'grep -q "\"MESSAGE_ID\":\"7632f8c08b754df6afc3fb037271dc1a\"" "$OUT/journal-after-apply.json"'
check "journal entries come through the native protocol" 'grep "SLUICE_REVISION_ID" "$OUT/journal-after-apply.json" | grep -q "\"_TRANSPORT\":\"journal\""'
check "a backup was taken, owner-only" '[ -n "$(find /var/lib/sluice/backups -name "app-*-before-a1.db" -perm 0600)" ]'

# 2b. An application unit that must not start before the revision its code needs:
# ExecStartPre=sluice wait (docs/systemd.md, "Applications that wait").
app_state() { systemctl show -p ActiveState --value app.service; }
cat > /etc/systemd/system/app.service <<UNIT
[Unit]
Description=An application that needs revision w1
Wants=sluice.service
After=sluice.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStartPre=$S wait w1 --config $CONF --timeout 5m
ExecStart=/bin/sh -c '$S current --config $CONF > /run/app-saw-schema.txt'
UNIT
systemctl daemon-reload
systemctl start --no-block app.service
check "the application unit waits in ExecStartPre while w1 is not there" "wait_for 30 '[ \"\$(app_state)\" = activating ]'"
sleep 3
check "... and has not started after 3 s" '[ ! -e /run/app-saw-schema.txt ] && [ "$(app_state)" = activating ]'
revision w1 a1 "CREATE TABLE app_needs (x INTEGER);" "DROP TABLE app_needs;"
check "the application started once the daemon applied w1" "wait_for 120 '[ \"\$(app_state)\" = active ]'"
check "the application saw w1 applied when it started" 'grep -q "^w1" /run/app-saw-schema.txt'
journalctl -u app.service --no-pager > "$OUT/app-unit.txt"

# 3. systemctl reload changes a window.
sed -i 's/name   = "staging"/name   = "staging-reloaded"/' $CONF
systemctl reload sluice.service
check "reload accepted and logged" "wait_for 30 journal_says configuration.reloaded"
check "the new window is in effect" "wait_for 30 'show StatusText | grep -q staging-reloaded'"
check "still active after reload" '[ "$(show ActiveState)" = active ]'

# 3b. Commands to the running daemon over its control socket, in the runtime directory.
check "the control socket is in the runtime directory, group sluice, 0660" '[ -S /run/sluice/control.sock ] && [ "$(stat -c %a:%G /run/sluice/control.sock)" = 660:sluice ]'
check "sluice pause is accepted" '$S pause --config $CONF --reason vm-test > "$OUT/pause.txt" 2>&1'
check "STATUS= says paused" "wait_for 10 'show StatusText | grep -q \"paused (vm-test)\"'"
systemctl restart sluice.service
check "still paused after a restart" "wait_for 120 'is_active && show StatusText | grep -q \"paused (vm-test)\"'"
check "sluice resume is accepted" '$S resume --config $CONF > "$OUT/resume.txt" 2>&1'
check "STATUS= no longer says paused" "wait_for 10 '! show StatusText | grep -q paused'"
journalctl -u sluice.service -o json | grep '"SLUICE_EVENT":"control"' > "$OUT/control.json"
check "the journal names each command's caller" 'grep -q "\"SLUICE_CALLER_UID\":\"0\"" "$OUT/control.json" && grep -q "SLUICE_CALLER_PID" "$OUT/control.json"'
check "a user outside the group cannot pause it, and is told why" '! setpriv --reuid=65534 --regid=65534 --clear-groups $S pause --config $CONF > "$OUT/refused.txt" 2>&1 && grep -q "permission denied: only root" "$OUT/refused.txt" && sleep 1 && ! show StatusText | grep -q paused'

# 4. systemctl stop during a long revision: a consistent revision and Result=success.
revision a2 w1 "CREATE TABLE bulk (n INTEGER, payload TEXT);
INSERT INTO bulk SELECT x, printf('%080d', x) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT x FROM c);" "DROP TABLE bulk;"
check "a2 is being applied" "wait_for 300 journal_has_event migration-started a2"
sleep 2
start=$(date +%s)
systemctl stop sluice.service
echo "stop took $(( $(date +%s) - start )) s" | tee "$OUT/stop-time.txt"
check "stopped with Result=success" '[ "$(show Result)" = success ]'
at=$($S current --config $CONF 2>/dev/null | cut -d" " -f1)
tables=$($S check --config $CONF --json 2>/dev/null | grep -c schema-drift)
echo "after stop: at $at" | tee "$OUT/after-stop.txt"
check "database at a consistent revision (w1 or a2, no drift)" '[ "$at" = w1 -o "$at" = a2 ] && [ "$tables" = 0 ]'

# 5. A hung daemon is killed by the watchdog and restarted. It starts again with a
# metrics file for node_exporter, in a directory the hardened unit may write only through
# the documented group permission and drop-in (docs/daemon.md, "Metrics").
mkdir -p /var/lib/prometheus/node-exporter /etc/systemd/system/sluice.service.d
chgrp sluice /var/lib/prometheus/node-exporter && chmod g+w /var/lib/prometheus/node-exporter
printf '[Service]\nReadWritePaths=/var/lib/prometheus/node-exporter\n' > /etc/systemd/system/sluice.service.d/metrics.conf
printf '\n[metrics]\ntextfile = "/var/lib/prometheus/node-exporter/sluice.prom"\n' >> $CONF
systemctl daemon-reload
systemctl start sluice.service
check "restarted by hand" "wait_for 300 is_active"
check "the metrics file is written under the hardened unit" "wait_for 30 'grep -q \"^sluice_build_info{version=\" /var/lib/prometheus/node-exporter/sluice.prom'"
cp /var/lib/prometheus/node-exporter/sluice.prom "$OUT/metrics.prom" 2>/dev/null
restarts=$(show NRestarts)
kill -STOP "$(show MainPID)"   # a hung process: no more WATCHDOG=1
check "watchdog fired" "wait_for 90 journal_says Watchdog.timeout"
journalctl -u sluice.service --no-pager | grep -i "watchdog" > "$OUT/watchdog.txt"
check "systemd restarted it" "wait_for 300 restarted_since $restarts"
journalctl -u sluice.service -o json > "$OUT/journal.json"
systemctl show sluice.service > "$OUT/show-final.txt"

# 6. One instance per application (docs/systemd.md): sluice@fleet, from the template
# unit, serves a fleet of 30 members (docs/fleets.md) beside sluice.service.
FV=/etc/sluice/fleet-versions
FCONF=/etc/sluice/fleet.toml
fleet_show() { systemctl show -p "$1" --value sluice@fleet.service; }
install -D -m 0644 /root/sluice/systemd/sluice@.service /etc/systemd/system/sluice@.service
mkdir -p $FV /var/lib/sluice/fleet/tenants
for i in $(seq -w 1 30); do install -o sluice -g sluice -m 0640 /dev/null /var/lib/sluice/fleet/tenants/t$i.db; done
chown sluice:sluice /var/lib/sluice/fleet /var/lib/sluice/fleet/tenants
printf -- '-- r1\n--\n-- Revision ID: r1\n-- Revises: None\n\n-- +upgrade\nCREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT);\n\n-- +downgrade\nDROP TABLE accounts;\n' > $FV/r1_accounts.sql
printf 'databases = "/var/lib/sluice/fleet/tenants/*.db"\nversions = "%s"\nstate_file = "/run/sluice/fleet/state.json"\nsettle = "200ms"\nbackups = { directory = "/var/lib/sluice/fleet/backups", max_total = "64MiB" }\n[rollout]\ncanaries = 1\nparallelism = 2\n[[window]]\nname = "staging"\nalways = true\n' $FV > $FCONF
systemctl daemon-reload
systemctl start sluice@fleet.service
check "sluice@fleet is active after READY=1, from the template" '[ "$(fleet_show ActiveState)" = active ] && [ "$(fleet_show Type)" = notify ] && [ "$(fleet_show FragmentPath)" = /etc/systemd/system/sluice@.service ]'
check "every member at r1" "wait_for 120 '$S current --all --config $FCONF | grep -q \"^30/30 at r1\"'"
printf -- '-- r2\n--\n-- Revision ID: r2\n-- Revises: r1\n\n-- +upgrade\nCREATE TABLE ledger (n INTEGER);\nWITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 300000) INSERT INTO ledger SELECT n FROM c;\n\n-- +downgrade\nDROP TABLE ledger;\n' > $FV/.r2.tmp
mv $FV/.r2.tmp $FV/r2_ledger.sql
: > "$OUT/fleet-status.txt"
for _ in $(seq 1 600); do
  fleet_show StatusText >> "$OUT/fleet-status.txt"
  $S current --all --config $FCONF 2>/dev/null | grep -q "^30/30 at r2" && break
  sleep 0.2
done
check "STATUS= told the rollout: rollout r2: N/30 applied, 0 failed" 'grep -q "^rollout r2: [0-9]*/30 applied, 0 failed$" "$OUT/fleet-status.txt"'
check "every member at r2" "wait_for 120 '$S current --all --config $FCONF | grep -q \"^30/30 at r2\"'"
check "STATUS= then says the fleet is at r2" "wait_for 30 '[ \"\$(fleet_show StatusText)\" = \"fleet: 30/30 at r2\" ]'"
journalctl -u sluice@fleet.service -o json > "$OUT/fleet-journal.json"
check "the journal names each member: SLUICE_DATABASE on member-migrated" '[ "$(grep "\"SLUICE_EVENT\":\"member-migrated\"" "$OUT/fleet-journal.json" | grep -c "\"SLUICE_DATABASE\":\"/var/lib/sluice/fleet/tenants/t")" = 60 ]'
check "a backup of each member before r2, owner-only" '[ "$(find /var/lib/sluice/fleet/backups -name "t*-before-r2.db" -perm 0600 | wc -l)" = 30 ]'
check "the instance keeps its state file in its own runtime directory" '[ -f /run/sluice/fleet/state.json ]'
check "sluice.service runs on beside it" 'is_active'
check "systemctl reload sluice@fleet returns (RELOADING=1, then READY=1) and the instance stays active" 'timeout 90 systemctl reload sluice@fleet.service && [ "$(fleet_show ActiveState)" = active ]'
systemctl stop sluice@fleet.service
check "sluice@fleet stopped with Result=success" '[ "$(fleet_show Result)" = success ]'
echo "failures: $failures"
[ "$failures" = 0 ]
