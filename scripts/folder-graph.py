#!/usr/bin/env python3
"""Prints which folder includes which (from the #include "folder/..." lines of the tracked C++ files),
one line per edge with its count, and the cycles; exits 1 when there is a cycle. A folder is a
library (CMake's hpaio_library), so the graph is the libraries' include graph. CI runs it
(ctest folder_graph).

    scripts/folder-graph.py            # every folder (backend/http, hpaio/names, tests/unit/sim, ...)
    scripts/folder-graph.py --depth 1  # folders merged to their top level (tests/x counted as tests/x)
"""
import argparse
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder(path: str, depth: int) -> str:
    parts = Path(path).parts[:-1]
    if not parts:
        return "."
    if depth == 0:
        return "/".join(parts)
    # tests/ holds several libraries (unit, sim, fuzz, integration): one level more there.
    d = depth + 1 if parts[0] == "tests" else depth
    return "/".join(parts[:d])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--depth", type=int, default=0, help="merge folders below this depth (0: none)")
    args = ap.parse_args()
    root = Path(__file__).resolve().parent.parent
    files = subprocess.run(["git", "ls-files", "*.cpp", "*.hpp", "*.h"], cwd=root, check=True,
                           capture_output=True, text=True).stdout.split()
    known = set(files)
    edges = defaultdict(int)
    for f in files:
        src = folder(f, args.depth)
        text = (root / f).read_text(errors="replace")
        for inc in INCLUDE.findall(text):
            # "dir/x.hpp" from the source root, else relative to the including file's folder
            target = inc if inc in known else str(Path(f).parent / inc)
            if target not in known:
                continue
            dst = folder(target, args.depth)
            if dst != src:
                edges[(src, dst)] += 1
    graph = defaultdict(set)
    for (a, b), n in sorted(edges.items()):
        print(f"{a} -> {b} ({n})")
        graph[a].add(b)
    # Cycles: strongly connected components with more than one folder (Tarjan).
    index, low, on, stack, comps, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
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
                comps.append(sorted(comp))

    for v in list(graph):
        if v not in index:
            visit(v)
    for c in comps:
        print("cycle: " + " <-> ".join(c))
    print(f"{len(edges)} edges, {len(comps)} cycle(s)")
    return 1 if comps else 0


if __name__ == "__main__":
    sys.exit(main())
