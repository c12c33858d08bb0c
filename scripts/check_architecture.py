#!/usr/bin/env python3
"""Checks the shape of the code that reviews keep asking about:

* no import circles between the modules of any crate (`use crate::…`, `use super::…`,
  `crate::a::b::f(…)` paths in code all count as an arrow from the using module to the
  module used);
* no non-test Rust file over 500 lines;
* the web crate holds at most a third of the workspace's non-test lines;
* `date_naive()` (a date without its time zone) is called only by the Tehran clock
  (`crates/calendar/src/clock.rs`): Iran's date comes from the one clock.

Run from the repository root: `python3 scripts/check_architecture.py`. Exit 1 on a finding.
"""

import os
import re
import sys

MAX_LINES = 500
CLOCK = os.path.join("crates", "calendar", "src", "clock.rs")
WEB_SHARE = 1 / 3

def crate_dirs():
    for name in sorted(os.listdir("crates")):
        src = os.path.join("crates", name, "src")
        if os.path.isdir(src):
            yield name, src

def module_of(src, path):
    rel = os.path.relpath(path, src)[:-3]  # drop .rs
    parts = rel.split(os.sep)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)

def strip_tests(text):
    """Drops `#[cfg(test)] mod tests { … }` blocks and comments."""
    out = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == "#[cfg(test)]" and i + 1 < len(lines) and re.match(r"\s*mod \w+ \{", lines[i + 1]):
            depth = 0
            i += 1
            while i < len(lines):
                depth += lines[i].count("{") - lines[i].count("}")
                i += 1
                if depth <= 0:
                    break
            continue
        out.append(line)
        i += 1
    return "\n".join(out)

def code_lines(text):
    return [l for l in text.split("\n") if not l.strip().startswith("//")]

PATH = re.compile(r"\b(crate|super|self)((?:::\w+)+)")
USE_GROUP = re.compile(r"use\s+(crate|super|self)((?:::\w+)*)::\{([^;]*)\};", re.S)

def resolve(base, current, segments, modules):
    """The longest module prefix a path names, or None."""
    if base == "crate":
        start = ()
    elif base == "super":
        start = current[:-1]
        while segments and segments[0] == "super":
            start = start[:-1]
            segments = segments[1:]
    else:
        start = current
    best = None
    path = start
    for seg in segments:
        path = path + (seg,)
        if path in modules:
            best = path
        else:
            break
    return best

def find_cycles(graph):
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    sys.setrecursionlimit(10000)
    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))
    for v in graph:
        if v not in index:
            strong(v)
    return out

def main():
    problems = []
    totals = {}
    for name, src in crate_dirs():
        files = []
        for root, _, names in os.walk(src):
            for n in names:
                if n.endswith(".rs"):
                    files.append(os.path.join(root, n))
        modules = {module_of(src, f): f for f in files}
        graph = {m: set() for m in modules}
        total = 0
        for m, f in modules.items():
            text = strip_tests(open(f, encoding="utf-8").read())
            if os.path.basename(f) == "tests.rs":
                # a unit-test module in its own file (`#[cfg(test)] mod tests;`)
                text = ""
            lines = code_lines(text)
            n = len(text.rstrip("\n").split("\n"))
            total += n
            if n > MAX_LINES:
                problems.append(f"{f}: {n} lines (at most {MAX_LINES} outside tests)")
            body = "\n".join(lines)
            targets = []
            for g in USE_GROUP.finditer(body):
                base = g.group(1)
                prefix = [s for s in g.group(2).split("::") if s]
                for item in re.split(r",", g.group(3)):
                    item = item.strip().split(" as ")[0]
                    segs = prefix + [s for s in item.replace("{", "").replace("}", "").split("::") if s and s != "self"]
                    targets.append((base, segs))
            for p in PATH.finditer(body):
                targets.append((p.group(1), [s for s in p.group(2).split("::") if s]))
            for base, segs in targets:
                t = resolve(base, m, segs, modules)
                # a module using its own descendants, or its ancestors' declarations, is no arrow
                if t is None or t == m or t == m[: len(t)] or m == t[: len(m)]:
                    continue
                graph[m].add(t)
        totals[name] = total
        for cycle in find_cycles(graph):
            names = ", ".join("::".join(c) or "(root)" for c in cycle)
            problems.append(f"crates/{name}: import circle between {names}")
    all_lines = sum(totals.values())
    web = totals.get("web", 0)
    share = web / all_lines if all_lines else 0
    print(f"non-test lines: {all_lines}; web {web} ({share:.1%}); " +
          ", ".join(f"{k} {v}" for k, v in sorted(totals.items()) if k != "web"))
    if share > WEB_SHARE:
        problems.append(f"the web crate holds {share:.1%} of the non-test lines (at most a third)")
    for crate, src in crate_dirs():
        for root, _, files in os.walk(src):
            for f in files:
                path = os.path.join(root, f)
                if not f.endswith(".rs") or path == CLOCK:
                    continue
                with open(path, encoding="utf-8") as fh:
                    for n, line in enumerate(fh, 1):
                        if "date_naive()" in line:
                            problems.append(f"{path}:{n}: date_naive() outside the clock ({CLOCK})")
    for p in problems:
        print(p)
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main())
