//! Acceptance on real documents from `../shared/data` (next to the workspace): the
//! French seed documents (internal repetition, ad markers and navigation, a rewrite that
//! shares passages with its original) and the Clough & Stevenson corpus of plagiarised
//! short answers. Each test skips with a notice when its data is absent.

mod partial_util;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use partial_util::common::*;
use partial_util::*;

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/seeds");
const CLOUGH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/clough-stevenson"
);

/// The folder, or `None` (with a notice) when it is absent.
fn data(path: &str) -> Option<PathBuf> {
    let path = PathBuf::from(path);
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!("skipping: {} not found", path.display());
        None
    }
}

/// The `.txt` file of `dir` whose name starts with `prefix` (e.g. `001_`).
fn by_prefix(dir: &Path, prefix: &str) -> String {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(prefix) && n.ends_with(".txt"))
        .collect();
    names.sort();
    assert_eq!(
        names.len(),
        1,
        "one file {prefix}*.txt in {}",
        dir.display()
    );
    names.remove(0)
}

#[test]
fn seeds_repetition_boilerplate_and_shared_passages() {
    let Some(seeds) = data(SEEDS) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let s = scan(dir.path(), "out", &[&seeds], &[]);
    let (f0, f1, f2) = (
        by_prefix(&seeds, "000_"),
        by_prefix(&seeds, "001_"),
        by_prefix(&seeds, "002_"),
    );
    let text = |name: &str| read_text(&seeds.join(name));

    // 001 repeats its sections: copies reported against earlier occurrences that hold
    // the same words.
    let t1 = text(&f1);
    let repeats = s.doc(&f1)["repeats"].as_array().unwrap().clone();
    assert!(repeats.len() >= 2, "{f1}: repeats {repeats:?}");
    for r in &repeats {
        let (copy, first) = (span(&r["copy"]), span(&r["first"]));
        assert!(first.1 <= copy.0, "{r}");
        assert_same_passage(&char_slice(&t1, first), &char_slice(&t1, copy), 0.5);
    }

    // 002's ad markers and trailing navigation: short lines, reported whole.
    let t2 = text(&f2);
    let boilerplate = s.doc(&f2)["boilerplate"].as_array().unwrap().clone();
    assert!(boilerplate.len() >= 3, "{f2}: boilerplate {boilerplate:?}");
    let chars: Vec<char> = t2.chars().collect();
    for b in &boilerplate {
        let (start, end) = span(&b["span"]);
        let line = char_slice(&t2, (start, end));
        assert!(!line.contains('\n'), "one line: {line:?}");
        assert!(
            start == 0 || chars[start - 1] == '\n',
            "starts a line: {line:?}"
        );
        assert!(
            end == chars.len() || chars[end] == '\n' || chars[end] == '\r',
            "ends a line: {line:?}"
        );
        assert!(words(&line).len() <= 25, "a short line: {line:?}");
    }
    let reasons: Vec<&str> = boilerplate
        .iter()
        .map(|b| b["reason"].as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"repeated-marker"), "{reasons:?}");
    assert!(reasons.contains(&"trailing-navigation"), "{reasons:?}");

    // 000 and 001: the rewrite keeps passages of its original.
    let out = reprint(&[
        "compare",
        seeds.join(&f0).to_str().unwrap(),
        seeds.join(&f1).to_str().unwrap(),
        "--json",
    ]);
    assert_ok(&out);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let long = r["passages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["words"].as_u64().unwrap() >= 15)
        .count();
    assert!(long >= 2, "passages of 15+ words between 000 and 001: {r}");
    // Its sentences, reworded, cover far more than its verbatim passages: a rewrite
    // that kept some passages (the passages stay in its evidence).
    assert_eq!(r["relation"], "rewrite", "{r}");
    let t0 = text(&f0);
    for p in r["passages"].as_array().unwrap() {
        assert_same_passage(
            &char_slice(&t0, span(&p["a"])),
            &char_slice(&t1, span(&p["b"])),
            0.6,
        );
    }
}

/// A text file as the folder reader gives it: UTF-8 without a leading byte-order mark;
/// a file that is not UTF-8 is read as Latin-1 (one character per byte, as the
/// single-byte encodings these answers use), so character offsets still agree.
fn read_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
    };
    text.strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text)
}

/// Category and task of each file of `file_information.csv` (`File,Task,Category`).
fn labels(dir: &Path) -> HashMap<String, (String, String)> {
    let csv = std::fs::read_to_string(dir.join("file_information.csv")).unwrap();
    csv.lines()
        .skip(1)
        .filter_map(|line| {
            let mut f = line.trim().split(',').map(str::trim);
            let (file, task, category) = (f.next()?, f.next()?, f.next()?);
            Some((file.to_string(), (task.to_string(), category.to_string())))
        })
        .collect()
}

