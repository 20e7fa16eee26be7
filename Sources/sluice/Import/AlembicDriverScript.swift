/// The Python program `sluice import alembic` runs with the project's own interpreter,
/// so that the project's `env.py`, models and Alembic version do the rendering: sluice
/// reads Alembic's results, it does not imitate Alembic.
///
/// It is kept here as text and written to a scratch file for each run; it uses only
/// Alembic's and SQLAlchemy's public objects plus three attributes every Alembic since
/// 1.0 has (`Revision._normalized_down_revisions`, `_resolved_dependencies`, a
/// `MigrationContext`'s `impl` and `connection`). Its output is one JSON document,
/// decoded by `AlembicRendering`; stdout and stderr stay the project's (its logging).
enum AlembicDriverScript {
    /// The program's text.
    static let source = #"""
"""sluice's driver for `sluice import alembic`, run with the project's own Python.

Usage:
  driver.py render  OUT.json ALEMBIC_INI SECTION
  driver.py upgrade OUT.json ALEMBIC_INI SECTION DATABASE

`render` loads the project's Config and ScriptDirectory and, for every revision,
runs its upgrade() and its downgrade() through the project's own env.py in
Alembic's offline (as_sql) mode on the SQLite dialect, one revision at a time,
keeping only the SQL that the revision's own function emitted (not the version
table bookkeeping, not BEGIN/COMMIT). A revision Alembic cannot render is
reported with the exception it raised.

`upgrade` runs `alembic upgrade heads` online on DATABASE (a scratch SQLite file
that sluice made), refusing to run when env.py connects anywhere else.

The result is written to OUT.json; stdout and stderr are the project's (logging).
"""
import functools
import json
import os
import sys
import traceback


class Fatal(Exception):
    """The project itself could not be used: nothing per revision to report."""

    def __init__(self, stage, message):
        Exception.__init__(self, message)
        self.stage = stage
        self.message = message


def describe(error, project_files, base):
    """An exception as sluice reports it: its type, its message, and the innermost
    place in the project's own files where it was raised (a revision or env.py
    first, else any file of the project, such as its models)."""
    frames = [(os.path.abspath(f.filename), f) for f in traceback.extract_tb(error.__traceback__)]
    chosen = next((f for path, f in reversed(frames) if path in project_files), None)
    if chosen is None:
        chosen = next((f for path, f in reversed(frames) if path.startswith(base + os.sep)), None)
    where = None
    if chosen is not None:
        where = "%s:%s, in %s" % (os.path.relpath(os.path.abspath(chosen.filename), base), chosen.lineno, chosen.name)
    return {"type": type(error).__name__, "message": str(error).strip(), "where": where}


def caller_in(path, base):
    """The innermost frame of the current stack in `path`, as file:line."""
    for frame in reversed(traceback.extract_stack()):
        if os.path.abspath(frame.filename) == path:
            return "%s:%s" % (os.path.relpath(path, base), frame.lineno)
    return None


def is_read(construct):
    """Whether a statement given to the connection reads rows (which offline mode
    cannot give back)."""
    try:
        from sqlalchemy.sql.selectable import SelectBase
        if isinstance(construct, SelectBase):
            return True
    except ImportError:
        pass
    text = construct if isinstance(construct, str) else getattr(construct, "text", None)
    if isinstance(text, str):
        words = text.lstrip().split(None, 1)
        return bool(words) and words[0].upper() in ("SELECT", "VALUES")
    return False


def statement_text(construct):
    text = construct if isinstance(construct, str) else getattr(construct, "text", None)
    if text is None:
        try:
            text = str(construct)
        except Exception:
            text = type(construct).__name__
    return " ".join(text.split())


class Capture:
    """The SQL one revision function emits, and the reads it attempted."""

    def __init__(self, revision_path, base):
        self.revision_path = revision_path
        self.base = base
        self.active = False
        self.started = False
        self.finished = False
        self.statements = []
        self.reads = []
        self.version_table = None

    def install(self, context):
        """Hooks the MigrationContext's output and its offline connection."""
        self.version_table = getattr(context, "version_table", None)
        impl = context.impl

        def static_output(text):
            # Only what the revision's own function emits; the version table
            # bookkeeping, "-- Running ..." and BEGIN/COMMIT around it are dropped.
            if self.active:
                self.statements.append(text)

