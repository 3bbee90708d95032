#!/usr/bin/env python3
"""Score the Clough-Stevenson corpus as document pairs with `reprint compare --pairs`
and report ROC AUC and the confusion at the default threshold (0.5).

Two pair sets, built from `file_information.csv` (the corpus' own labels):
  sources: every answer against its task's source; positive = cut/light/heavy,
           negative = non (95 pairs);
  task:    additionally every `non` answer against every other answer of its task
           (negatives; pairs of two derived answers are left out: two rewrites of one
           source need not be rewrites of each other).
Each set is scored twice: with word rarities from the pair file's own texts, and with
rarities from the corpus folder (`--corpus`, as a scan of the corpus weighs words).
Usage: bench/pairs.py [REPRINT_BINARY] [CORPUS_DIR]
"""
import csv, itertools, json, os, subprocess, sys, tempfile

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/reprint"
corpus = sys.argv[2] if len(sys.argv) > 2 else "../shared/data/clough-stevenson"
if not os.path.isdir(corpus):
    print(f"skipping: {corpus} not found")
    sys.exit(0)


def read(name):
    raw = open(os.path.join(corpus, name), "rb").read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


rows = list(csv.DictReader(open(os.path.join(corpus, "file_information.csv"))))
cat = {r["File"]: r["Category"].strip() for r in rows}
task = {r["File"]: r["Task"].strip() for r in rows}
derived = lambda f: cat[f] in ("cut", "light", "heavy")
pairs = []
for f in cat:
    if cat[f] == "orig":
        continue
    src = f"orig_task{task[f]}.txt"
    pairs.append(("sources", f, src, int(derived(f))))
for t in sorted(set(task.values())):
    members = sorted(f for f in cat if task[f] == t and cat[f] != "orig")
    for x, y in itertools.combinations(members, 2):
        if "non" in (cat[x], cat[y]):
            pairs.append(("task", x, y, 0))

with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as tmp:
    for kind, x, y, label in pairs:
        tmp.write(json.dumps({"set": kind, "id": f"{x}|{y}", "label": label, "a": read(x), "b": read(y)}) + "\n")
runs = []
for label, extra in (("rarities from the pair file", []), ("rarities from the corpus", ["--corpus", corpus])):
    out = subprocess.run([binary, "compare", "--pairs", tmp.name] + extra, capture_output=True, text=True, check=True)
    runs.append((label, [json.loads(l) for l in out.stdout.splitlines()]))
os.unlink(tmp.name)


def auc(rows):
    pos = [r["score"] for r in rows if r["label"] == 1]
    neg = [r["score"] for r in rows if r["label"] == 0]
    return sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))


for label, res in runs:
    print(f"== {label}")
    for name, subset in (("sources", [r for r in res if r["set"] == "sources"]), ("sources+task", res)):
        tp = sum(1 for r in subset if r["label"] == 1 and r["score"] >= 0.5)
        fp = sum(1 for r in subset if r["label"] == 0 and r["score"] >= 0.5)
        fn = sum(1 for r in subset if r["label"] == 1 and r["score"] < 0.5)
        print(f"{name}: {len(subset)} pairs, ROC AUC {auc(subset):.4f}; at 0.5: {tp} true, {fp} false, {fn} missed positives")
        for cat_name in ("cut", "light", "heavy", "non"):
            sc = [r["score"] for r in subset if r["set"] == "sources" and cat[r["id"].split("|")[0]] == cat_name]
            if sc and name == "sources":
                print(f"  {cat_name}: {sum(s >= 0.5 for s in sc)}/{len(sc)} scored >= 0.5")
