//! Checks of the repository's example data against what its READMEs promise: the seed
//! texts in `examples/seeds` make a good corpus, and `examples/news/articles.jsonl` has the
//! relations `examples/news/README.md` lists. Also runs the generator on the shared seed
//! set when `../shared/data/seeds` exists (it is absent outside CI; the test then says so
//! and passes).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use reprint_bench::seeds::read_seed_texts;
use reprint_bench::text::{jaccard, shingles, words};
use reprint_bench::{generate, GenOptions, TextStyle, ORIGINAL_KIND};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Pairs of originals sharing a word 5-gram, summed over 5-grams (`Σ C(df, 2)`).
fn shared_original_pairs(seeds: &[String], docs: usize) -> (u64, f64) {
    let opts = GenOptions {
        docs,
        copy_fraction: 0.0,
        seed: 5,
        // Words drawn independently: the style whose originals share nothing.
        style: TextStyle::Words,
        ..GenOptions::default()
    };
    let corpus = generate(seeds, &opts).unwrap();
    assert!(corpus.iter().all(|(_, g)| g.kind == ORIGINAL_KIND));
    let mut df: HashMap<String, u64> = HashMap::new();
    for (doc, _) in &corpus {
        for g in shingles(&words(&doc.text), 5) {
            *df.entry(g).or_insert(0) += 1;
        }
    }
    let mean_bytes =
        corpus.iter().map(|(d, _)| d.text.len()).sum::<usize>() as f64 / corpus.len() as f64;
    (df.values().map(|&k| k * (k - 1) / 2).sum(), mean_bytes)
}

#[test]
fn example_seeds_make_distinct_news_sized_originals() {
    let seeds = read_seed_texts(&[repo_root().join("examples/seeds")]).unwrap();
    assert!(seeds.len() >= 3, "examples/seeds should hold 3-4 texts");
    let (shared, mean_bytes) = shared_original_pairs(&seeds, 1000);
    // 499,500 pairs of originals: chance collisions stay in the single digits.
    assert!(shared <= 10, "{shared} shared 5-gram pairs");
    assert!((3000.0..4200.0).contains(&mean_bytes), "{mean_bytes}");
}

#[test]
fn shared_seeds_when_present() {
    let dir = repo_root().join("../shared/data/seeds");
    if !dir.is_dir() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    let seeds = read_seed_texts(&[dir]).unwrap();
    let (shared, _) = shared_original_pairs(&seeds, 500);
    assert!(shared <= 10, "{shared} shared 5-gram pairs");
}

#[test]
fn example_news_has_the_documented_relations() {
    let path = repo_root().join("examples/news/articles.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut docs: HashMap<String, String> = HashMap::new();
    let mut dates: HashMap<String, String> = HashMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in ["id", "site", "date", "url", "title", "text"] {
            assert!(v[key].is_string(), "{key} in {line}");
        }
        assert!(v["site"].as_str().unwrap().ends_with(".example"));
        let body = v["text"].as_str().unwrap().to_string();
        let n = words(&body).len();
        assert!((150..=400).contains(&n), "{} has {n} words", v["id"]);
        let id = v["id"].as_str().unwrap().to_string();
        dates.insert(id.clone(), v["date"].as_str().unwrap().to_string());
        docs.insert(id, body);
    }
    assert_eq!(docs.len(), 17);
    let d = |id: &str| docs[id].as_str();
    // Exact copies: byte-identical, and identical after normalisation.
    assert_eq!(d("a01"), d("a02"));
    assert_ne!(d("a01"), d("a03"));
    assert_eq!(words(d("a01")), words(d("a03")));
    // Near-duplicates.
    for (a, b) in [("a04", "a05"), ("a06", "a07")] {
        let j = jaccard(d(a), d(b), 5);
        assert!((0.7..0.95).contains(&j), "{a}/{b}: {j}");
    }
    // Truncation; a partial copy padded with boilerplate: the first three paragraphs
    // of a08, and far from a near-duplicate.
    assert!(d("a06").starts_with(d("a11")) && d("a11").len() < d("a06").len());
    let kept: Vec<&str> = d("a08").split("\n\n").take(3).collect();
    assert!(d("a10").contains(&kept.join("\n\n")));
    assert!(!d("a10").contains(d("a08")));
    assert!(jaccard(d("a08"), d("a10"), 5) < 0.6);
    // Same subject, different stories: a few shared phrases at most.
    assert!(jaccard(d("a08"), d("a09"), 5) < 0.05);
    // The rewrite and the independent version share almost no word sequence with the
    // dispatch, as in the founding case (1-5% of 5-grams at most), but its figures.
    for other in ["a15", "a16"] {
        let j = jaccard(d("a14"), d(other), 5);
        assert!(j < 0.06, "a14/{other}: {j}");
        for figure in ["350", "4,20", "1997", "914", "Hélène Marchetti"] {
            assert!(d(other).contains(figure), "{other} lacks {figure}");
        }
    }
    assert!(d("a15").ends_with("Article original publié sur courrier-vionne.example"));
    // The column quotes a01's quote verbatim and shares nothing else of it.
    let quote = &d("a01")[d("a01").find("\"Nobody wants").unwrap()..];
    let quote = &quote[..quote.find("take.\"").unwrap() + "take.\"".len()];
    assert!(d("a17").contains(quote));
    assert!(jaccard(d("a01"), d("a17"), 5) < 0.2);
    // Originals come first.
    for (original, copies) in [
        ("a01", &["a02", "a03"][..]),
        ("a04", &["a05"]),
        ("a06", &["a07", "a11"]),
        ("a08", &["a10"]),
        ("a14", &["a15"]),
    ] {
        for copy in copies {
            assert!(dates[original] <= dates[*copy], "{original} after {copy}");
        }
    }
    // Unrelated articles share nothing with the others.
    for id in ["a12", "a13"] {
        for (other, body) in &docs {
            if other != id {
                assert!(jaccard(d(id), body, 5) < 0.01, "{id}/{other}");
            }
        }
    }
}
