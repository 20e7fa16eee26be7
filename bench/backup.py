#!/usr/bin/env python3
"""What the application feels while sluice backs up and rehearses.

An application (a Python sqlite3 child process, busy timeout 5 s) commits one small insert
every 5 ms into a database of 100 MB or 1 GB, in rollback-journal (`DELETE`) or WAL mode.
For each case the benchmark measures its commit latency (p50, p99, max), its throughput
and any `database is locked` errors:

- *idle*: `sluice serve` running with an empty queue;
- *sluice*: a revision dropped into the versions directory of the running daemon
  (always-open window, `rehearsal_max_bytes` above the database so the rehearsal copies
  it whole), from the drop until the state file shows it applied: the rehearsal's copy,
  the backup and the apply.

It also times the daemon's backup with no writer (*idle copy*, from the `backup created`
record) to check that a backup under the writer takes at most twice as long.

The cases run on the machine's own file system (`--ext4-dir`) and, where a loop device
can be mounted, on a loop-mounted XFS image with reflinks (`--xfs`), where a backup of a
rollback-journal database can be a copy-on-write clone.

    python3 bench/backup.py --binary .build/debug/sluice [--sizes 100,1000] [--modes delete,wal]
        [--xfs] [--extra 'backups = { max_rate = "..." }'] [--json out.json]
"""
import argparse, datetime, json, os, shutil, signal, statistics, subprocess, sys, tempfile, time

from benchlib import revision, state
from benchlib import wait_until as wait_every


def wait_until(predicate, timeout=600.0):
    """Polls every 5 ms: the harness must not load the machine whose latency it measures."""
    return wait_every(predicate, timeout, step=0.005)

WRITER = r"""
import json, signal, sqlite3, sys, time
path, out = sys.argv[1], sys.argv[2]
db = sqlite3.connect(path, timeout=5.0, isolation_level=None)
db.execute("CREATE TABLE IF NOT EXISTS app_events (id INTEGER PRIMARY KEY, at REAL, note TEXT)")
samples, errors, stop = [], [], False
def end(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, end)
open(out + ".ready", "w").close()
next_at = time.monotonic()
while not stop:
    start = time.time()
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO app_events (at, note) VALUES (?, 'tick')", (start,))
        db.execute("COMMIT")
        samples.append((start, time.time() - start))
    except sqlite3.OperationalError as error:
        errors.append((start, str(error)))
        try:
            db.execute("ROLLBACK")
        except sqlite3.OperationalError:
            pass
    next_at += 0.005
    pause = next_at - time.monotonic()
    if pause > 0:
        time.sleep(pause)
    else:
        next_at = time.monotonic()
json.dump({"samples": samples, "errors": errors}, open(out, "w"))
"""








def make_template(directory, megabytes):
    """A database of about `megabytes` MB (rows of 4,000 random bytes) in rollback mode."""
    path = os.path.join(directory, f"template-{megabytes}.db")
    if os.path.exists(path):
        return path
    rows = megabytes * 1_000_000 // 4_100
    subprocess.run(["sqlite3", path, f"PRAGMA page_size=4096; CREATE TABLE payload (id INTEGER PRIMARY KEY, b BLOB);"
                    f"INSERT INTO payload (b) SELECT randomblob(4000) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {rows}) SELECT x FROM c);"],
                   check=True)
    return path