        impl.static_output = static_output
        connection = context.connection
        original_execute = getattr(connection, "execute", None)
        if original_execute is not None:
            def execute(construct, *args, **kwargs):
                if self.active and is_read(construct):
                    self.reads.append({
                        "statement": statement_text(construct),
                        "where": caller_in(self.revision_path, self.base),
                    })
                return original_execute(construct, *args, **kwargs)

            try:
                connection.execute = execute
            except (AttributeError, TypeError):
                pass


def message_of(script):
    """The first paragraph of the docstring without Alembic's key lines."""
    lines = []
    for line in script.doc.splitlines():
        key = line.split(":", 1)[0].strip().lower()
        if ":" in line and key in ("revision id", "revises", "create date"):
            break
        lines.append(line.strip())
    return " ".join(" ".join(lines).split())


def create_date_of(script):
    for line in script.longdoc.splitlines():
        text = line.strip()
        if text.lower().startswith("create date:"):
            value = text.split(":", 1)[1].strip()
            return value or None
    return None


def to_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [item for item in value if item is not None]


def load(ini, section, url):
    try:
        import alembic
        import sqlalchemy
        from alembic.config import Config
        from alembic.script import ScriptDirectory
    except ImportError as error:
        raise Fatal("python", "this Python cannot import Alembic (%s: %s); pass --python with the interpreter of the project's virtual environment" % (type(error).__name__, error))
    config = Config(ini, ini_section=section)
    if not config.file_config.has_section(section):
        raise Fatal("config", "%s has no [%s] section; pass --name with the section that holds script_location" % (ini, section))
    config.set_section_option(section, "sqlalchemy.url", url.replace("%", "%%"))
    try:
        script = ScriptDirectory.from_config(config)
        revisions = list(reversed(list(script.walk_revisions())))
    except Exception as error:
        raise Fatal("config", "Alembic cannot read the project: %s: %s" % (type(error).__name__, str(error).strip()))
    versions = {"alembic": alembic.__version__, "sqlalchemy": sqlalchemy.__version__,
                "python": "%d.%d.%d" % sys.version_info[:3]}
    return config, script, revisions, versions


def guarded(environment, check):
    """Wraps env.py's context.configure() so that `check` sees the MigrationContext
    before any migration runs."""
    original = environment.configure

    @functools.wraps(original)
    def configure(*args, **kwargs):
        original(*args, **kwargs)
        check(environment.get_context())

    environment.configure = configure


def render_one(config, script, revision, upgrade, project_files, base):
    from alembic.runtime.environment import EnvironmentContext
    from alembic.runtime.migration import MigrationStep

    capture = Capture(os.path.abspath(revision.path), base)
    if upgrade:
        step = MigrationStep.upgrade_from_script(script.revision_map, revision)
        starting = tuple(revision._normalized_down_revisions) or None
        destination = revision.revision
    else:
        step = MigrationStep.downgrade_from_script(script.revision_map, revision)
        starting = revision.revision
        destination = (tuple(revision._normalized_down_revisions) or ("base",))[0]
    original = step.migration_fn

    @functools.wraps(original)
    def migration_fn(*args, **kwargs):
        capture.started = True
        capture.active = True
        try:
            original(*args, **kwargs)
        finally:
            capture.active = False
        capture.finished = True

    step.migration_fn = migration_fn

    def steps(heads, context):
        capture.install(context)
        return [step]

    def sqlite_only(context):
        if context.dialect.name != "sqlite":
            raise Fatal("dialect", "env.py configured Alembic's %s dialect; sluice renders SQLite: point sqlalchemy.url in %s at a SQLite database (sluice sets it to sqlite:// while rendering, but env.py takes its URL elsewhere)" % (context.dialect.name, config.config_file_name))