#[test]
fn clough_stevenson_answers_link_to_their_sources() {
    let Some(data) = data(CLOUGH) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    // Some answers are in windows-1252: decode them rather than lose them.
    let out = reprint(&[
        "scan",
        data.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--quiet",
        "--txt-encoding",
        "auto",
    ]);
    assert_ok(&out);
    let documents = read_jsonl(&out_dir.join("documents.jsonl"));
    let matches = read_jsonl(&out_dir.join("matches.jsonl"));
    let labels = labels(&data);
    let category = |id: &str| labels.get(id).map(|(_, c)| c.as_str()).unwrap_or("?");
    let texts: HashMap<String, String> = documents
        .iter()
        .map(|d| {
            let id = d["id"].as_str().unwrap().to_string();
            let text = read_text(&data.join(&id));
            (id, text)
        })
        .collect();

    // `non` answers were written without the source: never linked to a source, never
    // in the cluster of their task's source. Some `non` answers rewrote the same
    // outside text (lecture notes), which is real reuse between them, so links among
    // `non` answers are allowed (and printed); links to a source or to an answer
    // derived from one are not.
    let cluster_of: HashMap<&str, u64> = documents
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d["cluster"].as_u64().unwrap()))
        .collect();
    let mut non_to_derived = 0;
    let mut non_pairs = 0;
    for m in &matches {
        let (a, b) = (m["a"].as_str().unwrap(), m["b"].as_str().unwrap());
        let (ca, cb) = (category(a), category(b));
        if ca == "non" || cb == "non" {
            assert!(
                ca != "orig" && cb != "orig",
                "a `non` answer linked to a source: {m}"
            );
            if ca != cb {
                non_to_derived += 1;
                eprintln!(
                    "note: a `non` answer linked to a derived answer: {a} {b} {}",
                    m["kind"]
                );
            } else {
                non_pairs += 1;
                eprintln!("note: two `non` answers share text: {a} {b} {}", m["kind"]);
            }
        }
    }

    // Links reported only as corroboration score under the match threshold and tie a
    // document to the cluster of the other side.
    for m in matches.iter().filter(|m| m["corroborated"] == true) {
        let (a, b) = (m["a"].as_str().unwrap(), m["b"].as_str().unwrap());
        let score = m["similarity"].as_f64().unwrap();
        assert!((0.2..0.5).contains(&score), "{m}");
        assert!(["rewrite", "same-story"].contains(&m["kind"].as_str().unwrap()));
        assert_eq!(cluster_of[a], cluster_of[b], "{m}");
        eprintln!("note: corroborated link {a} {b} {score}");
    }

    // `cut` and `light` answers: a direct link with their own source, carrying passages
    // when it is a partial match (exact and near matches carry none).
    let mut figures: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut direct: HashMap<&str, usize> = HashMap::new();
    for d in &documents {
        let id = d["id"].as_str().unwrap();
        let Some((task, cat)) = labels.get(id) else {
            panic!("{id} is not in file_information.csv");
        };
        if !["cut", "light", "heavy"].contains(&cat.as_str()) {
            continue;
        }
        let source = format!("orig_task{task}.txt");
        let link = matches.iter().find(|m| {
            (m["a"] == id && m["b"] == source.as_str())
                || (m["a"] == source.as_str() && m["b"] == id)
        });
        let linked = match link {
            Some(m) if m["kind"] == "partial" => {
                check_passages(m, &texts);
                true
            }
            // A rewrite that also kept passages verbatim carries them too.
            Some(m) if m["kind"] == "rewrite" => {
                if m["passages"].as_array().is_some_and(|p| !p.is_empty()) {
                    check_passages(m, &texts);
                }
                true
            }
            Some(m) => ["exact", "near", "same-story"].contains(&m["kind"].as_str().unwrap_or("")),
            None => false,
        };
        // Or through the cluster: a heavy rewrite may tie to its source through the
        // other answers that rewrote it.
        let clustered = cluster_of[id] == cluster_of[source.as_str()];
        let entry = figures.entry(cat.as_str()).or_default();
        entry.1 += 1;
        if linked || clustered {
            entry.0 += 1;
        }
        if linked {
            *direct.entry(cat.as_str()).or_default() += 1;
        }
    }
    for cat in ["cut", "light", "heavy"] {
        let (linked, total) = figures.get(cat).copied().unwrap_or((0, 0));
        let direct = direct.get(cat).copied().unwrap_or(0);
        eprintln!(
            "{cat}: {linked}/{total} answers in their source's cluster, {direct} linked to it directly"
        );
    }
    eprintln!("non: {non_to_derived} links to answers derived from a source");
    assert_eq!(non_to_derived, 0, "`non` answers linked to derived answers");
    // A bound, not a goal: the `non` pairs known to share an outside text are three
    // rewrites of one set of lecture notes (task e), one 49-word passage found
    // verbatim in two answers (task d), and two answers that define the lecture's four
    // kinds of links in its order and words (task b). Two answers that merely explain
    // the same thing share one or two sentences, which is not enough for a link.
    assert!(non_pairs <= 5, "{non_pairs} links between `non` answers");
    for (id, (task, cat)) in &labels {
        if cat == "non" {
            let source = format!("orig_task{task}.txt");
            assert_ne!(
                cluster_of[id.as_str()],
                cluster_of[source.as_str()],
                "{id} is in the cluster of its source"
            );
        }
    }

    // Clusters against the truth (each task's source with its cut, light and heavy
    // answers; each `non` answer alone), pairwise over all 100 documents.
    let truth = |id: &str| -> String {
        let (task, cat) = &labels[id];
        if cat == "non" {
            id.to_string()
        } else {
            task.clone()
        }
    };
    let ids: Vec<&str> = documents
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    let (mut tp, mut fp, mut fn_) = (0u32, 0u32, 0u32);
    for (i, a) in ids.iter().enumerate() {
        for b in &ids[i + 1..] {
            let same = truth(a) == truth(b);
            let linked = cluster_of[a] == cluster_of[b];
            match (same, linked) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                _ => {}
            }
        }
    }
    let precision = f64::from(tp) / f64::from(tp + fp);
    let recall = f64::from(tp) / f64::from(tp + fn_);
    let f1 = 2.0 * precision * recall / (precision + recall);
    eprintln!("pairwise precision {precision:.3} recall {recall:.3} F1 {f1:.3}");
    assert!(f1 >= 0.95, "pairwise F1 {f1:.3}");
    // Floors, not the goal: the cut answers left are copied from parts of the Wikipedia
    // articles that are not in the given sources; the light ones left share fewer than
    // 20 aligned words with their source (rewrites, for rewrite detection). Every heavy
    // rewrite is in its source's cluster, some only through weaker links to several
    // versions of the text (corroborated links, checked below).
    for (cat, floor) in [("cut", 0.85), ("light", 0.85), ("heavy", 1.0)] {
        let (linked, total) = figures[cat];
        assert_eq!(total, 19, "{cat}: every answer is read");
        assert!(
            linked as f64 >= floor * total as f64,
            "{cat}: {linked}/{total} linked to their source"
        );
    }
}