class Project:
    """A project in `root`: database copied from the template in `mode`, a config, a
    versions directory with one applied base revision, and a running daemon."""

    def __init__(self, binary, root, template, mode, extra):
        self.root = root
        self.db = os.path.join(root, "app.db")
        shutil.copyfile(template, self.db)
        subprocess.run(["sqlite3", self.db, f"PRAGMA journal_mode={mode};"], check=True, capture_output=True)
        self.versions = os.path.join(root, "versions")
        os.mkdir(self.versions)
        self.state = os.path.join(root, "state.json")
        with open(os.path.join(root, "sluice.toml"), "w") as f:
            f.write('database = "app.db"\nversions = "versions"\nstate_file = "state.json"\nsettle = "50ms"\n'
                    'backups = { directory = "backups", keep = 1' + (", " + extra if extra else "") + ' }\n'
                    '[validation]\nrehearsal_max_bytes = "4GiB"\n[[window]]\nname = "staging"\nalways = true\n')
        self.log_path = os.path.join(root, "serve.log")
        self.binary = binary
        self.parent = None
        self.count = 0
        self.start()
        os.sync()

    def start(self):
        """Starts `sluice serve` (again) and waits for its state file."""
        if os.path.exists(self.state):
            os.unlink(self.state)
        self.log = open(self.log_path, "a")
        self.daemon = subprocess.Popen([self.binary, "serve", "--config", os.path.join(self.root, "sluice.toml")], cwd=self.root,
                                       stdout=self.log, stderr=self.log)
        assert wait_until(lambda: (s := state(self.state)) is not None and s.get("view") is not None, 120), "daemon did not start"

    def drop(self):
        """Drops a small revision; returns its id."""
        self.count += 1
        rid = f"r{self.count:04d}"
        text = revision(rid, self.parent, f"CREATE TABLE t_{rid} (n INTEGER);", f"DROP TABLE t_{rid};")
        path = os.path.join(self.versions, f"{rid}_bench.sql")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(fd, text.encode())
        os.close(fd)
        self.parent = rid
        return rid

    def applied(self, rid, timeout=900):
        return wait_until(lambda: (s := state(self.state)) is not None and s["view"].get("current") == [rid], timeout)

    def outcome(self, rid, held_before, timeout=900):
        """Waits until `rid` is applied or its backup is held (a record of `backup-held`
        after the `held_before` there were); returns "applied" or "held"."""
        seen = []
        def done():
            if (s := state(self.state)) is not None and s["view"].get("current") == [rid]:
                seen.append("applied")
            elif len(self.records("backup-held")) > held_before:
                seen.append("held")
            return bool(seen)
        assert wait_until(done, timeout), f"{rid}: neither applied nor held"
        return seen[0]

    def backup_ms(self):
        """The `duration.ms` of the last `backup created` record."""
        records = self.records("backup-created")
        return int(records[-1]["duration.ms"]) if records else None

    def records(self, event):
        """The daemon's JSON log records of `event`."""
        found = []
        with open(self.log_path) as f:
            for line in f:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if record.get("event") == event:
                    found.append(record)
        return found

    def log_lines(self, word):
        with open(self.log_path) as f:
            return [line.strip() for line in f if word in line]

    def stop(self):
        self.daemon.send_signal(signal.SIGTERM)
        try:
            self.daemon.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.daemon.kill()
        self.log.close()


class Writer:
    def __init__(self, db, directory):
        self.out = os.path.join(directory, f"writer-{time.monotonic_ns()}.json")
        self.process = subprocess.Popen([sys.executable, "-c", WRITER, db, self.out])
        assert wait_until(lambda: os.path.exists(self.out + ".ready"), 30), "writer did not start"

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        with open(self.out) as f:
            return json.load(f)


def summary(result, start, end):
    inside = [(at, seconds) for at, seconds in result["samples"] if start <= at <= end]
    latencies = sorted(seconds * 1000 for at, seconds in inside)
    errors = [e for at, e in result["errors"] if start <= at <= end]
    if not latencies:
        return {"commits": 0, "errors": len(errors)}
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    worst = max(inside, key=lambda sample: sample[1])
    return {"commits": len(latencies), "per_s": len(latencies) / max(end - start, 1e-9), "p50": statistics.median(latencies),
            "p99": p99, "max": latencies[-1], "worst_at": worst[0] - start, "errors": len(errors), "error_text": errors[:1]}


