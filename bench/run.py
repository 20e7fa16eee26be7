#!/usr/bin/env python3
"""sluice vs Alembic vs the sqlite3 shell: the whole benchmark, written to bench/RESULTS.md.

    python3 bench/run.py [--binary .build-release/release/sluice] [--runs 5] [--noop-runs 30] [--sizes 10,100,1000] [--quick]

The same workload is generated three ways into a temporary directory: sluice revision files,
an Alembic environment (`alembic init -t generic`, one `op.execute()` per statement) and SQL
scripts for the `sqlite3` shell. Each size N has N revisions that each create a table with
three columns and an index and insert 10 rows (downgrade: drop the index and the table); the
heavy pair inserts 1,000,000 rows with a recursive CTE and indexes them, then adds a column
and backfills it with an UPDATE.

The limit every ratio is taken against is the `sqlite3` shell running the same statements
with one transaction per revision and Alembic's bookkeeping
(`BEGIN; ...; INSERT/UPDATE alembic_version ...; COMMIT;`); "sqlite3 plain" is the same
script without any bookkeeping, shown for reference. Whole processes are timed, the tools
alternate (A B C D A B C D ...), every run starts from a fresh copy of the database (empty
or at head, copied untimed), and ratios are computed within each run, then their median is
reported. Peak RSS comes from `/usr/bin/time -v` in a separate, untimed pass.

The daemon part calls bench/daemon.py (close -> queued latency, memory with many queued),
then measures an idle daemon's CPU time and wake-ups over 30 s, and its start-up with
10,000 revisions on disk. Alembic is installed from PyPI into bench/.venv when missing.
"""
import argparse, datetime, json, os, platform, re, shutil, socket, sqlite3, statistics
import subprocess, sys, tempfile, threading, time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
VENV = os.path.join(BENCH, ".venv")
ALEMBIC = os.path.join(VENV, "bin", "alembic")
DATE = "2026-11-25 00:00:00+00:00"
CLOSED_WINDOWS = ('[[window]]\nname = "staging"\nalways = true\n'
                  '[[blackout]]\nfrom = "2000-01-01T00:00:00Z"\nuntil = "2100-01-01T00:00:00Z"\n')

# Targets from the issue.
T_UPGRADE, T_NOOP, T_DOWNGRADE, T_RSS_MIB, T_LATENCY_MS = 1.2, 2.0, 1.2, 20.0, 50.0


LOADS = []


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the workload

class Revision:
    def __init__(self, rid, parent, message, upgrade, downgrade, destructive=False):
        self.rid, self.parent, self.message = rid, parent, message
        self.upgrade, self.downgrade, self.destructive = upgrade, downgrade, destructive


def small_history(n):
    revs, parent = [], None
    for i in range(n):
        rid, t = f"r{i:05d}", f"t_{i:05d}"
        rows = ", ".join(f"('row {k}', {i * 10 + k})" for k in range(10))
        revs.append(Revision(rid, parent, f"create {t}", [
            f"CREATE TABLE {t} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value INTEGER)",
            f"CREATE INDEX ix_{t}_value ON {t} (value)",
            f"INSERT INTO {t} (name, value) VALUES {rows}",
        ], [f"DROP INDEX ix_{t}_value", f"DROP TABLE {t}"]))
        parent = rid
    return revs


def heavy_history(rows):
    return [
        Revision("h00001", None, f"big table, {rows} rows", [
            "CREATE TABLE big (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value INTEGER)",
            f"WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {rows}) "
            "INSERT INTO big (id, name, value) SELECT n, 'name-' || n, n * 7 FROM seq",
            "CREATE INDEX ix_big_value ON big (value)",
        ], ["DROP INDEX ix_big_value", "DROP TABLE big"]),
        # The downgrade drops a column; the upgrade loses nothing, so sluice needs no
        # `Destructive: allowed` here (its check looks at what an upgrade drops).
        Revision("h00002", "h00001", "backfill score", [
            "ALTER TABLE big ADD COLUMN score INTEGER",
            "UPDATE big SET score = value + id",
        ], ["ALTER TABLE big DROP COLUMN score"]),
    ]


def write_sluice(revs, directory):
    os.makedirs(directory)
    for r in revs:
        header = [f"-- {r.message}", "--", f"-- Revision ID: {r.rid}", f"-- Revises: {r.parent or 'None'}",
                  f"-- Create Date: {DATE}"]
        if r.destructive:
            header.append("-- Destructive: allowed")
        body = "\n".join(header) + "\n\n-- +upgrade\n" + "".join(s + ";\n" for s in r.upgrade)
        body += "\n-- +downgrade\n" + "".join(s + ";\n" for s in r.downgrade)
        with open(os.path.join(directory, f"{r.rid}_bench.sql"), "w") as f:
            f.write(body)


def write_alembic(revs, project, database):
    os.makedirs(project)
    run([ALEMBIC, "init", "-t", "generic", "migrations"], cwd=project)
    ini = os.path.join(project, "alembic.ini")
    with open(ini) as f:
        text = f.read()
    text, count = re.subn(r"(?m)^sqlalchemy\.url = .*$", f"sqlalchemy.url = sqlite:///{database}", text)
    assert count == 1, "alembic.ini has no sqlalchemy.url line"
    with open(ini, "w") as f:
        f.write(text)
    versions = os.path.join(project, "migrations", "versions")
    os.makedirs(versions, exist_ok=True)
    for r in revs:
        up = "".join(f"    op.execute({s!r})\n" for s in r.upgrade)
        down = "".join(f"    op.execute({s!r})\n" for s in r.downgrade)
        with open(os.path.join(versions, f"{r.rid}_bench.py"), "w") as f:
            f.write(f'"""{r.message}\n\nRevision ID: {r.rid}\nRevises: {r.parent or ""}\nCreate Date: {DATE}\n\n"""\n'
                    "from alembic import op\n\n"
                    f"revision = {r.rid!r}\ndown_revision = {r.parent!r}\nbranch_labels = None\ndepends_on = None\n\n\n"
                    f"def upgrade() -> None:\n{up}\n\ndef downgrade() -> None:\n{down}")
    return ini


VERSION_TABLE = ("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                 "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));")


