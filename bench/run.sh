#!/usr/bin/env bash
# The reproducible peer benchmark: reprint against the two usual MinHash deduplicators,
# on the same generated corpus with known copies, scored by the same `reprint eval`.
#
#   bench/run.sh [--seeds PATH]... [--docs N] [--seed S] [--style S] [--copy-fraction F]
#                [--runs R] [--warmup W] [--tools LIST] [--keep-work]
#
#   --seeds PATH   seed .txt file or folder for `reprint generate` (repeatable;
#                  default examples/seeds; e.g. ../shared/data/seeds)
#   --docs N       corpus size (default 20000)
#   --seed S       generator seed (default 42)
#   --style S      generator style: press (default: originals share quotes, stock
#                  phrases and background paragraphs by chance, as real press does),
#                  one-topic, or words (originals share nothing: flatters every tool)
#   --copy-fraction F
#                  share of copies in the corpus (default 0.3)
#   --runs R       timed runs per tool, the median is reported (default 3)
#   --warmup W     untimed runs of a tool right before each of its timed runs (default 1):
#                  on a virtual machine a process started after the CPUs idled or ran
#                  another program is up to 1.5x slower than the same process run twice
#                  in a row, which penalises the short tools; 0 turns this off
#   --tools LIST   comma-separated subset of reprint,reprint-no-stories,datasketch,datatrove
#                  (default: reprint,datasketch,datatrove)
#   --keep-work    keep datatrove's scratch folders and every run's output
#
# Steps: (a) Python venv .venv-bench with the pinned peers (bench/requirements.txt,
# constrained by bench/constraints.txt), (b) `cargo build --release`, (c) generate the
# corpus and its gold into bench/work/, (d) run each tool R times under GNU `time -v`, in
# rounds (every tool once per round), with the process-tree memory sampler
# bench/treemem.py on the warm-up run just before each timed one, (e) score every run with
# `reprint eval --gold`, (f) print the markdown table and save it to bench/out/results.md
# (raw measurements in bench/out/raw/).
#
# The tools:
#   reprint     target/release/reprint scan CORPUS --out DIR --quiet
#   reprint-no-stories
#               the same with --no-stories: the partial-reuse scan (exact, near, partial,
#               boilerplate, repetition), without rewrite and same-story detection
#   datasketch  bench/peer_datasketch.py: MinHash(num_perm=128) over word 5-grams,
#               MinHashLSH(threshold=0.8), union-find over LSH candidates, no verification
#   datatrove   bench/peer_datatrove.py: MinhashDedupSignature -> Buckets -> Cluster -> Filter
#               with LocalPipelineExecutor, default MinhashConfig, 2 tasks / 2 workers
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SEEDS=()
DOCS=20000
SEED=42
STYLE=press
COPY_FRACTION=0.3
RUNS=3
WARMUP=1
TOOLS="reprint,datasketch,datatrove"
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) SEEDS+=("$2"); shift 2 ;;
    --docs) DOCS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --style) STYLE="$2"; shift 2 ;;
    --copy-fraction) COPY_FRACTION="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --tools) TOOLS="$2"; shift 2 ;;
    --keep-work) KEEP=1; shift ;;
    -h|--help) sed -n '2,42p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#SEEDS[@]} -eq 0 ] && SEEDS=(examples/seeds)
IFS=',' read -r -a TOOL_LIST <<< "$TOOLS"
for t in "${TOOL_LIST[@]}"; do
  case "$t" in reprint|reprint-no-stories|datasketch|datatrove) ;; *) echo "unknown tool: $t" >&2; exit 2 ;; esac
done

WORK=bench/work
OUT=bench/out
RAW="$OUT/raw"
VENV=.venv-bench
BIN=target/release/reprint
CORPUS="$WORK/corpus.jsonl"
GOLD="$WORK/gold.jsonl"
step() { printf '\n==> %s\n' "$*" >&2; }
needs_python=0
for t in "${TOOL_LIST[@]}"; do case "$t" in reprint*) ;; *) needs_python=1 ;; esac; done

# GNU time (the shell keyword `time` has no -v): Debian's `time` package.
if [ ! -x /usr/bin/time ]; then
  step "installing GNU time"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time
fi

# (a) the peers' venv, rebuilt when bench/requirements.txt or constraints change.
if [ "$needs_python" -eq 1 ]; then
  stamp="$VENV/.bench-stamp"
  want="$(cat bench/requirements.txt bench/constraints.txt | sha256sum | cut -d' ' -f1)"
  if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    step "creating $VENV (datasketch, datatrove)"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q -r bench/requirements.txt -c bench/constraints.txt
    echo "$want" > "$stamp"
  fi
  PY="$VENV/bin/python"
fi

# (b) reprint, release build.
step "cargo build --release"
cargo build --release

# (c) the corpus and its gold.
mkdir -p "$WORK" "$OUT"
rm -rf "$RAW"
mkdir -p "$RAW"
GEN_CMD="$BIN generate --seeds ${SEEDS[*]} -n $DOCS --seed $SEED --style $STYLE --copy-fraction $COPY_FRACTION --out $CORPUS --gold $GOLD"
step "$GEN_CMD"
"$BIN" generate --seeds "${SEEDS[@]}" -n "$DOCS" --seed "$SEED" --style "$STYLE" \
  --copy-fraction "$COPY_FRACTION" --out "$CORPUS" --gold "$GOLD"