def run_case(binary, fs_dir, template, mode, extra, idle_seconds):
    root = tempfile.mkdtemp(prefix="sluice-bench-backup-", dir=fs_dir)
    try:
        project = Project(binary, root, template, mode, extra)
        try:
            # The idle copy: a backup with no writer.
            rid = project.drop()
            idle_outcome = project.outcome(rid, 0)
            idle_copy = project.backup_ms() if idle_outcome == "applied" else "held"
            if idle_outcome == "held":
                # Start again with this revision applied by hand, so the next drop is
                # the only one queued.
                project.stop()
                subprocess.run([project.binary, "upgrade", "--skip-rehearsal", "--config", os.path.join(root, "sluice.toml")],
                               check=True, capture_output=True, cwd=root)
                project.start()
            os.sync()
            writer = Writer(project.db, root)
            time.sleep(idle_seconds)
            idle_end = time.time()
            held_before = len(project.records("backup-held"))
            rid = project.drop()
            dropped = time.time()
            outcome = project.outcome(rid, held_before)
            finished = time.time()
            if outcome == "held":
                # What the application feels while the daemon holds: keep measuring a while.
                time.sleep(2)
                finished = time.time()
            time.sleep(0.2)
            result = writer.stop()
            busy_copy = project.backup_ms() if outcome == "applied" else "held"
            notes = [{k: v for k, v in r.items() if k in ("message", "event", "duration.ms", "backup.method", "backup.stall.ms", "backup.restarts", "error", "reason")}
                     for event in ("backup-created", "backup-failed", "backup-held") for r in project.records(event)[-1:]]
            idle_start = idle_end - idle_seconds
            phases, marks = {}, {}
            for event in ("backup-started", "backup-created", "backup-held", "migration-started", "applied"):
                for record in project.records(event):
                    at = datetime.datetime.fromisoformat(record["timestamp"].replace("Z", "+00:00")).timestamp()
                    if at >= dropped:
                        phases.setdefault(event, round(at - dropped, 2))
                        marks.setdefault(event, at)
            # The worst commit in each part of sluice's work: the rehearsal (from the drop
            # to the backup), the backup, the apply.
            worst = {}
            backup_start = marks.get("backup-started", finished)
            for name, (start, end) in {"rehearsal": (dropped, backup_start),
                                       "backup": (backup_start, marks.get("backup-created", marks.get("backup-held", backup_start)) + 0.05),
                                       "apply": (marks.get("migration-started", finished), finished)}.items():
                part = [seconds * 1000 for at, seconds in result["samples"] if start <= at <= end]
                worst[name] = round(max(part), 1) if part else None
            return {"phases": phases, "worst_by_part": worst, "idle": summary(result, idle_start, idle_end), "sluice": summary(result, dropped, finished),
                    "applied": outcome == "applied", "outcome": outcome, "sluice_s": finished - dropped,
                    "idle_copy_ms": idle_copy, "busy_copy_ms": busy_copy, "log": notes}
        finally:
            project.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def mount_xfs(directory, gigabytes):
    """A loop-mounted XFS image with reflinks; returns the mount point or the reason it
    cannot be made."""
    image, point = os.path.join(directory, "xfs.img"), os.path.join(directory, "xfs")
    os.makedirs(point, exist_ok=True)
    if os.path.ismount(point):
        return point, None
    with open(image, "wb") as f:
        f.truncate(gigabytes << 30)
    for command in (["mkfs.xfs", "-q", "-f", "-m", "reflink=1", image], ["mount", "-o", "loop", image, point]):
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            return None, f"{' '.join(command)}: {done.stderr.strip()}"
    return point, None


def fmt(s):
    if not s.get("commits"):
        return f"no commits, {s.get('errors')} errors"
    return f"{s['p50']:.1f} / {s['p99']:.1f} / {s['max']:.0f} ms, {s['per_s']:.0f}/s, {s['errors']} errors"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/debug/sluice")
    parser.add_argument("--sizes", default="100,1000", help="database sizes in MB")
    parser.add_argument("--modes", default="delete,wal")
    parser.add_argument("--ext4-dir", default="/var/tmp", help="a directory on the machine's own file system")
    parser.add_argument("--no-ext4", action="store_true", help="only the XFS image")
    parser.add_argument("--xfs", action="store_true", help="also run on a loop-mounted XFS image (root)")
    parser.add_argument("--xfs-dir", default="/var/tmp/sluice-bench-fs")
    parser.add_argument("--extra", default="", help="more keys inside `backups = { … }`")
    parser.add_argument("--idle-seconds", type=float, default=8.0)
    parser.add_argument("--json")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    places = [] if args.no_ext4 else [("ext4", args.ext4_dir)]
    if args.xfs:
        point, problem = mount_xfs(args.xfs_dir, 8)
        if point:
            places.append(("xfs", point))
        else:
            print(f"no XFS loop mount: {problem}")
    results = []
    for fs, directory in places:
        templates = os.path.join(directory, "sluice-bench-templates")
        os.makedirs(templates, exist_ok=True)
        for size in [int(s) for s in args.sizes.split(",")]:
            template = make_template(templates, size)
            for mode in args.modes.split(","):
                case = run_case(binary, directory, template, mode, args.extra, args.idle_seconds)
                case.update(fs=fs, size_mb=size, mode=mode)
                results.append(case)
                print(f"{fs} {size} MB {mode}: idle {fmt(case['idle'])} | sluice {fmt(case['sluice'])} "
                      f"over {case['sluice_s']:.1f} s | backup idle {case['idle_copy_ms']} ms, under writer {case['busy_copy_ms']} ms"
                      f"{'' if case['applied'] else ' | HELD (not copied)'}", flush=True)
                if case["sluice"].get("commits"):
                    print(f"    worst commit at +{case['sluice']['worst_at']:.2f} s; worst by part (ms): {case['worst_by_part']}; phases after the drop (s): {case['phases']}")
                for line in case["log"]:
                    print("    " + json.dumps(line)[:400], flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