#[test]
fn seeds_one_story_in_three_versions_and_two_other_stories() {
    let Some(seeds) = data(SEEDS) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let s = scan(dir.path(), "out", &[&seeds], &[]);
    let f: Vec<String> = ["000_", "001_", "002_", "003_", "004_"]
        .iter()
        .map(|p| by_prefix(&seeds, p))
        .collect();
    assert!(
        s.same_cluster(&f[0], &f[1]),
        "001 is a version of 000: one family"
    );
    assert!(
        !s.same_cluster(&f[0], &f[2]),
        "002 is an independent version"
    );
    let story = |id: &str| s.doc(id)["story"].clone();
    assert_eq!(story(&f[0]), story(&f[1]));
    assert_eq!(story(&f[0]), story(&f[2]), "000, 001 and 002 are one story");
    for alone in [&f[3], &f[4]] {
        assert!(s.doc(alone)["relation"].is_null(), "{alone} stands alone");
        assert_eq!(
            s.doc(alone)["story"],
            s.doc(alone)["cluster"],
            "{alone} alone"
        );
        for other in &f {
            if other != alone {
                assert_ne!(story(alone), story(other), "{alone} ~ {other}");
            }
        }
        for other in &f {
            if other != alone {
                assert!(s.find_match(alone, other).is_none(), "{alone} ~ {other}");
            }
        }
    }
    assert_eq!(s.find_match(&f[0], &f[1]).unwrap()["kind"], "rewrite");
    assert_eq!(s.find_match(&f[0], &f[2]).unwrap()["kind"], "same-story");

    // compare 000 002 shows the evidence: the quote, the lieutenant, the date, the
    // NGOs, each at the right place in both texts.
    let out = reprint(&[
        "compare",
        seeds.join(&f[0]).to_str().unwrap(),
        seeds.join(&f[2]).to_str().unwrap(),
        "--json",
    ]);
    assert_ok(&out);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["relation"], "same-story", "{r}");
    let facts = r["facts"].as_array().unwrap();
    let has = |kind: &str, needle: &str| {
        facts.iter().any(|x| {
            x["kind"] == kind
                && x["text_a"].as_str().unwrap().contains(needle)
                && !x["text_b"].as_str().unwrap().is_empty()
        })
    };
    assert!(has("quote", "grâce à mon exemple"), "{facts:?}");
    assert!(has("name", "Alexandre"), "{facts:?}");
    assert!(has("date", "24 février 2022"), "{facts:?}");
    assert!(has("name", "Libertés"), "{facts:?}");
    assert!(has("name", "Lessom"), "{facts:?}");
    assert!(!r["sentences"].as_array().unwrap().is_empty(), "{r}");
    // The terminal view prints them too.
    let out = reprint(&[
        "compare",
        seeds.join(&f[0]).to_str().unwrap(),
        seeds.join(&f[2]).to_str().unwrap(),
        "--color",
        "never",
    ]);
    assert_ok(&out);
    let view = String::from_utf8(out.stdout).unwrap();
    assert!(view.contains("relation: same-story"), "{view}");
    assert!(view.contains("shared facts"), "{view}");
    assert!(view.contains("2022"), "{view}");
}