def write_scripts(revs, directory):
    """The limit (one transaction per revision, with alembic_version) and plain scripts."""
    up, down, plain_up, plain_down = [".bail on", VERSION_TABLE], [".bail on"], [".bail on"], [".bail on"]
    for r in revs:
        stmts = "".join(s + ";\n" for s in r.upgrade)
        book = (f"INSERT INTO alembic_version (version_num) VALUES ('{r.rid}');" if r.parent is None else
                f"UPDATE alembic_version SET version_num = '{r.rid}' WHERE version_num = '{r.parent}';")
        up.append(f"BEGIN;\n{stmts}{book}\nCOMMIT;")
        plain_up.append(f"BEGIN;\n{stmts}COMMIT;")
    for r in reversed(revs):
        stmts = "".join(s + ";\n" for s in r.downgrade)
        book = (f"DELETE FROM alembic_version WHERE version_num = '{r.rid}';" if r.parent is None else
                f"UPDATE alembic_version SET version_num = '{r.parent}' WHERE version_num = '{r.rid}';")
        down.append(f"BEGIN;\n{stmts}{book}\nCOMMIT;")
        plain_down.append(f"BEGIN;\n{stmts}COMMIT;")
    paths = {}
    for name, lines in (("limit_up", up), ("limit_down", down), ("plain_up", plain_up), ("plain_down", plain_down)):
        paths[name] = os.path.join(directory, name + ".sql")
        with open(paths[name], "w") as f:
            f.write("\n".join(lines) + "\n")
    return paths


# ---------------------------------------------------------------- running

def run(cmd, cwd=None, stdin=None, env=None, check=True):
    stdin_file = open(stdin) if stdin else subprocess.DEVNULL
    try:
        p = subprocess.run(cmd, cwd=cwd, stdin=stdin_file, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    finally:
        if stdin:
            stdin_file.close()
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stdout.decode()[-2000:]}\n{p.stderr.decode()[-2000:]}")
    return p


def timed(cmd, cwd, stdin, errpath):
    """Wall time of one whole process; output goes to /dev/null and a file (no pipes)."""
    stdin_file = open(stdin) if stdin else subprocess.DEVNULL
    with open(errpath, "wb") as err:
        start = time.perf_counter()
        p = subprocess.run(cmd, cwd=cwd, stdin=stdin_file, stdout=subprocess.DEVNULL, stderr=err)
        elapsed = time.perf_counter() - start
    if stdin:
        stdin_file.close()
    if p.returncode != 0:
        with open(errpath, errors="replace") as f:
            raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}:\n{f.read()[-3000:]}")
    return elapsed


def peak_rss_kib(cmd, cwd, stdin, errpath):
    out = errpath + ".time"
    stdin_file = open(stdin) if stdin else subprocess.DEVNULL
    with open(errpath, "wb") as err:
        p = subprocess.run(["/usr/bin/time", "-v", "-o", out] + cmd, cwd=cwd, stdin=stdin_file,
                           stdout=subprocess.DEVNULL, stderr=err)
    if stdin:
        stdin_file.close()
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} (under /usr/bin/time) exited {p.returncode}")
    with open(out) as f:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
    return int(m.group(1))


def fresh(source, target):
    for suffix in ("", "-wal", "-shm", "-journal", ".sluice-lock"):
        if os.path.exists(target + suffix):
            os.remove(target + suffix)
    shutil.copyfile(source, target)


def db_state(path):
    c = sqlite3.connect(path)
    try:
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        versions = sorted(r[0] for r in c.execute("SELECT version_num FROM alembic_version")) \
            if "alembic_version" in tables else None
        user = sorted(t for t in tables if t.startswith("t_") or t == "big")
        big = c.execute("SELECT count(*), count(score) FROM big").fetchone() if "big" in tables and \
            any(r[1] == "score" for r in c.execute("PRAGMA table_info(big)")) else None
        return {"tables": user, "versions": versions, "big": big}
    finally:
        c.close()


