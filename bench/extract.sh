#!/usr/bin/env bash
# Extraction benchmark: `reprint extract` against Python trafilatura on the 181 pages of
# the Zyte/Scrapinghub article-extraction benchmark, in one run, same machine.
#
#   bench/extract.sh [--runs R] [--warmup W] [--jobs J] [--data DIR]
#
#   --runs R    timed runs per tool; the median is reported (default 5)
#   --warmup W  untimed runs of a tool right before each of its timed runs (default 1)
#   --jobs J    worker processes for trafilatura, threads for reprint (default: nproc)
#   --data DIR  the benchmark folder (default ../shared/data/article-extraction, or
#               $REPRINT_ARTICLE_DATA); without it the script says so and exits 0
#
# Steps: (a) two Python venvs get their trafilatura if they lack it: .venv-extract the
# current release (pinned with its dependencies in bench/extract-constraints.txt), and
# .venv-bench the version bench/constraints.txt pins for datatrove (an older one), so
# both are measured; (b) `cargo build --release -p reprint`; (c) rounds: in each, every
# tool runs W times untimed and then once timed over the same html/*.html.gz files,
# timed end to end (process start, imports, reading, extraction, writing); (d) every
# output is scored with the benchmark's metric (bench/extract_score.py; the Rust test
# crates/web/tests/article_extraction.rs computes the same figure); (e) a markdown table
# is printed and saved to bench/out/extract.md.
#
# Why warm-up runs: on a virtual machine a process started after the CPUs were idle or
# busy with another program runs up to 1.5x slower than the same process run twice in a
# row (measured for reprint: 0.48 s first, 0.35 s right after). Timing each tool right
# after a run of its own measures every tool in the same steady state, as hyperfine's
# --warmup does; rounds still interleave the tools, so a slow spell of the machine
# touches all alike.
#
# The tools:
#   reprint      target/release/reprint --quiet --threads J extract DATA/html --out FILE
#   trafilatura  bench/extract_peer.py --jobs J: trafilatura.extract(bytes,
#                include_comments=False) with its defaults, J processes (multiprocessing)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUNS=5
WARMUP=1
JOBS="$(nproc)"
DATA="${REPRINT_ARTICLE_DATA:-$ROOT/../shared/data/article-extraction}"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

if [ ! -f "$DATA/ground-truth.json" ] || [ ! -d "$DATA/html" ]; then
  echo "NOTICE: $DATA (the article-extraction benchmark) is not here; nothing to measure." >&2
  exit 0
fi

OUT="$ROOT/bench/out"
mkdir -p "$OUT"

# venv_with VENV CONSTRAINTS VERSION EXTRA...: a venv whose trafilatura is VERSION.
venv_with() {
  local venv="$1" constraints="$2" version="$3"
  shift 3
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  if [ "$("$venv/bin/python" -c 'import trafilatura; print(trafilatura.__version__)' 2>/dev/null)" \
       != "$version" ]; then
    "$venv/bin/pip" install --quiet -c "$constraints" "trafilatura==$version" "$@"
  fi
}
# The current release, with the lxml HTML cleaner its jusText needs since lxml 5.2.
CURRENT_VERSION="$(sed -n 's/^trafilatura==//p' "$ROOT/bench/extract-constraints.txt")"
venv_with "$ROOT/.venv-extract" "$ROOT/bench/extract-constraints.txt" "$CURRENT_VERSION" lxml_html_clean
# The version the MinHash benchmark's venv pins (datatrove depends on trafilatura).
PINNED_VERSION="$(sed -n 's/^trafilatura==//p' "$ROOT/bench/constraints.txt")"
venv_with "$ROOT/.venv-bench" "$ROOT/bench/constraints.txt" "$PINNED_VERSION"

cargo build --release --quiet -p reprint
PAGES="$(find "$DATA/html" -maxdepth 1 -name '*.html.gz' | wc -l)"

# Tool i: its name, its output file and its command (CMDi).
NAMES=("reprint extract (rs-trafilatura 0.2.2 + reprint-web)"
       "Python trafilatura $CURRENT_VERSION (current release), $JOBS processes"
       "Python trafilatura $PINNED_VERSION, $JOBS processes")
