//! Tests of the generator's guarantees: determinism, distinct originals, one property per
//! copy kind, a consistent gold.

use std::collections::{HashMap, HashSet};

use super::*;
use crate::text::{jaccard, shingles, words};

/// A small bilingual seed written for these tests (well under 2000 distinct words, so it
/// also exercises the pseudo-word extension).
const SEED_EN: &str = "The council met on Tuesday evening to discuss the new bridge over the \
river. Residents asked why the works had been delayed for a second year, and the mayor \
promised a public report before the summer. Engineers said the foundations needed more \
time because the ground near the old mill was softer than expected. Local shops have \
complained that traffic diversions keep customers away from the high street.";
const SEED_FR: &str = "Le conseil municipal s'est réuni mardi soir pour examiner le projet \
de nouvelle médiathèque. Plusieurs habitants ont demandé pourquoi le chantier avait pris \
du retard, et la maire a promis un rapport détaillé avant l'été. Selon les architectes, \
le bâtiment devrait accueillir une salle de lecture, un espace numérique et un auditorium \
de deux cents places.";

fn seeds() -> Vec<String> {
    vec![SEED_EN.to_string(), SEED_FR.to_string()]
}

fn opts(docs: usize, seed: u64) -> GenOptions {
    GenOptions {
        docs,
        seed,
        ..GenOptions::default()
    }
}

