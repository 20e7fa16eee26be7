#!/usr/bin/env python3
"""Random revision graphs and command sequences, run by the real Alembic.

Writes, for each case, the graph and, after every command, whether Alembic accepted it,
the rows of ``alembic_version`` and the rows of the application's table ``applied``,
which each revision's upgrade inserts into and its downgrade deletes from. The Swift test
``AlembicDifferentialTests`` replays the same graphs and commands with the ``sluice``
binary and compares. Run with the python of ``scripts/alembic-venv.sh``:

    python alembic_differential.py --seed 1 --count 300 --work DIR --out cases.json

A case is generated from ``random.Random(f"{seed}:{index}")`` alone, so one failing case
is reproduced with ``--first INDEX --count 1``.
"""

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import sys
import warnings

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event

ENV_PY = '''
from alembic import context
from sqlalchemy import create_engine, event

config = context.config
engine = create_engine(config.get_main_option("sqlalchemy.url"))


@event.listens_for(engine, "connect")
def _connect(dbapi_connection, record):
    # pysqlite's own transaction handling would commit DDL at once; let SQLAlchemy emit
    # BEGIN so that a failed step rolls back whole, as SQLAlchemy's documentation shows.
    dbapi_connection.isolation_level = None


@event.listens_for(engine, "begin")
def _begin(connection):
    connection.exec_driver_sql("BEGIN")


with engine.connect() as connection:
    context.configure(connection=connection, transaction_per_migration=True, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
'''

AMBIGUOUS_RELATIVE = re.compile(r"-\d+$")

APPLIED_TABLE = "CREATE TABLE applied (revision TEXT PRIMARY KEY)"

SCRIPT_TEMPLATE = '''"""${message}"""
'''

PY_REVISION = '''"""{message}

Revision ID: {id}
Revises: {revises}
"""
from alembic import op

revision = {id!r}
down_revision = {down!r}
branch_labels = {labels!r}
depends_on = {depends!r}


def upgrade():
    op.execute("INSERT INTO applied (revision) VALUES ('{id}')")


def downgrade():
    op.execute("DELETE FROM applied WHERE revision = '{id}'")
'''


def generate_graph(rng):
    """A random graph: bases, branches, merges, labels and dependencies, valid for Alembic."""
    count = rng.randint(1, 7)
    revisions = []
    ancestors = {}
    used_ids = set()
    label_number = 0
    for index in range(count):
        while True:
            # Short shared prefixes now and then, so that prefixes can be ambiguous.
            rid = rng.choice(["a1", "b2", "c3"]) + "".join(rng.choice("0123456789abcdef") for _ in range(6))
            if rid not in used_ids:
                break
        used_ids.add(rid)
        ids = [r["id"] for r in revisions]
        parents = []
        if ids and rng.random() > 0.12:
            heads = [r for r in ids if not any(r in other["parents"] for other in revisions)]
            if len(heads) >= 2 and rng.random() < 0.35:
                parents = rng.sample(heads, 2)
            elif rng.random() < 0.7:
                parents = [rng.choice(heads)]
            else:
                parents = [rng.choice(ids)]
        mine = set(parents)
        for p in parents:
            mine |= ancestors[p]
        depends = []
        candidates = [r for r in ids if r not in parents]
        if candidates and rng.random() < 0.25:
            depends = [rng.choice(candidates)]
        labels = []
        if rng.random() < 0.2:
            labels = [f"lab{label_number}"]
            label_number += 1
        ancestors[rid] = mine | set(depends)
        revisions.append({"id": rid, "parents": parents, "depends_on": depends, "labels": labels, "message": f"revision {index}"})
    return revisions


def target_choices(rng, revisions):
    ids = [r["id"] for r in revisions]
    labels = [l for r in revisions for l in r["labels"]]
    choices = ["heads", "head", "base", "+1", "+2", "-1", "-2", "head-1"]
    for rid in ids:
        choices += [rid, rid, rid[:4], rid[:5], f"{rid}+1", f"{rid}-1"]
    for label in labels:
        choices += [label, f"{label}@head", f"{label}@+1", f"{label}@-1", f"{label}@base"]
    return choices


def generate_commands(rng, revisions):
    choices = target_choices(rng, revisions)
    commands = []
    for _ in range(rng.randint(3, 8)):
        kind = rng.choices(["upgrade", "downgrade", "stamp"], weights=[5, 4, 3])[0]
        if kind == "stamp":
            targets = [rng.choice(choices)]
            if rng.random() < 0.25:
                targets.append(rng.choice(choices))
            argv = ["stamp"] + targets
            if rng.random() < 0.2:
                argv.append("--purge")
        else:
            argv = [kind, rng.choice(choices)]
        commands.append(argv)
    return commands