class Case:
    """One workload generated three ways, with its databases."""

    def __init__(self, name, revs, root, binary, heavy_rows=None):
        self.name, self.revs, self.binary, self.heavy_rows = name, revs, binary, heavy_rows
        self.dir = os.path.join(root, name)
        os.makedirs(self.dir)
        self.versions = os.path.join(self.dir, "sluice-versions")
        write_sluice(revs, self.versions)
        self.db = {t: os.path.join(self.dir, f"{t}.db") for t in ("sluice", "unrehearsed", "alembic", "sqlite3", "plain")}
        self.ini = write_alembic(revs, os.path.join(self.dir, "alembic"), self.db["alembic"])
        self.scripts = write_scripts(revs, self.dir)
        self.empty = os.path.join(self.dir, "empty.db")
        open(self.empty, "w").close()          # a 0-byte file is an empty SQLite database
        self.head = {t: os.path.join(self.dir, f"head-{t}.db") for t in self.db}
        self.err = os.path.join(self.dir, "stderr.txt")

    def commands(self, command):
        """tool -> (argv, cwd, stdin, starting database) for one command."""
        s, a = self.binary, ALEMBIC
        alembic_cwd = os.path.dirname(self.ini)
        if command == "upgrade":
            return {
                "sluice": ([s, "upgrade", "head", "--database", self.db["sluice"], "--versions", self.versions], self.dir, None, self.empty),
                "unrehearsed": ([s, "upgrade", "head", "--skip-rehearsal", "--database", self.db["unrehearsed"], "--versions", self.versions], self.dir, None, self.empty),
                "alembic": ([a, "-c", self.ini, "upgrade", "head"], alembic_cwd, None, self.empty),
                "sqlite3": (["sqlite3", self.db["sqlite3"]], self.dir, self.scripts["limit_up"], self.empty),
                "plain": (["sqlite3", self.db["plain"]], self.dir, self.scripts["plain_up"], self.empty),
            }
        if command == "noop":
            return {
                "sluice": ([s, "upgrade", "head", "--database", self.db["sluice"], "--versions", self.versions], self.dir, None, self.head["sluice"]),
                "alembic": ([a, "-c", self.ini, "upgrade", "head"], alembic_cwd, None, self.head["alembic"]),
                "sqlite3": (["sqlite3", self.db["sqlite3"], "select 1"], self.dir, None, self.head["sqlite3"]),
            }
        if command == "downgrade":
            return {
                "sluice": ([s, "downgrade", "base", "--database", self.db["sluice"], "--versions", self.versions], self.dir, None, self.head["sluice"]),
                "unrehearsed": ([s, "downgrade", "base", "--skip-rehearsal", "--database", self.db["unrehearsed"], "--versions", self.versions], self.dir, None, self.head["unrehearsed"]),
                "alembic": ([a, "-c", self.ini, "downgrade", "base"], alembic_cwd, None, self.head["alembic"]),
                "sqlite3": (["sqlite3", self.db["sqlite3"]], self.dir, self.scripts["limit_down"], self.head["sqlite3"]),
                "plain": (["sqlite3", self.db["plain"]], self.dir, self.scripts["plain_down"], self.head["plain"]),
            }
        raise ValueError(command)

    def prepare(self):
        """Untimed warm-up: every tool upgrades once (its at-head database is kept, and
        Alembic compiles its revisions); the result is checked. Downgrades are checked in
        the RSS pass."""
        head = self.revs[-1].rid
        want_tables = sorted(t for r in self.revs for t in re.findall(r"CREATE TABLE (\w+)", " ".join(r.upgrade)))
        for tool, (cmd, cwd, stdin, start) in self.commands("upgrade").items():
            fresh(self.empty, self.db[tool])
            timed(cmd, cwd, stdin, self.err)
            state = db_state(self.db[tool])
            assert state["tables"] == want_tables, f"{self.name}/{tool}: upgrade made {state['tables'][:5]}..."
            if tool != "plain":
                assert state["versions"] == [head], f"{self.name}/{tool}: alembic_version {state['versions']}"
            if self.heavy_rows:
                assert state["big"] == (self.heavy_rows, self.heavy_rows), f"{self.name}/{tool}: big {state['big']}"
            for suffix in ("-wal", "-journal"):
                assert not os.path.exists(self.db[tool] + suffix), f"{tool} left {suffix}"
            shutil.copyfile(self.db[tool], self.head[tool])

    def check_downgrade(self, tool):
        state = db_state(self.db[tool])
        assert state["tables"] == [], f"{self.name}/{tool}: downgrade left {state['tables'][:5]}"
        assert state["versions"] in (None, []), f"{self.name}/{tool}: alembic_version {state['versions']}"

    def measure(self, runs, noop_runs):
        results = {}
        for command in ("upgrade", "noop", "downgrade"):
            cmds = self.commands(command)
            times = {t: [] for t in cmds}
            ratios = {t: [] for t in cmds}
            count = noop_runs if command == "noop" else runs
            for i in range(count):
                this = {}
                for tool, (cmd, cwd, stdin, start) in cmds.items():      # A B C D, A B C D ...
                    fresh(start, self.db[tool])
                    # Write back the copy and what the previous tool left dirty, so no tool
                    # pays for another's writeback during its own timed run.
                    os.sync()
                    this[tool] = timed(cmd, cwd, stdin, self.err)
                for tool, t in this.items():
                    times[tool].append(t)
                    ratios[tool].append(t / this["sqlite3"])
                log(f"  {self.name} {command} run {i + 1}/{count}: " +
                    ", ".join(f"{t} {v * 1000:.0f} ms" for t, v in this.items()))
            rss = {}
            for tool, (cmd, cwd, stdin, start) in cmds.items():
                fresh(start, self.db[tool])
                rss[tool] = peak_rss_kib(cmd, cwd, stdin, self.err)
                if command == "downgrade":
                    self.check_downgrade(tool)
            results[command] = {t: {"median_s": statistics.median(times[t]), "times_s": times[t],
                                    "ratio": statistics.median(ratios[t]), "rss_kib": rss[t]} for t in cmds}
        return results


# ---------------------------------------------------------------- the daemon

class NotifySocket:
    """A stand-in for systemd's notification socket: records each datagram with its time."""

    def __init__(self, path):
        self.path, self.messages = path, []
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while self.running:
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return
            self.messages.append((time.monotonic(), data.decode(errors="replace")))

    def first(self, needle):
        return next((t for t, m in self.messages if needle in m.split("\n")), None)

    def count(self, needle):
        return sum(1 for _, m in self.messages if needle in m.split("\n"))

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


def daemon_project(root, revisions, settle="100ms"):
    os.makedirs(os.path.join(root, "versions"))
    with open(os.path.join(root, "sluice.toml"), "w") as f:
        f.write(f'database = "app.db"\nversions = "versions"\nstate_file = "state.json"\nsettle = "{settle}"\n'
                f'[log]\nformat = "json"\n{CLOSED_WINDOWS}')
    parent = None
    for i in range(revisions):
        rid = f"d{i:05d}"
        up, down = (("CREATE TABLE d (n INTEGER);", "DROP TABLE d;") if i == 0 else
                    (f"INSERT INTO d VALUES ({i});", f"DELETE FROM d WHERE n = {i};"))
        with open(os.path.join(root, "versions", f"{rid}_bench.sql"), "w") as f:
            f.write(f"-- bench {rid}\n--\n-- Revision ID: {rid}\n-- Revises: {parent or 'None'}\n\n"
                    f"-- +upgrade\n{up}\n\n-- +downgrade\n{down}\n")
        parent = rid
    return os.path.join(root, "sluice.toml"), os.path.join(root, "state.json")


def queue_length(state):
    try:
        with open(state) as f:
            return len(json.load(f)["view"]["queue"])
    except (OSError, ValueError, KeyError):
        return None


def proc_counters(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])            # utime + stime (fields 14 and 15)
    threads = {}
    cpu_ns = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                status = dict(line.split(":", 1) for line in f if ":" in line)
            threads[tid] = (status["Name"].strip(), int(status["voluntary_ctxt_switches"]),
                            int(status["nonvoluntary_ctxt_switches"]))
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                cpu_ns += int(f.read().split()[0])     # time on the CPU, in nanoseconds
        except OSError:
            pass
    return ticks, threads, cpu_ns


def start_daemon(binary, config, root, notify=None, watchdog_usec=None):
    env = dict(os.environ)
    for key in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM"):
        env.pop(key, None)
    if notify:
        env["NOTIFY_SOCKET"] = notify
    if watchdog_usec:
        env["WATCHDOG_USEC"] = str(watchdog_usec)
    logf = open(os.path.join(root, "serve.log"), "w")
    started = time.monotonic()
    proc = subprocess.Popen([binary, "serve", "--config", config], cwd=root, stdout=logf, stderr=logf, env=env)
    return proc, started, logf


def stop_daemon(proc, logf):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    logf.close()