/// Word-level Levenshtein distance.
fn edit_distance(a: &[String], b: &[String]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, wa) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, wb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(wa != wb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn by_id(corpus: &[(GenDoc, GoldEntry)]) -> HashMap<&str, (&GenDoc, &GoldEntry)> {
    corpus
        .iter()
        .map(|(d, g)| (d.id.as_str(), (d, g)))
        .collect()
}

#[test]
fn same_seed_same_corpus_other_seed_other_corpus() {
    let a = generate(&seeds(), &opts(60, 7)).unwrap();
    let b = generate(&seeds(), &opts(60, 7)).unwrap();
    assert_eq!(a, b);
    let c = generate(&seeds(), &opts(60, 8)).unwrap();
    assert_ne!(a, c);
    // Seed order does not matter (the vocabulary is sorted).
    let rev: Vec<String> = seeds().into_iter().rev().collect();
    assert_eq!(a, generate(&rev, &opts(60, 7)).unwrap());
}

#[test]
fn streaming_matches_collecting() {
    let it = generate_iter(&seeds(), &opts(25, 3)).unwrap();
    assert_eq!(it.len(), 25);
    assert_eq!(it.originals() + it.copies(), 25);
    assert_eq!(it.originals(), 12); // round(25 * 0.5) = 13 copies
    assert_eq!(it.vocabulary().len(), vocab::SYNTHETIC_TARGET);
    let streamed: Vec<_> = it.collect();
    assert_eq!(streamed, generate(&seeds(), &opts(25, 3)).unwrap());
}

#[test]
fn originals_share_no_five_grams_beyond_chance() {
    let o = GenOptions {
        copy_fraction: 0.0,
        style: TextStyle::Words,
        ..opts(300, 11)
    };
    let corpus = generate(&seeds(), &o).unwrap();
    assert!(corpus.iter().all(|(_, g)| g.kind == ORIGINAL_KIND));
    // Document frequency of every 5-gram; a 5-gram in k originals makes C(k,2) shared pairs.
    let mut df: HashMap<String, u32> = HashMap::new();
    let mut total = 0usize;
    for (doc, _) in &corpus {
        let s = shingles(&words(&doc.text), 5);
        total += s.len();
        for g in s {
            *df.entry(g).or_insert(0) += 1;
        }
    }
    let shared_pairs: u64 = df
        .values()
        .map(|&k| u64::from(k) * u64::from(k.saturating_sub(1)) / 2)
        .sum();
    // ~180,000 five-grams over 44,850 pairs of originals: chance leaves a handful at most.
    assert!(total > 150_000, "{total}");
    assert!(shared_pairs <= 5, "{shared_pairs} shared 5-gram pairs");
}

#[test]
fn default_lengths_are_news_sized() {
    for style in TextStyle::ALL {
        let o = GenOptions {
            copy_fraction: 0.0,
            style,
            ..opts(200, 5)
        };
        let corpus = generate(&seeds(), &o).unwrap();
        let mean_bytes =
            corpus.iter().map(|(d, _)| d.text.len()).sum::<usize>() as f64 / corpus.len() as f64;
        eprintln!("{style:?}: mean original {mean_bytes:.0} bytes");
        assert!((3000.0..4800.0).contains(&mean_bytes), "{mean_bytes}");
        // Press originals may add up to two quotes and a background paragraph.
        let most = if style == TextStyle::Words { 960 } else { 1100 };
        for (d, _) in &corpus {
            let n = words(&d.text).len();
            assert!((350..=most).contains(&n), "{n}");
            for para in d.text.split("\n\n") {
                assert!(para.ends_with('.'));
                assert!(para.chars().next().is_some_and(|c| !c.is_lowercase()));
            }
        }
    }
}

#[test]
fn press_originals_share_phrases_and_quotes_by_chance_but_are_not_copies() {
    let o = GenOptions {
        copy_fraction: 0.0,
        ..opts(300, 11)
    };
    assert_eq!(o.style, TextStyle::Press, "press is the default");
    let corpus = generate(&seeds(), &o).unwrap();
    let sets: Vec<HashSet<String>> = corpus
        .iter()
        .map(|(d, _)| shingles(&words(&d.text), 5))
        .collect();
    let mut df: HashMap<&str, u32> = HashMap::new();
    for s in &sets {
        for g in s {
            *df.entry(g.as_str()).or_insert(0) += 1;
        }
    }
    let shared_pairs: u64 = df
        .values()
        .map(|&k| u64::from(k) * u64::from(k - 1) / 2)
        .sum();
    assert!(shared_pairs > 10_000, "chance overlap: {shared_pairs}");
    // Yet no two originals are near-duplicates of each other.
    let mut most = 0.0f64;
    for i in 0..sets.len() {
        for j in i + 1..sets.len() {
            let inter = sets[i].intersection(&sets[j]).count() as f64;
            let union = (sets[i].len() + sets[j].len()) as f64 - inter;
            most = most.max(inter / union);
        }
    }
    assert!(most < 0.2, "5-gram Jaccard of two originals: {most}");
    // A quotation is printed by more than one original.
    let quotes: Vec<&str> = corpus
        .iter()
        .flat_map(|(d, _)| d.text.split('«').skip(1))
        .filter_map(|q| q.split('»').next())
        .collect();
    let mut seen: HashMap<&str, u32> = HashMap::new();
    for q in &quotes {
        *seen.entry(q).or_insert(0) += 1;
    }
    assert!(seen.values().any(|&n| n >= 2), "{} quotes", quotes.len());
}

#[test]
fn every_copy_kind_has_its_property() {
    let corpus = generate(&seeds(), &opts(600, 21)).unwrap();
    let index = by_id(&corpus);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut near_j = Vec::new();
    for (doc, gold) in &corpus {
        *seen.entry(gold.kind.clone()).or_insert(0) += 1;
        if gold.kind == ORIGINAL_KIND {
            continue;
        }
        let (orig, _) = index[gold.cluster.as_str()];
        let ow = words(&orig.text);
        let cw = words(&doc.text);
        match gold.kind.as_str() {
            "exact" => assert_eq!(ow, cw, "{}", doc.id),
            "near" => {
                let d = edit_distance(&ow, &cw);
                // 1-3% word edits plus at most one dropped sentence (<= 30 words).
                assert!(d >= 1, "{}", doc.id);
                assert!(d <= ow.len() * 3 / 100 + 32, "{} {d}", doc.id);
                near_j.push(jaccard(&orig.text, &doc.text, 5));
            }
            "boilerplate" => {
                assert!(doc.text.contains(&orig.text), "{}", doc.id);
                let site = SITES.iter().find(|s| s.name == doc.site).unwrap();
                let extra = doc.text.replacen(&orig.text, "", 1);
                for line in extra.lines().filter(|l| !l.is_empty()) {
                    assert!(
                        site.header.contains(&line) || site.footer.contains(&line),
                        "{line}"
                    );
                }
            }
            "truncated" => {
                assert!(cw.len() < ow.len() && !cw.is_empty(), "{}", doc.id);
                assert_eq!(&ow[..cw.len()], &cw[..], "{}", doc.id);
                assert!(orig.text.starts_with(&doc.text));
            }
            "partial" => {
                let oparas: Vec<&str> = orig.text.split("\n\n").collect();
                let cparas: Vec<&str> = doc.text.split("\n\n").collect();
                let hits: Vec<usize> = oparas
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| cparas.contains(p))
                    .map(|(i, _)| i)
                    .collect();
                assert!(
                    hits.len() >= 2.min(oparas.len()) && hits.len() <= 4,
                    "{hits:?}"
                );
                assert!(hits.windows(2).all(|w| w[1] == w[0] + 1), "{hits:?}");
                // The rest is new text, and there is some of it.
                assert!(cparas.len() > hits.len());
            }
            other => panic!("unexpected kind {other}"),
        }
    }
    // 300 copies round-robin over 5 kinds: 60 each.
    for k in CopyKind::ALL {
        assert_eq!(seen.get(k.as_str()), Some(&60), "{k}");
    }
    let mean = near_j.iter().sum::<f64>() / near_j.len() as f64;
    let min = near_j.iter().cloned().fold(1.0, f64::min);
    eprintln!("near copies: mean 5-gram Jaccard {mean:.3}, min {min:.3}");
    assert!((0.75..0.95).contains(&mean), "mean near Jaccard {mean}");
    assert!(min > 0.5, "min near Jaccard {min}");
}

