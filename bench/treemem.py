#!/usr/bin/env python3
"""Peak memory and CPU time of a whole process tree, sampled from /proc (Linux, stdlib only).

GNU time reports the peak RSS of the single largest process and the CPU time of the
descendants it could reap. Both understate tools that fan out into worker processes:
datatrove's LocalPipelineExecutor starts its workers from a multiprocessing *forkserver*,
so they are grandchildren that GNU time never reaps, and neither their memory nor their
CPU time reaches it. This sampler polls every ``--interval`` seconds while PID runs:

- memory: the sum over PID and all its descendants of each process's PSS (proportional
  set size, /proc/PID/smaps_rollup; VmRSS where that is unreadable). Pages shared between
  forked workers are split among them rather than counted once per process, so the sum is
  the tree's real footprint. The peak over the samples is reported.
- CPU: for every process ever seen in the tree, the last user + system time read from
  /proc/PID/stat (keyed by PID and start time, so a reused PID is a new process). Their sum
  misses at most the last interval of each process, and processes that lived less than one
  interval; callers should take the larger of this and GNU time's figure.

Prints one line: ``PEAK_KIB CPU_SECONDS``.

Usage: treemem.py PID [--interval 0.1]
"""

import argparse
import os
import time

TICKS = os.sysconf("SC_CLK_TCK")


def scan():
    """{pid: (ppid, starttime, cpu_ticks)} for every process."""
    procs = {}
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
        if len(rest) > 19:
            procs[int(name)] = (int(rest[1]), int(rest[19]), int(rest[11]) + int(rest[12]))
    return procs


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
    cpu = {}  # (pid, starttime) -> ticks
    while alive(args.pid):
        procs = scan()
        kids = {}
        for pid, (ppid, _, _) in procs.items():
            kids.setdefault(ppid, []).append(pid)
        total, stack = 0, [args.pid]
        while stack:
            pid = stack.pop()
            if pid in procs:
                _, start, ticks = procs[pid]
                cpu[(pid, start)] = max(ticks, cpu.get((pid, start), 0))
            total += process_kib(pid)
            stack.extend(kids.get(pid, ()))
        peak = max(peak, total)
        time.sleep(args.interval)
    print(peak, f"{sum(cpu.values()) / TICKS:.2f}")


if __name__ == "__main__":
    main()