def wait_for(predicate, timeout, step=0.001):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def idle(binary, work, seconds, revisions, watchdog):
    root = os.path.join(work, f"idle-{'watchdog' if watchdog else 'plain'}")
    os.makedirs(root)
    config, state = daemon_project(root, revisions)
    notify = NotifySocket(os.path.join(root, "notify.sock")) if watchdog else None
    proc, _, logf = start_daemon(binary, config, root, notify.path if notify else None,
                                 10_000_000 if watchdog else None)
    try:
        assert wait_for(lambda: queue_length(state) == revisions, 120, 0.01), "idle daemon never queued its revisions"
        time.sleep(2)                                       # let start-up work finish
        pings_before = notify.count("WATCHDOG=1") if notify else 0
        ticks0, threads0, cpu0 = proc_counters(proc.pid)
        time.sleep(seconds)
        ticks1, threads1, cpu1 = proc_counters(proc.pid)
        pings = (notify.count("WATCHDOG=1") - pings_before) if notify else 0
    finally:
        stop_daemon(proc, logf)
        if notify:
            notify.close()
    per_thread = []
    for tid, (name, vol, invol) in threads1.items():
        v0, i0 = threads0.get(tid, (name, 0, 0))[1:]
        if vol - v0 + invol - i0:
            per_thread.append((name, tid, vol - v0, invol - i0))
    switches = sum(v + i for _, _, v, i in per_thread)
    return {"seconds": seconds, "ticks": ticks1 - ticks0, "clk_tck": os.sysconf("SC_CLK_TCK"), "cpu_us": (cpu1 - cpu0) / 1000,
            "switches": switches, "per_thread": sorted(per_thread, key=lambda x: -(x[2] + x[3])),
            "threads": len(threads1), "watchdog_pings": pings, "watchdog": watchdog}


def startup(binary, work, revisions, restarts=5):
    """Starts on the same project: the first (nothing remembered: every revision
    rehearsed), `restarts` restarts (the validation memo answers), and a restart after the
    memo was corrupted (ignored: everything rehearsed again)."""
    root = os.path.join(work, "startup")
    os.makedirs(root)
    config, state = daemon_project(root, revisions)
    memo = os.path.join(root, "app.db.sluice-memo")
    runs = {}
    for name in ["first"] + [f"memo{i}" for i in range(restarts)] + ["corrupt"]:
        if name == "corrupt":
            with open(memo, "r+b") as f:                    # one byte in the middle flipped
                f.seek(os.path.getsize(memo) // 2)
                byte = f.read(1)
                f.seek(-1, os.SEEK_CUR)
                f.write(bytes([byte[0] ^ 0x01]))
        if os.path.exists(state):
            os.unlink(state)
        runs[name] = start_once(binary, root, config, state, revisions)
        runs[name]["memo_bytes"] = os.path.getsize(memo) if os.path.exists(memo) else 0
    restarted = sorted((runs[f"memo{i}"] for i in range(restarts)), key=lambda r: r["ready_s"])
    runs["memo"] = dict(restarted[len(restarted) // 2])          # the median restart
    runs["memo"]["ready_all_s"] = [r["ready_s"] for r in restarted]
    result = dict(runs["first"])
    result["runs"] = runs
    result["restarts"] = restarts
    return result


def start_once(binary, root, config, state, revisions):
    """One start, timed from just before the process starts to `READY=1` on the notify
    socket. Meanwhile the harness only sleeps: reading the state file as it changes
    (JSON of thousands of entries) would take the CPU the daemon starts on, and delay
    the socket's reader thread. The daemon writes the state file before `READY=1`, so at
    `READY=1` it must already list every revision as queued."""
    notify = NotifySocket(os.path.join(root, "notify.sock"))
    wall = time.time()
    proc, started, logf = start_daemon(binary, config, root, notify.path)
    try:
        ready = wait_for(lambda: notify.first("READY=1"), 60 + revisions * 0.1, 0.005)
        assert ready, "READY=1 never came"
        written = os.stat(state).st_mtime - wall
        queued = queue_length(state)
        assert queued == revisions, f"at READY=1 the state file lists {queued} of {revisions} revisions as queued"
        with open(f"/proc/{proc.pid}/status") as f:
            hwm = int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))
    finally:
        stop_daemon(proc, logf)
        notify.close()
        os.unlink(notify.path)
    return {"revisions": revisions, "state_written_s": written, "queued_at_ready": queued,
            "ready_s": ready - started, "vmhwm_kib": hwm}


def branched_history(total, branches=10, branch_length=99):
    """`total` revisions: a long main line with `branches` side branches of
    `branch_length` revisions, each joined back into the main line by a merge revision.
    Every revision inserts one row (the first creates the table). Returns
    [(rid, parents, upgrade, downgrade)] in creation order and the head's id."""
    main_length = total - branches * (branch_length + 1)
    spacing = main_length // (branches + 1)
    revs, n = [], 0

    def add(rid, parents):
        nonlocal n
        up, down = (("CREATE TABLE d (n INTEGER);", "DROP TABLE d;") if n == 0 else
                    (f"INSERT INTO d VALUES ({n});", f"DELETE FROM d WHERE n = {n};"))
        revs.append((rid, parents, up, down))
        n += 1

    forks = {(k + 1) * spacing - spacing // 2: k for k in range(branches)}
    joins = {(k + 1) * spacing: k for k in range(branches)}
    previous = None
    for i in range(main_length):
        if i in joins:                               # the merge, inserted into the main line
            k = joins[i]
            add(f"x{k:02d}", [previous, f"s{k:02d}_{branch_length - 1:03d}"])
            previous = f"x{k:02d}"
        add(f"m{i:05d}", [previous] if previous else [])
        previous = f"m{i:05d}"
        if i in forks:                               # a side branch leaves here
            parent = previous
            for j in range(branch_length):
                add(f"s{forks[i]:02d}_{j:03d}", [parent])
                parent = f"s{forks[i]:02d}_{j:03d}"
    return revs, previous


def write_branched(revs, versions):
    os.makedirs(versions, exist_ok=True)
    for rid, parents, up, down in revs:
        with open(os.path.join(versions, f"{rid}_load.sql"), "w") as f:
            f.write(f"-- load {rid}\n--\n-- Revision ID: {rid}\n-- Revises: {', '.join(parents) or 'None'}\n\n"
                    f"-- +upgrade\n{up}\n\n-- +downgrade\n{down}\n")


def timed_rss(cmd, cwd):
    """Wall time and peak RSS of one run, with its output."""
    started = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd, capture_output=True)
    elapsed = time.monotonic() - started
    rss = int(p.stderr.decode().strip().splitlines()[-1])
    return elapsed, rss, p


def load(binary, work, total, dropped):
    """The load test of the reliability issue: `total` revisions (a main line plus merged
    branches) for check, history and daemon start-up, then `dropped` more files onto the
    running daemon; every step is checked for correctness, not only timed."""
    root = os.path.join(work, "load")
    os.makedirs(root)
    revs, head = branched_history(total)
    assert len(revs) == total and len({r[0] for r in revs}) == total, "load history is malformed"
    versions = os.path.join(root, "versions")
    write_branched(revs, versions)
    with open(os.path.join(root, "sluice.toml"), "w") as f:
        f.write(f'database = "app.db"\nversions = "versions"\nstate_file = "state.json"\nsettle = "100ms"\n'
                f'[log]\nformat = "json"\n{CLOSED_WINDOWS}')
    config, state = os.path.join(root, "sluice.toml"), os.path.join(root, "state.json")
    result = {"revisions": total, "dropped": dropped}

    heads_s, heads_rss, p = timed_rss([binary, "heads", "--config", config], root)
    assert p.returncode == 0 and p.stdout.decode().split()[0] == head, f"heads: {p.stdout[:200]!r} {p.stderr[-300:]!r}"
    result["heads"] = (heads_s, heads_rss)
    hist_s, hist_rss, p = timed_rss([binary, "history", "--config", config], root)
    lines = [l for l in p.stdout.decode().splitlines() if " -> " in l]
    assert p.returncode == 0 and len(lines) == total, f"history listed {len(lines)} of {total}"
    result["history"] = (hist_s, hist_rss)
    check_s, check_rss, p = timed_rss([binary, "check", "--config", config], root)
    assert p.returncode == 0, f"check failed: {p.stdout[-500:]!r} {p.stderr[-500:]!r}"
    result["check"] = (check_s, check_rss)

    notify = NotifySocket(os.path.join(root, "notify.sock"))
    proc, started, logf = start_daemon(binary, config, root, notify.path)
    try:
        ready = wait_for(lambda: notify.first("READY=1"), 600, 0.005)
        assert ready, "no READY=1"
        assert wait_for(lambda: queue_length(state) == total, 600, 0.01), "not every revision queued"
        with open(state) as f:
            queue = [e["revision"] for e in json.load(f)["view"]["queue"]]
        assert queue[0] == revs[0][0] and queue[-1] == head, "queue not in graph order"
        result["startup_ready_s"] = ready - started
        result["startup_queued_s"] = time.monotonic() - started
        with open(f"/proc/{proc.pid}/status") as f:
            result["startup_hwm_kib"] = int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))
        began, parent = time.monotonic(), head
        for i in range(dropped):
            rid = f"n{i:05d}"
            with open(os.path.join(versions, f"{rid}_load.sql"), "w") as f:
                f.write(f"-- load {rid}\n--\n-- Revision ID: {rid}\n-- Revises: {parent}\n\n"
                        f"-- +upgrade\nINSERT INTO d VALUES (-{i + 1});\n\n-- +downgrade\nDELETE FROM d WHERE n = -{i + 1};\n")
            parent = rid
        assert wait_for(lambda: queue_length(state) == total + dropped, 900, 0.01), "dropped files not all queued"
        result["drop_s"] = time.monotonic() - began
        with open(f"/proc/{proc.pid}/status") as f:
            status = f.read()
        result["drop_rss_kib"] = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        result["drop_hwm_kib"] = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    finally:
        stop_daemon(proc, logf)
        notify.close()
    return result