    environment = EnvironmentContext(config, script, fn=steps, as_sql=True,
                                     starting_rev=starting, destination_rev=destination)
    guarded(environment, sqlite_only)
    error = None
    try:
        with environment:
            script.run_env()
    except Fatal:
        raise
    except BaseException as raised:
        if isinstance(raised, KeyboardInterrupt):
            raise
        # An error before the revision's own function ran is env.py's, the same for
        # every revision: the project cannot be rendered at all. An error after it
        # finished (the version table bookkeeping) is not the revision's: its SQL is
        # complete.
        if not capture.started:
            found = describe(raised, project_files, base)
            where = " (%s)" % found["where"] if found["where"] else ""
            raise Fatal("env", "env.py failed before any revision ran: %s: %s%s" % (found["type"], found["message"], where))
        if not capture.finished:
            error = describe(raised, project_files, base)
    if error is None and not capture.started:
        raise Fatal("env", "env.py did not run the migrations (context.run_migrations() was not reached in offline mode)")
    result = {"version_table": capture.version_table}
    if error is not None:
        result["error"] = error
    else:
        result["sql"] = capture.statements
    if capture.reads:
        result["reads"] = capture.reads
    return result


def render(ini, section):
    config, script, revisions, versions = load(ini, section, "sqlite://")
    project_files = {os.path.abspath(r.path) for r in revisions}
    project_files.add(os.path.abspath(script.env_py_location))
    base = os.path.dirname(os.path.abspath(ini))
    output = []
    version_table = None
    for revision in revisions:
        up = render_one(config, script, revision, True, project_files, base)
        down = render_one(config, script, revision, False, project_files, base)
        version_table = version_table or up.get("version_table") or down.get("version_table")
        dependencies = getattr(revision, "_resolved_dependencies", None)
        if dependencies is None:
            dependencies = to_list(revision.dependencies)
        output.append({
            "id": revision.revision,
            "parents": to_list(revision.down_revision),
            "dependencies": list(dependencies),
            # The labels the revision declares; Alembic also shows them on its
            # descendants, which sluice's graph does by itself.
            "branch_labels": to_list(getattr(revision.module, "branch_labels", None)),
            "message": message_of(revision),
            "create_date": create_date_of(revision),
            "path": os.path.relpath(os.path.abspath(revision.path), base),
            "upgrade": up,
            "downgrade": down,
        })
    result = dict(versions)
    result["version_table"] = version_table
    result["revisions"] = output
    return result


def upgrade(ini, section, database):
    target = os.path.realpath(database)
    config, script, revisions, versions = load(ini, section, "sqlite:///" + target)
    from alembic import command
    from alembic.runtime import environment as environment_module

    original_configure = environment_module.EnvironmentContext.configure

    def configure(self, *args, **kwargs):
        original_configure(self, *args, **kwargs)
        context = self.get_context()
        url = getattr(getattr(context.connection, "engine", None), "url", None)
        where = getattr(url, "database", None)
        if context.dialect.name != "sqlite" or not where or os.path.realpath(where) != target:
            raise Fatal("guard", "env.py connected to %s, not the scratch database sluice gave it (%s); --verify runs Alembic only on its own scratch file, so it stopped before any migration ran" % (url, target))

    def refuse(where):
        raise Fatal("guard", "env.py connects to %s, not the scratch database sluice gave it (%s); --verify runs Alembic only on its own scratch file, so it stopped before connecting" % (where, target))

    # Before any connection is opened (SQLite would create the file): only the scratch
    # database may be connected to.
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def do_connect(dialect, record, cargs, cparams):
        database = cparams.get("database") or (cargs[0] if cargs else None)
        if dialect.name != "sqlite" or not isinstance(database, str) or os.path.realpath(database) != target:
            refuse("%s database %s" % (dialect.name, database))

    event.listen(Engine, "do_connect", do_connect)
    environment_module.EnvironmentContext.configure = configure
    try:
        command.upgrade(config, "heads")
    except Fatal:
        raise
    except Exception as error:
        project_files = {os.path.abspath(r.path) for r in revisions}
        project_files.add(os.path.abspath(script.env_py_location))
        result = dict(versions)
        result["error"] = describe(error, project_files, os.path.dirname(os.path.abspath(ini)))
        return result
    finally:
        environment_module.EnvironmentContext.configure = original_configure
    return dict(versions)


def main():
    mode, out, ini, section = sys.argv[1:5]
    ini = os.path.abspath(ini)
    os.chdir(os.path.dirname(ini))
    try:
        if mode == "render":
            result = render(ini, section)
        elif mode == "upgrade":
            result = upgrade(ini, section, sys.argv[5])
        else:
            raise Fatal("usage", "unknown mode %s" % mode)
    except Fatal as fatal:
        result = {"fatal": {"stage": fatal.stage, "message": fatal.message}}
    except Exception as error:
        result = {"fatal": {"stage": "driver", "message": "%s: %s\n%s" % (type(error).__name__, error, traceback.format_exc())}}
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1)


if __name__ == "__main__":
    main()
"""#
}
