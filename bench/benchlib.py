"""What the benchmark scripts share: writing a revision file, reading the daemon's state
file, and waiting for a condition without a fixed sleep."""
import json
import time


def revision(rid, parent, upgrade, downgrade):
    """The text of a sluice revision file."""
    return (f"-- bench {rid}\n--\n-- Revision ID: {rid}\n-- Revises: {parent or 'None'}\n\n"
            f"-- +upgrade\n{upgrade}\n\n-- +downgrade\n{downgrade}\n")


def state(path):
    """The daemon's state file as JSON, or None while it is missing or being replaced."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def wait_until(predicate, timeout=600.0, step=0.001):
    """Whether `predicate` became true within `timeout` seconds, checking every `step`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False
