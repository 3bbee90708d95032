#!/usr/bin/env python3
"""Turns the raw measurements of bench/run.sh into the markdown table for BENCHMARKS.md.

Reads, for every tool and run i, the files run.sh leaves in RESULTS/TOOL/:
``run<i>.time`` (GNU ``time -v`` output), ``run<i>.mem`` (peak KiB and CPU seconds of the process
tree, from treemem.py), ``run<i>.load`` (/proc/loadavg just before the run),
``run<i>.rc`` (exit status) and ``run<i>.eval.json`` (``reprint eval --json``),
plus RESULTS/commands.tsv (tool, exact command). Wall time and memory are the median over
the runs; quality comes from the first successful run (all three tools are deterministic,
and the script says so if runs disagree).

Standard library only, so it runs without the benchmark venv.
"""

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess


def read(path, default=None):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return default


def parse_time(text):
    """(wall seconds, CPU seconds (user + system, children included), max RSS KiB) from
    GNU time -v output."""
    wall = rss = None
    cpu = 0.0
    for line in (text or "").splitlines():
        line = line.strip()
        if line.startswith(("User time (seconds)", "System time (seconds)")):
            cpu += float(line.rsplit(":", 1)[-1])
        elif line.startswith("Elapsed (wall clock) time"):
            value = line.rsplit(": ", 1)[-1]
            parts = [float(p) for p in value.split(":")]
            wall = 0.0
            for p in parts:
                wall = wall * 60 + p
        elif line.startswith("Maximum resident set size"):
            rss = int(line.rsplit(":", 1)[-1])
    return wall, cpu, rss


def cpu_model():
    text = read("/proc/cpuinfo", "")
    m = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    return m.group(1).strip() if m else platform.processor() or "unknown"


def mem_total_gib():
    m = re.search(r"^MemTotal:\s*(\d+) kB", read("/proc/meminfo", ""), re.M)
    return f"{int(m.group(1)) / 1024 / 1024:.0f} GiB" if m else "unknown"