def latency(binary, drops, queued):
    p = run([sys.executable, os.path.join(BENCH, "daemon.py"), "--binary", binary,
             "--drops", str(drops), "--queued", str(queued)])
    out = p.stdout.decode()
    m = re.search(r"median ([\d.]+) ms, p99 ([\d.]+) ms; minus settle: median ([-\d.]+) ms, p99 ([-\d.]+) ms", out)
    s = re.search(r"\(settle (\w+)\)", out)
    b = re.search(r"all (\d+) queued after ([\d.]+) s", out)
    r = re.search(r"VmRSS ([\d.]+) MiB, peak VmHWM ([\d.]+) MiB", out)
    a = re.search(r"close -> applied.*\n  median ([\d.]+) ms, p99 ([\d.]+) ms; minus settle: median ([-\d.]+) ms, p99 ([-\d.]+) ms", out)
    assert m and b and r and a, "unexpected daemon.py output:\n" + out
    return {"drops": drops, "queued": queued, "settle": s.group(1), "median": float(m.group(1)), "p99": float(m.group(2)),
            "median_net": float(m.group(3)), "p99_net": float(m.group(4)), "total": int(b.group(1)),
            "batch_s": float(b.group(2)), "rss_mib": float(r.group(1)), "hwm_mib": float(r.group(2)), "raw": out,
            "applied_median": float(a.group(1)), "applied_p99": float(a.group(2)),
            "applied_median_net": float(a.group(3)), "applied_p99_net": float(a.group(4))}


# ---------------------------------------------------------------- report

def machine():
    with open("/proc/cpuinfo") as f:
        model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), platform.machine())
    with open("/proc/meminfo") as f:
        mem_kib = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    return {"nproc": os.cpu_count(), "cpu": model, "ram": f"{mem_kib / 1024 / 1024:.1f} GiB",
            "kernel": platform.release()}


def versions(binary):
    def first_line(cmd):
        try:
            return run(cmd).stdout.decode().strip().splitlines()[0]
        except Exception as e:                              # noqa: BLE001 - reported as is
            return f"unavailable ({e})"
    return {"sluice": first_line([binary, "--version"]), "alembic": first_line([ALEMBIC, "--version"]),
            "sqlalchemy": first_line([os.path.join(VENV, "bin", "python"), "-c", "import sqlalchemy; print(sqlalchemy.__version__)"]),
            "sqlite3": first_line(["sqlite3", "--version"]), "python": platform.python_version()}


def mark(ok):
    return "met" if ok else "**missed**"


def ms(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.2f} s"