#[test]
fn gold_is_consistent() {
    let n = 500;
    let corpus = generate(&seeds(), &opts(n, 9)).unwrap();
    assert_eq!(corpus.len(), n);
    let index = by_id(&corpus);
    assert_eq!(index.len(), n, "ids are unique");
    let mut adjacent = 0;
    for (pos, (doc, gold)) in corpus.iter().enumerate() {
        assert_eq!(doc.id, format!("doc-{pos:06}"));
        assert_eq!(doc.id, gold.id);
        assert_eq!(doc.date.len(), 10);
        if gold.kind == ORIGINAL_KIND {
            assert_eq!(gold.cluster, gold.id);
            assert_eq!(gold.source, None);
            continue;
        }
        assert!(gold.kind.parse::<CopyKind>().is_ok());
        assert_eq!(gold.source.as_deref(), Some(gold.cluster.as_str()));
        let (orig, ogold) = index[gold.cluster.as_str()];
        assert_eq!(ogold.kind, ORIGINAL_KIND);
        assert!(doc.date > orig.date, "copy dated after its original");
        assert_ne!(doc.site, orig.site);
        let opos: usize = orig.id["doc-".len()..].parse().unwrap();
        if opos.abs_diff(pos) == 1 {
            adjacent += 1;
        }
    }
    let copies = corpus
        .iter()
        .filter(|(_, g)| g.kind != ORIGINAL_KIND)
        .count();
    assert_eq!(copies, 250);
    assert!(adjacent < 10, "{adjacent} copies next to their original");
}

#[test]
fn boilerplate_links_unrelated_copies_of_one_site() {
    // The trap: two padded copies of different originals on the same site share lines.
    let o = GenOptions {
        kinds: vec![CopyKind::Boilerplate],
        ..opts(200, 4)
    };
    let corpus = generate(&seeds(), &o).unwrap();
    let mut by_site: HashMap<&str, Vec<&GoldEntry>> = HashMap::new();
    let docs = by_id(&corpus);
    for (d, g) in &corpus {
        if g.kind == "boilerplate" {
            by_site.entry(d.site.as_str()).or_default().push(g);
        }
    }
    let mut trap_pairs = 0;
    for group in by_site.values() {
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                if a.cluster == b.cluster {
                    continue;
                }
                let la: HashSet<&str> = docs[a.id.as_str()].0.text.lines().collect();
                let shared = docs[b.id.as_str()]
                    .0
                    .text
                    .lines()
                    .filter(|l| l.len() > 20 && la.contains(l))
                    .count();
                if shared >= 3 {
                    trap_pairs += 1;
                }
            }
        }
    }
    assert!(trap_pairs > 100, "{trap_pairs}");
}

