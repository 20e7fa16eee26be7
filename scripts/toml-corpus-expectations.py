#!/usr/bin/env python3
"""Writes what Python's tomllib makes of every .toml file under a directory, for
TOMLCorpusTests (Tests/TOMLTests), which compares sluice's own TOML parser with it.

Usage: scripts/toml-corpus-expectations.py DIR
  then: SLUICE_TOML_CORPUS=DIR swift test --filter TOMLCorpusTests

Beside each FILE.toml it writes FILE.toml.expected: "INVALID" when tomllib rejects the
file (or it is not UTF-8), "UNKNOWN" when tomllib exhausts Python's recursion limit
(deeply nested arrays), otherwise the document in the canonical one-line dump that
the Swift test also writes (keys sorted; floats as their IEEE bits; date-times to the
microsecond, as Python keeps them). scripts/toml-corpus.sh runs it on toml-test's corpus
for `swift test` and CI.
"""
import datetime
import math
import pathlib
import struct
import sys
import tomllib


def text(s):
    out = []
    for ch in s:
        code = ord(ch)
        if 0x20 <= code <= 0x7E and ch not in '"\\':
            out.append(ch)
        else:
            out.append("\\u{%X}" % code)
    return '"' + "".join(out) + '"'


def clock(t):
    return "%02d:%02d:%02d.%06d" % (t.hour, t.minute, t.second, t.microsecond)


def dump(value):
    if isinstance(value, bool):
        return "b:" + ("true" if value else "false")
    if isinstance(value, int):
        return "i:%d" % value
    if isinstance(value, float):
        if math.isnan(value):
            return "f:nan"
        return "f:%016x" % struct.unpack("<Q", struct.pack("<d", value))[0]
    if isinstance(value, str):
        return "s:" + text(value)
    if isinstance(value, datetime.datetime):
        day = "%04d-%02d-%02dT" % (value.year, value.month, value.day) + clock(value)
        if value.tzinfo is None:
            return "ldt:" + day
        minutes = int(value.utcoffset().total_seconds()) // 60
        return "odt:" + day + "%+d" % minutes
    if isinstance(value, datetime.date):
        return "ld:%04d-%02d-%02d" % (value.year, value.month, value.day)
    if isinstance(value, datetime.time):
        return "lt:" + clock(value)
    if isinstance(value, list):
        return "[" + ",".join(dump(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(text(k) + "=" + dump(value[k]) for k in sorted(value)) + "}"
    raise TypeError(type(value))


def main():
    root = pathlib.Path(sys.argv[1])
    valid = invalid = 0
    for path in sorted(root.rglob("*.toml")):
        try:
            result = dump(tomllib.loads(path.read_bytes().decode("utf-8")))
            valid += 1
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError):
            result = "INVALID"
            invalid += 1
        except RecursionError:
            result = "UNKNOWN"  # deeper than Python's recursion limit: tomllib cannot say
        path.with_name(path.name + ".expected").write_text(result + "\n", encoding="ascii")
    print(f"tomllib: {valid} accepted, {invalid} rejected")


if __name__ == "__main__":
    main()