# (d) + (e) timed runs, each scored.
: > "$RAW/commands.tsv"
run_tool() { # tool run_index
  local tool="$1" i="$2" dir="$WORK/$1/run$2"
  local -a cmd
  rm -rf "$dir"
  case "$tool" in
    reprint) cmd=("$BIN" scan "$CORPUS" --out "$dir" --quiet) ;;
    reprint-no-stories) cmd=("$BIN" scan "$CORPUS" --out "$dir" --quiet --no-stories) ;;
    datasketch) cmd=("$PY" bench/peer_datasketch.py "$CORPUS" --out "$dir") ;;
    datatrove) cmd=("$PY" bench/peer_datatrove.py "$CORPUS" --out "$dir" \
                    --workdir "$WORK/datatrove/scratch" --tasks 2 --workers 2) ;;
  esac
  [ "$i" -eq 1 ] && printf '%s\t%s\n' "$tool" "${cmd[*]}" >> "$RAW/commands.tsv"
  mkdir -p "$RAW/$tool"
  step "$tool, run $i/$RUNS: ${cmd[*]}"
  # The memory sampler reads /proc/PID/smaps_rollup ten times a second, which costs the
  # sampled process time (about 6% of a 1 s reprint scan that keeps both cores busy,
  # measured; a single-threaded tool leaves it a free core). So it watches the last
  # warm-up run, the same command on the same input, and the timed run runs alone.
  # With --warmup 0 it watches the timed run.
  local w
  for w in $(seq 1 "$WARMUP"); do
    if [ "$w" -eq "$WARMUP" ]; then
      "${cmd[@]}" > /dev/null 2>&1 &
      local warm=$!
      python3 bench/treemem.py "$warm" > "$RAW/$tool/run$i.mem" &
      local warm_sampler=$!
      wait "$warm" || true
      wait "$warm_sampler" || true
    else
      "${cmd[@]}" > /dev/null 2>&1 || true
    fi
    rm -rf "$dir"
  done
  local rc=0
  cat /proc/loadavg > "$RAW/$tool/run$i.load" 2>/dev/null || true
  /usr/bin/time -v -o "$RAW/$tool/run$i.time" "${cmd[@]}" > "$RAW/$tool/run$i.log" 2>&1 &
  local pid=$!
  if [ "$WARMUP" -eq 0 ]; then
    python3 bench/treemem.py "$pid" > "$RAW/$tool/run$i.mem" &
    local sampler=$!
  fi
  wait "$pid" || rc=$?
  if [ "$WARMUP" -eq 0 ]; then wait "$sampler" || true; fi
  echo "$rc" > "$RAW/$tool/run$i.rc"
  if [ "$rc" -ne 0 ]; then
    echo "    $tool failed (exit $rc); last lines of its log:" >&2
    tail -n 5 "$RAW/$tool/run$i.log" >&2
    return 0
  fi
  grep -E "Elapsed|Maximum resident" "$RAW/$tool/run$i.time" | sed 's/^\s*/    /' >&2
  # A reprint run is scored as a scan folder (its manifest checked); a peer writes only
  # its `documents.jsonl`, which `reprint eval` reads as a plain predictions file.
  local predictions="$dir"
  case "$tool" in reprint*) ;; *) predictions="$dir/documents.jsonl" ;; esac
  "$BIN" eval --gold "$GOLD" "$predictions" --json > "$RAW/$tool/run$i.eval.json" 2> "$RAW/$tool/run$i.eval.txt" \
    || echo "    scoring $tool run $i failed: $(tail -n 1 "$RAW/$tool/run$i.eval.txt")" >&2
  sed 's/^/    /' "$RAW/$tool/run$i.eval.txt" >&2
  if [ "$KEEP" -eq 0 ] && [ "$i" -lt "$RUNS" ]; then rm -rf "$dir"; fi
}
# Rounds: each round runs every tool once, so a slow spell of the machine touches all
# tools alike.
for i in $(seq 1 "$RUNS"); do
  for tool in "${TOOL_LIST[@]}"; do run_tool "$tool" "$i"; done
done
[ "$KEEP" -eq 0 ] && rm -rf "$WORK/datatrove/scratch"

# (f) the table.
versions="reprint $("$BIN" --version 2>/dev/null | awk '{print $2}'), $(rustc --version | awk '{print $1" "$2}')"
if [ "$needs_python" -eq 1 ]; then
  versions="$versions, Python $("$PY" -c 'import platform; print(platform.python_version())')"
  versions="$versions, $("$PY" -m pip list --format=freeze 2>/dev/null | grep -iE '^(datasketch|datatrove|spacy)==' | tr '\n' ' ' | sed 's/ $//; s/ /, /g')"
fi
python3 bench/report.py --results "$RAW" --tools "$TOOLS" --runs "$RUNS" --docs "$DOCS" \
  --corpus "$CORPUS" --generate-command "$GEN_CMD" --versions "$versions" > "$OUT/results.md"
step "results (saved to $OUT/results.md)"
cat "$OUT/results.md"
