#!/usr/bin/env python3
"""Reaction benchmark: how soon the running daemon follows a delivery by atomic swap and a
change made to the database by another process.

On a temporary project with the windows closed (nothing is applied, so only noticing and
validating is timed), the built `sluice serve` watches `current/versions`, where `current`
is a symbolic link. Each run flips `current` to a release holding one more revision
(`ln -s … tmp && mv -T tmp current`, done with symlink(2) and rename(2)) and times the
interval until the state file lists that revision as queued; the settle period is also
reported subtracted. Then, on a project with an open window, each run moves the database
down one revision with `sluice downgrade -1` and times the interval from that command's
exit to the state file showing the new current revision (the daemon is woken by inotify
on the database; it never polls). The state file is read every millisecond.

    swift build -c release --static-swift-stdlib --disable-local-rpath && python3 bench/reaction.py [--binary .build/release/sluice] [--runs 10]
"""
import argparse, json, os, shutil, signal, statistics, subprocess, tempfile, time

import benchlib
from benchlib import state, wait_until


def revision(rid, parent):
    return benchlib.revision(rid, parent, f"CREATE TABLE t_{rid} (id INTEGER PRIMARY KEY);", f"DROP TABLE t_{rid};")






def config(work, windows, settle):
    with open(os.path.join(work, "sluice.toml"), "w") as f:
        f.write(f'database = "app.db"\nversions = "current/versions"\nstate_file = "state.json"\nsettle = "{settle}"\n'
                f'[log]\nformat = "json"\n{windows}')


def release(work, name, count):
    versions = os.path.join(work, "releases", name, "versions")
    os.makedirs(versions, exist_ok=True)
    for i in range(1, count + 1):
        with open(os.path.join(versions, f"r{i:03d}.sql"), "w") as f:
            f.write(revision(f"r{i:03d}", f"r{i - 1:03d}" if i > 1 else None))
    return os.path.join("releases", name)


def flip(work, target):
    link = os.path.join(work, "current")
    tmp = link + ".tmp"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(target, tmp)
    os.rename(tmp, link)


def serve(binary, work):
    log = open(os.path.join(work, "serve.log"), "w")
    return subprocess.Popen([binary, "serve", "--config", os.path.join(work, "sluice.toml")], cwd=work, stderr=log, stdout=log)


def swap_latency(binary, runs, settle_ms):
    work = tempfile.mkdtemp(prefix="sluice-reaction-swap-")
    closed = '[[window]]\nname = "s"\nalways = true\n[[blackout]]\nfrom = "2000-01-01T00:00:00Z"\nuntil = "2100-01-01T00:00:00Z"\n'
    config(work, closed, f"{settle_ms}ms")
    flip(work, release(work, "n1", 1))
    proc = serve(binary, work)
    statefile = os.path.join(work, "state.json")
    assert wait_until(lambda: (state(statefile) or {}).get("view", {}).get("queue")), "daemon did not start"
    times = []
    for run in range(runs):
        count = run + 2
        target = release(work, f"n{count}", count)
        want = f"r{count:03d}"
        start = time.monotonic()
        flip(work, target)
        ok = wait_until(lambda: want in [e["revision"] for e in (state(statefile) or {}).get("view", {}).get("queue", [])])
        assert ok, f"swap {run}: {want} never queued"
        times.append(time.monotonic() - start)
    proc.send_signal(signal.SIGTERM)
    proc.wait()
    shutil.rmtree(work)
    return times


def external_latency(binary, runs):
    work = tempfile.mkdtemp(prefix="sluice-reaction-db-")
    config(work, '[[window]]\nname = "s"\nalways = true\n', "100ms")
    flip(work, release(work, "all", runs + 1))
    proc = serve(binary, work)
    statefile = os.path.join(work, "state.json")
    head = f"r{runs + 1:03d}"
    assert wait_until(lambda: (state(statefile) or {}).get("view", {}).get("current") == [head]), "daemon did not apply"
    times = []
    for run in range(runs):
        want = f"r{runs - run:03d}"
        subprocess.run([binary, "downgrade", "-1", "--config", os.path.join(work, "sluice.toml")], cwd=work, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        start = time.monotonic()
        assert wait_until(lambda: (state(statefile) or {}).get("view", {}).get("current") == [want]), f"downgrade {run} not seen"
        times.append(time.monotonic() - start)
    proc.send_signal(signal.SIGTERM)
    proc.wait()
    shutil.rmtree(work)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release", "sluice"))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--settle-ms", type=int, default=100)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    swaps = swap_latency(binary, args.runs, args.settle_ms)
    external = external_latency(binary, args.runs)
    ms = lambda xs: statistics.median(xs) * 1000
    result = {
        "runs": args.runs, "settle_ms": args.settle_ms,
        "swap_to_queued_median_ms": round(ms(swaps), 1), "swap_to_queued_max_ms": round(max(swaps) * 1000, 1),
        "swap_to_queued_median_net_ms": round(ms(swaps) - args.settle_ms, 1),
        "external_downgrade_to_state_median_ms": round(ms(external), 1), "external_downgrade_to_state_max_ms": round(max(external) * 1000, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
