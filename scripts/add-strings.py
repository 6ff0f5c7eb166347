#!/usr/bin/env python3
"""Adds or replaces catalog entries, keeping each file's sorted one-line-per-key layout.

usage: scripts/add-strings.py FILE.json < entries.json   (a JSON object: key -> string or {"one","other"})
Only the lines of the given keys change, so people editing other keys at the same time are not overwritten."""
import json, sys

path = sys.argv[1]
entries = json.load(sys.stdin)
lines = open(path, encoding="utf-8").read().rstrip("\n").split("\n")
assert lines[0] == "{" and lines[-1] == "}"
body = [l.rstrip(",") for l in lines[1:-1]]
def key_of(line):
    return json.loads("{" + line + "}").popitem()[0]
current = {key_of(l): l for l in body}
for key, value in entries.items():
    current[key] = "  " + json.dumps(key, ensure_ascii=False) + ": " + json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
ordered = [current[k] for k in sorted(current)]
open(path, "w", encoding="utf-8").write("{\n" + ",\n".join(ordered) + "\n}\n")