OUTS=("$OUT/extract-reprint.jsonl" "$OUT/extract-trafilatura-current.json" "$OUT/extract-trafilatura-pinned.json")
CMD0=("$ROOT/target/release/reprint" --quiet --threads "$JOBS" extract "$DATA/html" --out "${OUTS[0]}")
CMD1=("$ROOT/.venv-extract/bin/python" "$ROOT/bench/extract_peer.py" --jobs "$JOBS" --out "${OUTS[1]}" "$DATA/html")
CMD2=("$ROOT/.venv-bench/bin/python" "$ROOT/bench/extract_peer.py" --jobs "$JOBS" --out "${OUTS[2]}" "$DATA/html")
# run_tool I [timed]: runs tool I (timed: under GNU time, into $OUT/time.txt); its stderr
# goes to $OUT/peer-stderr.txt (the peer script prints its extraction time there).
run_tool() {
  local -n cmd="CMD$1"
  if [ "${2:-}" = timed ]; then
    local start="$EPOCHREALTIME"
    /usr/bin/time -f "%e %U %S" -o "$OUT/time.txt" "${cmd[@]}" 2>"$OUT/peer-stderr.txt"
    python3 -c "print(f'{$EPOCHREALTIME - $start:.4f}')" > "$OUT/wall.txt"
  else
    "${cmd[@]}" 2>"$OUT/peer-stderr.txt"
  fi
}

# GNU time gives CPU seconds (user + system, worker processes included); the wall time is
# taken from bash's microsecond clock around it (GNU time's own is in hundredths, a 5%
# step at reprint's 0.2 s).
declare -a WALL CPU_S INNER
for run in $(seq 1 "$RUNS"); do
  line="run $run/$RUNS:"
  for tool in 0 1 2; do
    for _ in $(seq 1 "$WARMUP"); do run_tool "$tool"; done
    run_tool "$tool" timed
    read -r _ u s < "$OUT/time.txt"
    e="$(cat "$OUT/wall.txt")"
    WALL+=("$tool $e"); CPU_S+=("$tool $(python3 -c "print(round($u + $s, 3))")")
    if [ "$tool" -gt 0 ]; then
      INNER+=("$tool $(sed -n 's/^extract_seconds=//p' "$OUT/peer-stderr.txt")")
    fi
    line="$line ${e}s"
  done
  echo "$line (reprint, current trafilatura, pinned trafilatura; wall)" >&2
done

# median TOOL LIST...: the median of the values recorded for TOOL.
median() {
  local tool="$1"; shift
  printf '%s\n' "$@" | awk -v t="$tool" '$1 == t {print $2}' | sort -g \
    | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
CPU_MODEL="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
M_R="$(median 0 "${WALL[@]}")"
MC_R="$(median 0 "${CPU_S[@]}")"
{
  echo "### Main-text extraction: $PAGES pages of the article-extraction benchmark"
  echo
  echo "$JOBS cores ($CPU_MODEL), median of $RUNS timed runs, each right after $WARMUP untimed run(s) of the same tool, tools interleaved; end to end (process start to output written)."
  echo "F1: the benchmark's metric (word 4-gram shingles, per-page normalised), same scorer for all."
  echo
  echo "| tool | F1 | precision | recall | wall s | pages/s | CPU s | CPU ms/page |"
  echo "|---|---|---|---|---|---|---|---|"
  for tool in 0 1 2; do
    read -r p r f < <(python3 "$ROOT/bench/extract_score.py" "$DATA/ground-truth.json" "${OUTS[$tool]}")
    w="$(median "$tool" "${WALL[@]}")"
    c="$(median "$tool" "${CPU_S[@]}")"
    echo "| ${NAMES[$tool]} | $f | $p | $r | $(printf %.3f "$w") | $(python3 -c "print(f'{$PAGES / $w:.0f}')") | $c | $(python3 -c "print(f'{1000 * $c / $PAGES:.1f}')") |"
  done
  echo
  for tool in 1 2; do
    w="$(median "$tool" "${WALL[@]}")"
    c="$(median "$tool" "${CPU_S[@]}")"
    i="$(median "$tool" "${INNER[@]}")"
    echo "Against ${NAMES[$tool]%%,*}: reprint is $(python3 -c "print(f'{$w / $M_R:.1f}')")x faster end to end (wall), $(python3 -c "print(f'{$i / $M_R:.1f}')")x against its extraction time alone ($(printf %.3f "$i") s, without Python start-up and imports), $(python3 -c "print(f'{$c / $MC_R:.1f}')")x less CPU time."
    echo
  done
  echo "Load average after the run: $LOAD."
} | tee "$OUT/extract.md"
