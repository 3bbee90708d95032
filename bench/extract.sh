#!/usr/bin/env bash
# Extraction benchmark: `reprint extract` against Python trafilatura on the 181 pages of
# the Zyte/Scrapinghub article-extraction benchmark, in one run, same machine.
#
#   bench/extract.sh [--runs R] [--jobs J] [--data DIR]
#
#   --runs R    timed runs per tool; the median is reported (default 5)
#   --jobs J    worker processes for trafilatura, threads for reprint (default: nproc)
#   --data DIR  the benchmark folder (default ../shared/data/article-extraction, or
#               $REPRINT_ARTICLE_DATA); without it the script says so and exits 0
#
# Steps: (a) the Python venv .venv-bench gets trafilatura (pinned below) if it lacks it,
# (b) `cargo build --release -p reprint`, (c) each tool runs R times over the same
# html/*.html.gz files, alternating, timed end to end (process start, imports, reading,
# extraction, writing), (d) both outputs are scored with the benchmark's metric
# (bench/extract_score.py; the Rust test crates/web/tests/article_extraction.rs computes
# the same figure), (e) a markdown table is printed and saved to bench/out/extract.md.
#
# The tools:
#   reprint      target/release/reprint --quiet --threads J extract DATA/html --out FILE
#   trafilatura  bench/extract_peer.py --jobs J: trafilatura.extract(bytes,
#                include_comments=False) with its defaults, J processes (multiprocessing)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUNS=5
JOBS="$(nproc)"
DATA="${REPRINT_ARTICLE_DATA:-$ROOT/../shared/data/article-extraction}"
# The version bench/constraints.txt pins for the shared venv (datatrove depends on
# trafilatura too), so the two benchmarks never fight over it; 2.3.1 when it pins none.
TRAFILATURA_VERSION="$(sed -n 's/^trafilatura==//p' "$ROOT/bench/constraints.txt" 2>/dev/null)"
TRAFILATURA_VERSION="${TRAFILATURA_VERSION:-2.3.1}"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

if [ ! -f "$DATA/ground-truth.json" ] || [ ! -d "$DATA/html" ]; then
  echo "NOTICE: $DATA (the article-extraction benchmark) is not here; nothing to measure." >&2
  exit 0
fi

OUT="$ROOT/bench/out"
mkdir -p "$OUT"
VENV="$ROOT/.venv-bench"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if [ "$("$VENV/bin/python" -c 'import trafilatura; print(trafilatura.__version__)' 2>/dev/null)" \
     != "$TRAFILATURA_VERSION" ]; then
  if [ -f "$ROOT/bench/constraints.txt" ]; then
    "$VENV/bin/pip" install --quiet -c "$ROOT/bench/constraints.txt" "trafilatura==$TRAFILATURA_VERSION"
  else
    "$VENV/bin/pip" install --quiet "trafilatura==$TRAFILATURA_VERSION"
  fi
fi
PYVER="$("$VENV/bin/python" -c 'import trafilatura; print(trafilatura.__version__)')"

cargo build --release --quiet -p reprint
REPRINT="$ROOT/target/release/reprint"
PAGES="$(find "$DATA/html" -maxdepth 1 -name '*.html.gz' | wc -l)"

# GNU time gives wall and CPU seconds (user + system, worker processes included).
timed() { /usr/bin/time -f "%e %U %S" -o "$OUT/time.txt" "$@"; }
wall() { cut -d' ' -f1 "$OUT/time.txt"; }
cpu() { python3 -c "import sys; e,u,s=open(sys.argv[1]).read().split()[:3]; print(round(float(u)+float(s),3))" "$OUT/time.txt"; }
declare -a T_REPRINT T_PY T_PY_INNER C_REPRINT C_PY
for run in $(seq 1 "$RUNS"); do
  timed "$REPRINT" --quiet --threads "$JOBS" extract "$DATA/html" --out "$OUT/extract-reprint.jsonl"
  T_REPRINT+=("$(wall)"); C_REPRINT+=("$(cpu)")

  timed "$VENV/bin/python" "$ROOT/bench/extract_peer.py" --jobs "$JOBS" \
    --out "$OUT/extract-trafilatura.json" "$DATA/html" 2>"$OUT/peer-stderr.txt"
  T_PY+=("$(wall)"); C_PY+=("$(cpu)")
  T_PY_INNER+=("$(sed -n 's/^extract_seconds=//p' "$OUT/peer-stderr.txt")")
  echo "run $run/$RUNS: reprint ${T_REPRINT[-1]} s, trafilatura ${T_PY[-1]} s (wall)" >&2
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
M_R="$(median "${T_REPRINT[@]}")"
M_P="$(median "${T_PY[@]}")"
M_PI="$(median "${T_PY_INNER[@]}")"
MC_R="$(median "${C_REPRINT[@]}")"
MC_P="$(median "${C_PY[@]}")"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
read -r P_R R_R F_R < <(python3 "$ROOT/bench/extract_score.py" "$DATA/ground-truth.json" "$OUT/extract-reprint.jsonl")
read -r P_P R_P F_P < <(python3 "$ROOT/bench/extract_score.py" "$DATA/ground-truth.json" "$OUT/extract-trafilatura.json")
rate() { python3 -c "print(f'{$PAGES / $1:.0f}')"; }
SPEEDUP="$(python3 -c "print(f'{$M_P / $M_R:.1f}')")"
SPEEDUP_INNER="$(python3 -c "print(f'{$M_PI / $M_R:.1f}')")"
CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"

{
  echo "### Main-text extraction: $PAGES pages of the article-extraction benchmark"
  echo
  echo "$JOBS cores ($CPU), median of $RUNS runs, end to end (process start to output written)."
  echo "F1: the benchmark's metric (word 4-gram shingles, per-page normalised), same scorer for both."
  echo
  echo "| tool | F1 | precision | recall | wall s | pages/s | CPU s | CPU ms/page |"
  echo "|---|---|---|---|---|---|---|---|"
  echo "| reprint extract (rs-trafilatura 0.2.2 + reprint-web) | $F_R | $P_R | $R_R | $(printf %.3f "$M_R") | $(rate "$M_R") | $MC_R | $(python3 -c "print(f'{1000*$MC_R/$PAGES:.1f}')") |"
  echo "| Python trafilatura $PYVER, $JOBS processes | $F_P | $P_P | $R_P | $(printf %.3f "$M_P") | $(rate "$M_P") | $MC_P | $(python3 -c "print(f'{1000*$MC_P/$PAGES:.1f}')") |"
  echo
  echo "reprint is ${SPEEDUP}x faster end to end (wall); ${SPEEDUP_INNER}x against trafilatura's extraction time alone ($(printf %.3f "$M_PI") s, without Python start-up and imports); $(python3 -c "print(f'{$MC_P/$MC_R:.1f}')")x less CPU time. Load average during the run: $LOAD."
} | tee "$OUT/extract.md"
