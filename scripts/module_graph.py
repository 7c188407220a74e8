#!/usr/bin/env python3
"""The crate's top-level modules and which use which (`crate::x` paths outside test modules),
as lines `a -> b c`, then any cycle. Exits 1 on a cycle: the imports must point one way, from
the command line down to markup (ARCHITECTURE.md). Usage: scripts/module_graph.py [--dot]"""
import collections
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
mods = sorted(m[:-3] if m.endswith(".rs") else m for m in os.listdir(root) if m not in ("lib.rs", "main.rs"))
deps = collections.defaultdict(set)
for folder, _, files in os.walk(root):
    for name in files:
        if not name.endswith(".rs"):
            continue
        path = os.path.join(folder, name)
        top = os.path.relpath(path, root).split(os.sep)[0].removesuffix(".rs")
        if top in ("lib", "main"):
            continue
        text = open(path, encoding="utf-8").read()
        cut = text.find("#[cfg(test)]\nmod tests")
        text = text if cut < 0 else text[:cut]
        used = set(re.findall(r"crate::(\w+)", text))
        for group in re.findall(r"use crate::\{([^}]*)\}", text):
            used.update(re.findall(r"(\w+)", group))
        deps[top].update(m for m in used if m in mods and m != top)


def path(a, b):
    """A path a -> ... -> b, if there is one."""
    seen, stack = {a: None}, [a]
    while stack:
        x = stack.pop()
        if x == b:
            out = [x]
            while seen[out[-1]] is not None:
                out.append(seen[out[-1]])
            return out[::-1]
        for y in sorted(deps.get(x, ())):
            if y not in seen:
                seen[y] = x
                stack.append(y)
    return None


if "--dot" in sys.argv:
    print("digraph missive {")
    for a in mods:
        for b in sorted(deps.get(a, ())):
            print(f'  "{a}" -> "{b}";')
    print("}")
else:
    for a in mods:
        print(f"{a} -> {' '.join(sorted(deps.get(a, ()))) or '(nothing)'}")
cycles = [path(b, a) + [b] for a in mods for b in sorted(deps.get(a, ())) if path(b, a)]
if cycles:
    for c in cycles:
        print("cycle: " + " -> ".join(c), file=sys.stderr)
    sys.exit(1)