def report(args, info, cases, daemon, load_before, load_after, elapsed):
    L = []
    L.append("# sluice benchmark results\n")
    command = " ".join(["python3 bench/run.py"] + args.argv)
    L.append(f"Written by `{command}` on {info['date']}; "
             f"the run took {elapsed / 60:.1f} min. Load average before {load_before}, after {load_after} "
             f"({'quiet' if float(load_before.split()[0]) <= 0.5 else 'noisy'} machine at the start; "
             f"1-minute load when each part began: {', '.join(l.split()[0] for l in LOADS)}, which includes "
             "the benchmark's own processes)."
             + (" **Quick settings: not the full benchmark.**" if args.quick else "") + "\n")
    L.append("| machine | |\n|---|---|")
    for k, v in info["machine"].items():
        L.append(f"| {k} | {v} |")
    for k, v in info["versions"].items():
        L.append(f"| {k} | {v} |")
    L.append("")
    L.append(f"Every figure is the median of {args.runs} runs ({args.noop_runs} for the no-op, a few milliseconds "
             "each, where one slow start moves a median of five); the tools alternate within each run and each run "
             "starts from a fresh copy of the database, written back to disk (`sync`) before the clock starts. **ratio** = the tool's time / the `sqlite3` limit's time "
             "in the same run (median of the per-run ratios). The limit is the `sqlite3` shell running the same "
             "statements, one `BEGIN … COMMIT` per revision with the `alembic_version` INSERT/UPDATE; "
             "*sqlite3 plain* is the same script without bookkeeping (for reference). Each small revision creates "
             "a table with three columns and an index and inserts 10 rows; *heavy* is two revisions: "
             f"{args.heavy_rows:,} rows from a recursive CTE plus an index, then a new column backfilled by an UPDATE.\n")
    titles = {"upgrade": ("Upgrade from empty to head", T_UPGRADE, "the limit"),
              "noop": ("No-op upgrade at head (limit: `sqlite3 DB 'select 1'`)", T_NOOP, "`select 1`"),
              "downgrade": ("Downgrade from head to base", T_DOWNGRADE, "the limit")}
    for command, (title, target, _) in titles.items():
        L.append(f"## {title}\n")
        L.append("| workload | sluice | ratio | target | | Alembic | ratio | sqlite3 limit | sqlite3 plain |")
        L.append("|---|---|---|---|---|---|---|---|---|")
        for name, res in cases:
            r = res[command]
            targeted = (command == "noop" and name in ("N=10", "N=1000")) or (command != "noop" and name == "N=1000")
            tgt = f"≤ {target}×" if targeted else "—"
            verdict = mark(r["sluice"]["ratio"] <= target) if targeted else ""
            plain = f"{ms(r['plain']['median_s'])} ({r['plain']['ratio']:.2f}×)" if "plain" in r else "—"
            L.append(f"| {name} | {ms(r['sluice']['median_s'])} | {r['sluice']['ratio']:.2f}× | {tgt} | {verdict} | "
                     f"{ms(r['alembic']['median_s'])} | {r['alembic']['ratio']:.2f}× | {ms(r['sqlite3']['median_s'])} | {plain} |")
        note = {"upgrade": "Issue: Alembic about 5×.", "noop": "Issue: Alembic 60–115×.", "downgrade": ""}[command]
        L.append(("\n" + note + "\n") if note else "")
    L.append("## Rehearsal cost\n")
    L.append("`upgrade` and `downgrade` validate before they apply, as the daemon does: the plan is rehearsed "
             "on a private scratch copy of the database (each upgrade, its downgrade with the schema compared, "
             "the upgrade again; each downgrade, then the upgrade again). *sluice* above is that default; "
             "*--skip-rehearsal* is the apply alone (the destructive check then runs inside the transaction). "
             "**cost** = sluice / --skip-rehearsal in the same run. The upgrades start from an empty database, "
             "so the copy holds no rows; a database with rows is copied whole up to `rehearsal_max_bytes` "
             "(its schema alone above it), which adds one read of the file.\n")
    L.append("| workload | command | sluice (validated) | --skip-rehearsal | ratio to limit | target | | cost |")
    L.append("|---|---|---|---|---|---|---|---|")
    for name, res in cases:
        for command, target in (("upgrade", T_UPGRADE), ("downgrade", T_DOWNGRADE)):
            r = res[command]
            if "unrehearsed" not in r:
                continue
            targeted = name == "N=1000"
            tgt = f"≤ {target}×" if targeted else "—"
            verdict = mark(r["unrehearsed"]["ratio"] <= target) if targeted else ""
            cost = statistics.median(a / b for a, b in zip(r["sluice"]["times_s"], r["unrehearsed"]["times_s"]))
            L.append(f"| {name} | {command} | {ms(r['sluice']['median_s'])} ({r['sluice']['ratio']:.2f}×) | "
                     f"{ms(r['unrehearsed']['median_s'])} | {r['unrehearsed']['ratio']:.2f}× | {tgt} | {verdict} | {cost:.2f}× |")
    L.append("")
    L.append("## Peak RSS (`/usr/bin/time -v`, Maximum resident set size)\n")
    L.append(f"Target: any sluice CLI command ≤ {T_RSS_MIB:.0f} MiB (issue: Alembic 52–66 MiB).\n")
    L.append("| workload | command | sluice | | Alembic | sqlite3 |")
    L.append("|---|---|---|---|---|---|")
    worst = 0
    for name, res in cases:
        for command in ("upgrade", "noop", "downgrade"):
            r = res[command]
            s = r["sluice"]["rss_kib"] / 1024
            worst = max(worst, s)
            L.append(f"| {name} | {command} | {s:.1f} MiB | {mark(s <= T_RSS_MIB)} | "
                     f"{r['alembic']['rss_kib'] / 1024:.1f} MiB | {r['sqlite3']['rss_kib'] / 1024:.1f} MiB |")
    L.append(f"\nLargest sluice CLI peak: {worst:.1f} MiB ({mark(worst <= T_RSS_MIB)}).\n")

    lat, idles, start = daemon["latency"], daemon["idle"], daemon["startup"]
    L.append("## Daemon: file close → queued (`bench/daemon.py`)\n")
    L.append(f"{lat['drops']} revisions dropped one at a time, windows closed, settle {lat['settle']}; "
             "the state file is polled every millisecond.\n")
    L.append("| measurement | value | target | |\n|---|---|---|---|")
    L.append(f"| median, settle subtracted | {lat['median_net']:.1f} ms | ≤ {T_LATENCY_MS:.0f} ms | {mark(lat['median_net'] <= T_LATENCY_MS)} |")
    L.append(f"| p99, settle subtracted | {lat['p99_net']:.1f} ms | — | |")
    L.append(f"| median / p99 as measured | {lat['median']:.1f} / {lat['p99']:.1f} ms | — | |")
    L.append(f"| {lat['queued']} more dropped at once: all {lat['total']} queued after | {lat['batch_s']:.2f} s | — | |")
    L.append(f"| daemon RSS with {lat['total']} queued (VmRSS / VmHWM) | {lat['rss_mib']:.1f} / {lat['hwm_mib']:.1f} MiB | — | |")
    L.append(f"| close → applied (always-open window, a backup before each), median / p99, settle subtracted | "
             f"{lat['applied_median_net']:.1f} / {lat['applied_p99_net']:.1f} ms | — | |")
    L.append(f"| close → applied, median / p99 as measured | {lat['applied_median']:.1f} / {lat['applied_p99']:.1f} ms | — | |")
    L.append("")
    L.append("## Daemon: idle\n")
    L.append("An idle daemon (windows closed by a blackout over 2000–2100, revisions queued) after start-up work "
             "has finished: CPU time is the sum over its threads of `/proc/PID/task/*/schedstat` (nanoseconds on the "
             "CPU; the clock-tick count of `/proc/PID/stat` is shown too), wake-ups are the voluntary + "
             "involuntary context switches summed over `/proc/PID/task/*/status`. With the watchdog, "
             "`WATCHDOG_USEC` = 10 s and `NOTIFY_SOCKET` points at a socket the benchmark reads (pings every 5 s). "
             "Target (issue): no wake-ups besides the watchdog.\n")
    L.append("| run | seconds | CPU time | CPU ticks | wake-ups | wake-ups/s | watchdog pings | threads that woke (name tid: vol+invol) | |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    for r in idles:
        threads = ", ".join(f"{n} {t}: {v}+{i}" for n, t, v, i in r["per_thread"]) or "none"
        ok = r["switches"] <= 2 * r["watchdog_pings"] and (r["watchdog_pings"] > 0 or r["cpu_us"] == 0)
        L.append(f"| {'with watchdog' if r['watchdog'] else 'no watchdog'} | {r['seconds']} | {r['cpu_us']:.0f} µs | {r['ticks']} "
                 f"(1 tick = {1000 // r['clk_tck']} ms) | {r['switches']} | {r['switches'] / r['seconds']:.2f} | "
                 f"{r['watchdog_pings']} | {threads} | {mark(ok)} |")
    L.append("\n*met* means at most two context switches per watchdog ping (the ping's wake-up and its sleep), "
             "and without a watchdog no CPU time at all; anything else, such as libdispatch's 1 Hz worker-pool "
             "monitor (which sluice no longer starts), counts as a wake-up besides the watchdog. A tick is "
             "charged to whichever process the 10 ms timer interrupt finds running, so a few pings can show one.\n")
    L.append("## Daemon: start-up\n")
    L.append(f"{start['revisions']:,} revisions on disk (each inserts a row into one table), windows closed; "
             "time from process start. Starts of the same project: the first rehearses every revision; "
             f"{start['restarts']} restarts find the validation memo (`app.db.sluice-memo`: same build, schema, version rows, "
             "settings and files) and rehearse none (the median is shown); the last restart finds the memo with one byte "
             "flipped, ignores it (its digest fails) and rehearses everything again. The state file is written before "
             "`READY=1`, so at `READY=1` it lists every revision as queued (checked). The harness sleeps while the daemon "
             "starts. Target (issue): a restart with nothing changed reaches `READY=1` in ≤ 0.5 s.\n")
    L.append("| measurement | first start | restart (memo, median) | restart (corrupt memo) |\n|---|---|---|---|")
    runs = start["runs"]
    order = ("first", "memo", "corrupt")
    def row(label, f):
        L.append(f"| {label} | " + " | ".join(f(runs[n]) for n in order) + " |")
    row("state file written", lambda r: ms(r["state_written_s"]))
    row("`READY=1` received", lambda r: ms(r["ready_s"]))
    row("queued in the state file at `READY=1`", lambda r: f"{r['queued_at_ready']:,}")
    row("peak RSS (VmHWM)", lambda r: f"{r['vmhwm_kib'] / 1024:.1f} MiB")
    row("memo file afterwards", lambda r: f"{r['memo_bytes'] / 1024:.0f} KiB")
    ready = runs["memo"]["ready_s"]
    every = ", ".join(ms(t) for t in runs["memo"]["ready_all_s"])
    L.append(f"\nRestart to `READY=1` with the memo: median {ms(ready)} = {ready / 0.5:.2f}× the 0.5 s target "
             f"({mark(ready <= 0.5)}); every restart: {every}.\n")
    rx = daemon.get("reaction")
    if rx:
        L.append("## Daemon: reaction to deliveries and to changes by others (`bench/reaction.py`)\n")
        L.append(f"{rx['runs']} runs each; the state file is read every millisecond (the daemon itself never polls).\n")
        L.append("| measurement | median | max |\n|---|---|---|")
        L.append(f"| `current` symlink flipped to a release with one more revision → that revision queued (settle {rx['settle_ms']} ms) | "
                 f"{rx['swap_to_queued_median_ms']:.1f} ms ({rx['swap_to_queued_median_net_ms']:.1f} ms without the settle) | {rx['swap_to_queued_max_ms']:.1f} ms |")
        L.append(f"| `sluice downgrade -1` exits → the daemon's state file shows the new revision (100 ms throttle on database events) | "
                 f"{rx['external_downgrade_to_state_median_ms']:.1f} ms | {rx['external_downgrade_to_state_max_ms']:.1f} ms |")
        L.append("")
    ld = daemon["load"]
    L.append("## Load: 10,000 revisions (reliability issue)\n")
    L.append(f"{ld['revisions']:,} revisions in one directory: a main line with 10 side branches of 99 revisions, each "
             "joined back by a merge revision; every revision inserts a row. Each step is checked, not only timed: "
             "`heads` names the one head, `history` lists every revision, `check` exits 0 (it rehearses all of them), "
             "the daemon queues all of them in graph order, then every dropped file is queued.\n")
    L.append("| step | time | peak RSS |\n|---|---|---|")
    for key, label in (("heads", "`sluice heads`"), ("history", "`sluice history`"), ("check", "`sluice check`")):
        L.append(f"| {label} | {ms(ld[key][0])} | {ld[key][1] / 1024:.1f} MiB |")
    L.append(f"| daemon start-up: `READY=1` | {ms(ld['startup_ready_s'])} | |")
    L.append(f"| daemon start-up: all {ld['revisions']:,} queued | {ms(ld['startup_queued_s'])} | {ld['startup_hwm_kib'] / 1024:.1f} MiB |")
    L.append(f"| {ld['dropped']:,} new files dropped onto the running daemon: all queued after | {ms(ld['drop_s'])} | "
             f"{ld['drop_hwm_kib'] / 1024:.1f} MiB (VmRSS then {ld['drop_rss_kib'] / 1024:.1f} MiB) |")
    L.append("")
    backups = os.path.join(BENCH, "BACKUPS.md")
    if os.path.exists(backups):
        # Written from `bench/backup.py` runs (it needs root for the XFS image and ten
        # minutes), kept with the results.
        with open(backups) as f:
            L.append("## " + f.read().split("# ", 1)[1].strip() + "\n")
    fleet = os.path.join(BENCH, "FLEET.md")
    if os.path.exists(fleet):
        # Written by `bench/fleet.py` (1,000 and 10,000 member files; a few minutes).
        with open(fleet) as f:
            L.append(f.read().strip() + "\n")
    profiles = os.path.join(BENCH, "PROFILES.md")
    if os.path.exists(profiles):
        L.append("## Where the time goes (missed targets)\n")
        L.append("From [`bench/PROFILES.md`](PROFILES.md), measured by hand with `perf record -g` on the same build; "
                 "kept with the results so each miss comes with its profile and what would close it.\n")
        with open(profiles) as f:
            L.append(f.read().split("\n", 1)[1].strip() + "\n")
    L.append("## Raw times (seconds)\n")
    L.append("```")
    for name, res in cases:
        for command, r in res.items():
            for tool, v in r.items():
                L.append(f"{name:7} {command:9} {tool:8} " + " ".join(f"{t:.4f}" for t in v["times_s"]))
    L.append("```")
    return "\n".join(L) + "\n"


# ---------------------------------------------------------------- main

def ensure_alembic():
    if os.path.exists(ALEMBIC):
        return
    log("installing Alembic into bench/.venv ...")
    run([sys.executable, "-m", "venv", VENV])
    run([os.path.join(VENV, "bin", "pip"), "install", "--quiet", "alembic"])


def ensure_time():
    if os.path.exists("/usr/bin/time"):
        return
    log("installing GNU time ...")
    run(["apt-get", "install", "-y", "time"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build-release/release/sluice"))
    parser.add_argument("--runs", type=int, default=None, help="timed runs per tool and command (default 5, quick 2)")
    parser.add_argument("--noop-runs", type=int, default=None, help="timed runs of the no-op upgrade (default 30, quick 5)")
    parser.add_argument("--sizes", default=None, help="revision counts (default 10,100,1000; quick 10,100)")
    parser.add_argument("--heavy-rows", type=int, default=None, help="rows in the heavy pair (default 1000000; quick 20000)")
    parser.add_argument("--quick", action="store_true", help="small settings, for checking the script")
    parser.add_argument("--output", default=os.path.join(BENCH, "RESULTS.md"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    args.argv = sys.argv[1:]
    q = args.quick
    args.runs = args.runs or (2 if q else 5)
    args.noop_runs = args.noop_runs or (5 if q else 30)
    args.sizes = [int(s) for s in (args.sizes or ("10,100" if q else "10,100,1000")).split(",")]
    args.heavy_rows = args.heavy_rows or (20_000 if q else 1_000_000)
    drops, queued, idle_s, idle_revs, start_revs, load_drop = (20, 100, 5, 10, 1500, 100) if q else (200, 1000, 30, 10, 10_000, 1000)
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary} not found: cd {ROOT} && swift build -c release --static-swift-stdlib --disable-local-rpath --scratch-path .build-release --product sluice")
    ensure_alembic()
    ensure_time()

    began = time.monotonic()
    load_before = " ".join(open("/proc/loadavg").read().split()[:3])
    info = {"machine": machine(), "versions": versions(binary),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    work = tempfile.mkdtemp(prefix="sluice-run-")
    try:
        cases = []
        workloads = [(f"N={n}", small_history(n), None) for n in args.sizes]
        workloads.append(("heavy", heavy_history(args.heavy_rows), args.heavy_rows))
        for name, revs, rows in workloads:
            LOADS.append(loadavg())
            log(f"{name}: generating and warming up ... (load {LOADS[-1]})")
            case = Case(name.replace("=", ""), revs, work, binary, rows)
            case.prepare()
            cases.append((name, case.measure(args.runs, args.noop_runs)))
        log("daemon: close -> queued (bench/daemon.py) ...")
        daemon = {"latency": latency(binary, drops, queued)}
        LOADS.append(loadavg())
        log(f"daemon: idle {idle_s} s, without and with the watchdog ...")
        daemon["idle"] = [idle(binary, work, idle_s, idle_revs, False), idle(binary, work, idle_s, idle_revs, True)]
        log(f"daemon: start-up with {start_revs} revisions ...")
        daemon["startup"] = startup(binary, work, start_revs)
        log(f"load: {start_revs} revisions with branches, then {load_drop} dropped ...")
        daemon["load"] = load(binary, work, start_revs, load_drop)
        log("daemon: reaction to a symlink swap and to a CLI downgrade (bench/reaction.py) ...")
        reaction = subprocess.run([sys.executable, os.path.join(BENCH, "reaction.py"), "--binary", binary, "--runs", "5" if q else "10"],
                                  check=True, capture_output=True, text=True)
        daemon["reaction"] = json.loads(reaction.stdout)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    load_after = " ".join(open("/proc/loadavg").read().split()[:3])
    text = report(args, info, cases, daemon, load_before, load_after, time.monotonic() - began)
    with open(args.output, "w") as f:
        f.write(text)
    print(text)
    log(f"wrote {args.output}")


if __name__ == "__main__":
    sys.exit(main())