#[test]
fn options_are_validated() {
    let bad = |o: GenOptions| generate_iter(&seeds(), &o).unwrap_err();
    assert!(matches!(
        bad(GenOptions {
            copy_fraction: 1.0,
            ..opts(10, 1)
        }),
        GenError::InvalidOptions(_)
    ));
    assert!(matches!(
        bad(GenOptions {
            copy_fraction: f64::NAN,
            ..opts(10, 1)
        }),
        GenError::InvalidOptions(_)
    ));
    assert!(matches!(
        bad(GenOptions {
            min_words: 10,
            max_words: 5,
            ..opts(10, 1)
        }),
        GenError::InvalidOptions(_)
    ));
    assert!(matches!(
        bad(GenOptions {
            kinds: vec![],
            ..opts(10, 1)
        }),
        GenError::InvalidOptions(_)
    ));
    assert!(matches!(
        generate_iter(&["?!".to_string()], &opts(10, 1)).unwrap_err(),
        GenError::NoSeedWords
    ));
    // No kinds is fine when no copy is asked for; zero documents is an empty corpus.
    let o = GenOptions {
        kinds: vec![],
        copy_fraction: 0.0,
        ..opts(3, 1)
    };
    assert_eq!(generate(&seeds(), &o).unwrap().len(), 3);
    assert!(generate(&seeds(), &opts(0, 1)).unwrap().is_empty());
    // One document is always an original.
    let one = generate(&seeds(), &opts(1, 1)).unwrap();
    assert_eq!(one[0].1.kind, ORIGINAL_KIND);
}

#[test]
fn tiny_originals_still_make_every_kind() {
    let o = GenOptions {
        min_words: 1,
        max_words: 12,
        ..opts(200, 2)
    };
    let corpus = generate(&seeds(), &o).unwrap();
    let index = by_id(&corpus);
    for (doc, gold) in &corpus {
        assert!(!doc.text.trim().is_empty(), "{}", doc.id);
        if gold.kind == "exact" || gold.kind == "boilerplate" {
            let (orig, _) = index[gold.cluster.as_str()];
            assert!(words(&doc.text).len() >= words(&orig.text).len());
        }
    }
}

#[test]
fn kinds_parse_and_serialise_in_snake_case() {
    assert_eq!("Exact".parse::<CopyKind>().unwrap(), CopyKind::Exact);
    assert_eq!(" partial ".parse::<CopyKind>().unwrap(), CopyKind::Partial);
    assert!(matches!(
        "bogus".parse::<CopyKind>().unwrap_err(),
        GenError::UnknownKind(_)
    ));
    assert_eq!(
        serde_json::to_string(&CopyKind::Boilerplate).unwrap(),
        "\"boilerplate\""
    );
    for k in CopyKind::ALL {
        let json = serde_json::to_string(&k).unwrap();
        assert_eq!(json, format!("\"{k}\""));
        assert_eq!(serde_json::from_str::<CopyKind>(&json).unwrap(), k);
    }
}

#[test]
fn gold_and_docs_serialise_with_the_documented_fields() {
    let corpus = generate(&seeds(), &opts(4, 1)).unwrap();
    let (doc, gold) = &corpus[0];
    let d: serde_json::Value = serde_json::to_value(doc).unwrap();
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 4);
    for k in ["id", "text", "date", "site"] {
        assert!(keys.contains(&k));
    }
    let g: serde_json::Value = serde_json::to_value(gold).unwrap();
    for k in ["id", "cluster", "kind", "source"] {
        assert!(g.get(k).is_some(), "{k}");
    }
    // "source" may be absent when reading gold written by someone else.
    let back: GoldEntry =
        serde_json::from_str(r#"{"id":"a","cluster":"a","kind":"original"}"#).unwrap();
    assert_eq!(back.source, None);
}

#[test]
fn dates() {
    assert_eq!(days_from_civil(1970, 1, 1), 0);
    assert_eq!(civil_from_days(0), (1970, 1, 1));
    assert_eq!(date_string(0), "2023-01-01");
    assert_eq!(date_string(59), "2023-03-01");
    assert_eq!(date_string(424), "2024-02-29");
    assert_eq!(date_string(730), "2024-12-31"); // 2024 is a leap year
    assert_eq!(date_string(731), "2025-01-01");
    for z in -1000..100_000 {
        let (y, m, d) = civil_from_days(z);
        assert_eq!(days_from_civil(y, m, d), z);
    }
}