def write_project(directory, revisions):
    versions = os.path.join(directory, "versions")
    os.makedirs(versions)
    with open(os.path.join(directory, "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(directory, "script.py.mako"), "w") as f:
        f.write(SCRIPT_TEMPLATE)
    for r in revisions:
        down = None if not r["parents"] else (r["parents"][0] if len(r["parents"]) == 1 else tuple(r["parents"]))
        labels = tuple(r["labels"]) if r["labels"] else None
        depends = tuple(r["depends_on"]) if r["depends_on"] else None
        text = PY_REVISION.format(message=r["message"], id=r["id"], revises=", ".join(r["parents"]) or "None",
                                  down=down, labels=labels, depends=depends)
        with open(os.path.join(versions, f"{r['id']}_rev.py"), "w") as f:
            f.write(text)


def state(database):
    if not os.path.exists(database):
        return [], []
    connection = sqlite3.connect(database)
    try:
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = []
        if "alembic_version" in names:
            rows = sorted(row[0] for row in connection.execute("SELECT version_num FROM alembic_version"))
        applied = sorted(row[0] for row in connection.execute("SELECT revision FROM applied"))
        return rows, applied
    finally:
        connection.close()


def run_command(config, argv):
    kind, rest = argv[0], argv[1:]
    purge = "--purge" in rest
    targets = [t for t in rest if t != "--purge"]
    if kind == "upgrade":
        command.upgrade(config, targets[0])
    elif kind == "downgrade":
        command.downgrade(config, targets[0])
    else:
        command.stamp(config, targets if len(targets) > 1 else targets[0], purge=purge)


def run_case(seed, index, work):
    rng = random.Random(f"{seed}:{index}")
    revisions = generate_graph(rng)
    commands = generate_commands(rng, revisions)
    directory = os.path.join(work, f"case{index}")
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    write_project(directory, revisions)
    database = os.path.join(directory, "app.db")
    # The application's table: each revision's upgrade inserts its id, its downgrade
    # deletes it, so the rows show what really ran (a stamp runs nothing) and a revision
    # run twice fails on the primary key, in both tools.
    with sqlite3.connect(database) as connection:
        connection.execute(APPLIED_TABLE)
    connection.close()
    config = Config()
    config.set_main_option("script_location", directory)
    config.set_main_option("sqlalchemy.url", f"sqlite:///{database}")
    config.print_stdout = lambda *a, **k: None
    steps = []
    saved = database + ".before"
    for argv in commands:
        error = None
        before = state(database)
        if os.path.exists(database):
            shutil.copyfile(database, saved)
        departure = None
        if argv[0] == "downgrade" and AMBIGUOUS_RELATIVE.match(argv[1]) and len(before[0]) > 1:
            # sluice's one documented departure (docs/alembic.md): Alembic
            # warns that `downgrade -N` from several rows is ambiguous and will be
            # disallowed, then walks from whichever row the table returns first; sluice
            # refuses it. Expected: refused, nothing changed.
            departure = "downgrade -N from several rows"
            error = "sluice refuses: " + departure
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    run_command(config, argv)
                except Exception as exc:  # Alembic refuses with many exception types
                    error = f"{type(exc).__name__}: {exc}"
        partial = False
        if error is not None and state(database) != before:
            # Alembic failed part way, its earlier steps committed. sluice plans and
            # rehearses the whole command first and refuses it whole, so the comparison
            # continues from the state before the command.
            partial = True
            if os.path.exists(saved):
                shutil.copyfile(saved, database)
            else:
                os.remove(database)
        rows, applied = state(database)
        steps.append({"argv": argv, "ok": error is None, "error": error, "partial": partial, "departure": departure,
                      "rows": rows, "applied": applied})
    shutil.rmtree(directory, ignore_errors=True)
    return {"index": index, "revisions": revisions, "steps": steps}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    import logging
    logging.disable(logging.CRITICAL)
    cases = [run_case(args.seed, i, args.work) for i in range(args.first, args.first + args.count)]
    with open(args.out, "w") as f:
        json.dump({"seed": args.seed, "cases": cases}, f, indent=1)


if __name__ == "__main__":
    main()