def command_output(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def fmt(x, spec=".3f"):
    return "–" if x is None else format(x, spec)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--results", required=True)
    ap.add_argument("--tools", required=True, help="comma-separated, in table order")
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--docs", type=int, required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--generate-command", required=True)
    ap.add_argument("--versions", default="", help="free text: tool versions")
    args = ap.parse_args()

    tools = [t for t in args.tools.split(",") if t]
    commands = {}
    for line in (read(os.path.join(args.results, "commands.tsv"), "") or "").splitlines():
        if "\t" in line:
            tool, cmd = line.split("\t", 1)
            commands[tool] = cmd

    kinds = ["exact", "near", "boilerplate", "truncated", "partial"]
    rows = []
    notes = []
    for tool in tools:
        d = os.path.join(args.results, tool)
        walls, cpus, rsss, mems, evals, failed, loads = [], [], [], [], [], [], []
        for i in range(1, args.runs + 1):
            rc = (read(os.path.join(d, f"run{i}.rc"), "") or "").strip()
            if rc != "0":
                failed.append(f"run {i}: exit {rc or '?'}")
                continue
            wall, cpu, rss = parse_time(read(os.path.join(d, f"run{i}.time")))
            mem_line = (read(os.path.join(d, f"run{i}.mem"), "") or "").split()
            tree_kib = int(mem_line[0]) if mem_line and mem_line[0].isdigit() else 0
            tree_cpu = float(mem_line[1]) if len(mem_line) > 1 else 0.0
            if wall is not None:
                walls.append(wall)
                # GNU time misses unreaped grandchildren (forkserver workers); the sampler
                # misses each process's last 0.1 s: the larger is the better estimate.
                cpus.append(max(cpu, tree_cpu))
            load = (read(os.path.join(d, f"run{i}.load"), "") or "").split()
            if load:
                loads.append(float(load[0]))
            if rss is not None:
                rsss.append(rss)
            if tree_kib > 0:  # 0: exited before the first sample
                mems.append(tree_kib)
            ev = read(os.path.join(d, f"run{i}.eval.json"))
            if ev:
                try:
                    evals.append(json.loads(ev))
                except json.JSONDecodeError:
                    failed.append(f"run {i}: unreadable eval")
        if failed:
            notes.append(f"{tool}: " + "; ".join(failed))
        if len({json.dumps(e, sort_keys=True) for e in evals}) > 1:
            notes.append(f"{tool}: quality differs between runs (first run shown)")
        ev = evals[0] if evals else None
        wall = statistics.median(walls) if walls else None
        row = {
            "tool": tool,
            "wall": wall,
            "walls": walls,
            "cpu": statistics.median(cpus) if cpus else None,
            "load": max(loads) if loads else None,
            "rss": statistics.median(rsss) / 1024 if rsss else None,
            "mem": statistics.median(mems) / 1024 if mems else None,
            "rate": args.docs / wall if wall else None,
            "ev": ev,
        }
        rows.append(row)

    corpus_mb = os.path.getsize(args.corpus) / 1e6 if os.path.exists(args.corpus) else 0.0
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = []
    out.append(f"### Peer benchmark: {args.docs:,} documents ({corpus_mb:.1f} MB JSONL)")
    out.append("")
    out.append(
        f"Machine: {command_output(['nproc'])} CPUs ({cpu_model()}), {mem_total_gib()} RAM, "
        f"{platform.system()} {platform.release()}; run {now}."
    )
    if args.versions:
        out.append(f"Versions: {args.versions}.")
    out.append("")
    out.append(
        f"Wall time and memory: median of {args.runs} runs. Quality: `reprint eval` on each tool's "
        "`documents.jsonl` (pairwise = pairs of documents in the same cluster; kind columns = share "
        "of copies of that kind put in their original's cluster)."
    )
    out.append("")
    header = (
        "| tool | wall time (s) | CPU time (s) | docs/s | max RSS (MB) | tree PSS (MB) | precision | recall | F1 | ARI | "
        + " | ".join(kinds)
        + " |"
    )
    out.append(header)
    out.append("|" + "---|" * (10 + len(kinds)))
    for r in rows:
        ev = r["ev"] or {}
        per = ev.get("per_kind", {})
        runs = ", ".join(f"{w:.2f}" for w in r["walls"])
        cells = [
            f"**{r['tool']}**",
            f"{fmt(r['wall'], '.2f')} ({runs})" if r["walls"] else "failed",
            fmt(r["cpu"], ".1f"),
            fmt(r["rate"], ",.0f"),
            fmt(r["rss"], ",.0f"),
            fmt(r["mem"], ",.0f"),
            fmt(ev.get("precision")),
            fmt(ev.get("recall")),
            fmt(ev.get("f1")),
            fmt(ev.get("ari")),
        ] + [fmt(per.get(k, {}).get("recall")) for k in kinds]
        out.append("| " + " | ".join(cells) + " |")
    ratios = [
        f"{r['tool']} {p['wall'] / r['wall']:.1f}x faster than {p['tool']}"
        for r in rows
        if r["tool"].startswith("reprint") and r["wall"]
        for p in rows
        if not p["tool"].startswith("reprint") and p["wall"]
    ]
    if ratios:
        out.append("")
        out.append("Median wall times: " + "; ".join(ratios) + ".")
    out.append("")
    out.append(
        "max RSS: GNU `time -v`, the largest single process. tree PSS: peak of the summed "
        "proportional set size of the tool's whole process tree, sampled every 0.1 s by "
        "`bench/treemem.py` during the warm-up run just before each timed run (sampling costs "
        "the sampled process time, so timed runs run alone; – when a run ended before the "
        "first sample); it exceeds max RSS "
        "for multi-process tools (datatrove's workers). datasketch is single-threaded, datatrove "
        "runs 2 worker processes, reprint uses all cores. CPU time: user + system of the whole "
        "process tree (the larger of GNU time's figure and the sampler's, which also sees "
        "datatrove's forkserver workers), median run; less sensitive than wall time to other "
        "load on the machine."
    )
    loads = [(r["tool"], r["load"]) for r in rows if r["load"] is not None]
    if loads:
        out.append("")
        out.append(
            "Highest 1-minute load average seen just before a run: "
            + ", ".join(f"{t} {l:.2f}" for t, l in loads)
            + f" (on {command_output(['nproc'])} CPUs; above ~0.5, other work competed with the runs)."
        )
    out.append("")
    out.append("Commands (run from the repository root):")
    out.append("")
    out.append("```")
    out.append(args.generate_command)
    for tool in tools:
        if tool in commands:
            out.append(commands[tool])
    out.append("```")
    if notes:
        out.append("")
        out.append("Notes: " + " ".join(notes))
    print("\n".join(out))


if __name__ == "__main__":
    main()
