#!/bin/bash
# Runs in the guest before the unit starts: the user, the directories, the config.
set -eux
systemd-sysusers /etc/sysusers.d/sluice.conf
systemd-tmpfiles --create /etc/tmpfiles.d/sluice.conf
chmod 0644 /etc/sluice/sluice.toml
