#!/usr/bin/env python3
"""Peak memory of a whole process tree, sampled from /proc (Linux, standard library only).

GNU time's "Maximum resident set size" is the peak of the single largest process, which
understates tools that fan out into worker processes (datatrove runs a forkserver and one
process per worker). This sampler polls every ``--interval`` seconds, sums the memory of
PID and all its descendants, and prints the peak in KiB when PID exits.

Each process counts with its PSS (proportional set size, from /proc/PID/smaps_rollup):
pages shared between forked workers are split among them instead of being counted once
per process, so the sum is the tree's real footprint. Where smaps_rollup is unreadable,
VmRSS is used instead. Being sampled, the figure can miss a peak shorter than the
interval.

Usage: treemem.py PID [--interval 0.1]   (prints one integer: peak KiB)
"""

import argparse
import os
import time


def children_map():
    kids = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name (field 2) may contain spaces and parentheses: parse after it.
        rest = stat[stat.rfind(b")") + 2 :].split()
        if len(rest) > 1:
            kids.setdefault(int(rest[1]), []).append(int(name))
    return kids


def process_kib(pid):
    for path, key in ((f"/proc/{pid}/smaps_rollup", b"Pss:"), (f"/proc/{pid}/status", b"VmRSS:")):
        try:
            with open(path, "rb") as f:
                for line in f:
                    if line.startswith(key):
                        return int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return 0


def tree_kib(root):
    kids = children_map()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += process_kib(pid)
        stack.extend(kids.get(pid, ()))
    return total


def alive(pid):
    """True while PID runs (a zombie, exited but not yet reaped, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rfind(b")") + 2 :][:1] != b"Z"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pid", type=int)
    ap.add_argument("--interval", type=float, default=0.1)
    args = ap.parse_args()
    peak = 0
    while alive(args.pid):
        peak = max(peak, tree_kib(args.pid))
        time.sleep(args.interval)
    print(peak)


if __name__ == "__main__":
    main()
