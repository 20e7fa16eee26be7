#!/usr/bin/env python3
"""Daemon benchmark: file close -> queued latency, and memory with many queued revisions.

Starts the built `sluice serve` on a temporary project, drops revision files one at a time
and times the interval from each file's close to the state file listing it as queued
(the state file is checked every millisecond; the daemon itself never polls). Then drops
N revisions at once and reads the daemon's resident memory once all are queued. Last,
on a second project with an always-open window, times each file's close to the state
file showing it applied.

    swift build -c release --static-swift-stdlib --disable-local-rpath && python3 bench/daemon.py [--binary .build/release/sluice]
"""
import argparse, json, os, shutil, signal, statistics, subprocess, sys, tempfile, time

from benchlib import wait_until


def revision(rid, parent, body):
    return (f"-- bench {rid}\n--\n-- Revision ID: {rid}\n-- Revises: {parent or 'None'}\n\n"
            f"-- +upgrade\n{body[0]}\n\n-- +downgrade\n{body[1]}\n")


def queued(state_path):
    try:
        with open(state_path) as f:
            return [e["revision"] for e in json.load(f)["view"]["queue"]]
    except (OSError, ValueError, KeyError):
        return None




def rss_kib(pid):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS", "VmHWM")):
                key, value = line.split(":")
                values[key] = int(value.split()[0])
    return values


def current(state_path):
    try:
        with open(state_path) as f:
            return json.load(f)["view"]["current"]
    except (OSError, ValueError, KeyError):
        return None


def start_project(binary, work, settle, extra):
    """Writes a project (config, empty versions directory) into `work` and starts
    `sluice serve` on it; returns the versions directory, the state file and the process."""
    versions = os.path.join(work, "versions")
    os.mkdir(versions)
    with open(os.path.join(work, "sluice.toml"), "w") as f:
        f.write(f'database = "app.db"\nversions = "versions"\nstate_file = "state.json"\nsettle = "{settle}"\n' + extra)
    log = open(os.path.join(work, "serve.log"), "w")
    daemon = subprocess.Popen([binary, "serve", "--config", os.path.join(work, "sluice.toml")], cwd=work, stderr=log, stdout=log)
    return versions, os.path.join(work, "state.json"), daemon


def applied_latency(binary, drops, settle):
    """File close -> applied in an always-open window (staging): a backup, then the
    revision, each time; the state file's `current` shows it."""
    work = tempfile.mkdtemp(prefix="sluice-bench-apply-")
    try:
        versions, state, daemon = start_project(
            binary, work, settle, 'backups = { directory = "backups", keep = 3 }\n[[window]]\nname = "staging"\nalways = true\n')
        assert wait_until(lambda: current(state) is not None, 30), "daemon did not start"
        latencies, parent = [], None
        for index in range(drops):
            rid = f"a{index:04d}"
            text = revision(rid, parent, ("CREATE TABLE drops (n INTEGER);", "DROP TABLE drops;") if index == 0 else
                            (f"INSERT INTO drops VALUES ({index});", f"DELETE FROM drops WHERE n = {index};"))
            fd = os.open(os.path.join(versions, f"{rid}_bench.sql"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.write(fd, text.encode())
            os.close(fd)
            closed = time.monotonic()
            assert wait_until(lambda: current(state) == [rid], 60), f"{rid} never applied"
            latencies.append((time.monotonic() - closed) * 1000)
            parent = rid
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
        latencies.sort()
        return statistics.median(latencies), latencies[min(len(latencies) - 1, int(round(0.99 * len(latencies))) - 1)]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/sluice")
    parser.add_argument("--drops", type=int, default=200, help="files dropped one at a time for latency")
    parser.add_argument("--queued", type=int, default=1000, help="revisions queued at once for memory")
    parser.add_argument("--settle", default="50ms")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    settle_ms = float(args.settle.rstrip("ms")) if args.settle.endswith("ms") else float(args.settle.rstrip("s")) * 1000

    work = tempfile.mkdtemp(prefix="sluice-bench-")
    try:
        versions, state, daemon = start_project(
            binary, work, args.settle, '[[window]]\nname = "never"\ndays = ["mon"]\nstart = "00:00"\nduration = "1m"\n')
        assert wait_until(lambda: queued(state) is not None, 30), "daemon did not start"

        # Latency: one file at a time, close -> queued.
        latencies = []
        parent = None
        base = revision("b0000", None, ("CREATE TABLE drops (n INTEGER);", "DROP TABLE drops;"))
        for index in range(args.drops):
            rid = f"b{index:04d}"
            text = base if index == 0 else revision(rid, parent, (f"INSERT INTO drops VALUES ({index});", f"DELETE FROM drops WHERE n = {index};"))
            path = os.path.join(versions, f"{rid}_bench.sql")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.write(fd, text.encode())
            os.close(fd)
            closed = time.monotonic()
            assert wait_until(lambda: (q := queued(state)) is not None and rid in q, 60), f"{rid} never queued"
            latencies.append((time.monotonic() - closed) * 1000)
            parent = rid
        latencies.sort()
        p99 = latencies[min(len(latencies) - 1, int(round(0.99 * len(latencies))) - 1)]
        median = statistics.median(latencies)

        # Memory: many revisions dropped at once.
        start = time.monotonic()
        for index in range(args.drops, args.drops + args.queued):
            rid = f"b{index:04d}"
            with open(os.path.join(versions, f"{rid}_bench.sql"), "w") as f:
                f.write(revision(rid, parent, (f"INSERT INTO drops VALUES ({index});", f"DELETE FROM drops WHERE n = {index};")))
            parent = rid
        total = args.drops + args.queued
        assert wait_until(lambda: (q := queued(state)) is not None and len(q) == total, 600), "not all queued"
        batch_seconds = time.monotonic() - start
        memory = rss_kib(daemon.pid)

        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
        print(f"close -> queued, {args.drops} drops one at a time (settle {args.settle}):")
        print(f"  median {median:.1f} ms, p99 {p99:.1f} ms; minus settle: median {median - settle_ms:.1f} ms, p99 {p99 - settle_ms:.1f} ms")
        print(f"{args.queued} revisions dropped at once: all {total} queued after {batch_seconds:.2f} s")
        print(f"daemon memory with {total} queued: VmRSS {memory['VmRSS'] / 1024:.1f} MiB, peak VmHWM {memory['VmHWM'] / 1024:.1f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    median, p99 = applied_latency(binary, args.drops, args.settle)
    print(f"close -> applied, {args.drops} drops one at a time (always-open window, a backup before each):")
    print(f"  median {median:.1f} ms, p99 {p99:.1f} ms; minus settle: median {median - settle_ms:.1f} ms, p99 {p99 - settle_ms:.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
