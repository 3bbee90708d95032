//! Scoring a predicted clustering against a gold file.
//!
//! # Metrics
//! - **Pairwise precision / recall / F1**: a pair of documents is *gold* when both are in
//!   the same gold cluster and *predicted* when both have the same predicted label;
//!   precision = correct / predicted pairs, recall = correct / gold pairs.
//! - **Adjusted Rand index** (Hubert & Arabie 1985): agreement on all pairs, corrected for
//!   chance; 1 for identical partitions, about 0 for a random one, negative when worse than
//!   chance.
//! - **Recall per copy kind**: for every gold document whose kind is not `original`, is it
//!   predicted in the same cluster as its gold `cluster` original? This answers "which kinds
//!   of reuse does the engine find" independently of how the clusters are shaped.
//!
//! # Why contingency counts
//! Nothing here enumerates pairs. With `n_ij` documents in gold cluster `i` and predicted
//! cluster `j`, `a_i = Σ_j n_ij`, `b_j = Σ_i n_ij`:
//! correct pairs `= Σ C(n_ij, 2)`, gold pairs `= Σ C(a_i, 2)`, predicted pairs
//! `= Σ C(b_j, 2)`, and the ARI is `(Σ C(n_ij,2) − E) / (½(Σ C(a_i,2) + Σ C(b_j,2)) − E)`
//! with `E = Σ C(a_i,2) · Σ C(b_j,2) / C(n, 2)`. That is one hash-map pass over the
//! documents, so millions of documents (and clusters of hundreds of thousands, whose pairs
//! alone would not fit in memory) cost seconds.
//!
//! # Conventions
//! - Only gold documents are scored. Predicted ids absent from the gold are counted
//!   (`extra`) and ignored; gold ids absent from the predictions are counted (`missing`)
//!   and scored as singletons, which is what an engine that silently dropped them did.
//! - A gold id listed twice is scored once (its first entry) and counted.
//! - With no predicted pair, precision is 1 (nothing was claimed, so nothing was wrong);
//!   with no gold pair, recall is 1. When either partition has no pair and both are equal,
//!   the ARI is 1 (the formula's 0/0 happens only for identical partitions).
//! - For per-kind recall, when a document's gold `cluster` is not itself a gold id (a gold
//!   file that names clusters rather than originals), the document counts as found when it
//!   shares its predicted cluster with any other member of its gold cluster.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::BufRead;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::generate::{GoldEntry, ORIGINAL_KIND};

/// Recall for one copy kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindRecall {
    /// Gold documents of this kind.
    pub total: usize,
    /// Of those, how many are predicted together with their original.
    pub found: usize,
    /// `found / total` (1 when `total` is 0).
    pub recall: f64,
}

/// The scores of one predicted clustering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    /// Gold documents scored (distinct ids).
    pub docs: usize,
    /// Distinct gold clusters among them.
    pub gold_clusters: usize,
    /// Distinct predicted clusters among them (each missing document is its own).
    pub predicted_clusters: usize,
    /// Gold ids without a prediction (scored as singletons).
    pub missing: usize,
    /// Predicted ids that are not in the gold (ignored).
    pub extra: usize,
    /// Gold ids listed more than once (scored once).
    pub duplicate_gold_ids: usize,
    /// Pairs of documents in the same gold cluster.
    pub gold_pairs: u64,
    /// Pairs of documents in the same predicted cluster.
    pub predicted_pairs: u64,
    /// Pairs in the same cluster in both.
    pub correct_pairs: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Adjusted Rand index.
    pub ari: f64,
    /// Recall per copy kind (every gold kind except `original`), by kind name.
    pub per_kind: BTreeMap<String, KindRecall>,
}

/// Why a gold or prediction file could not be read.
///
/// The underlying I/O or JSON error is the [`std::error::Error::source`], not part of the
/// message, so that error chains (`anyhow`'s `{:#}`) print it once.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("line {line}")]
    Io {
        line: usize,
        #[source]
        source: std::io::Error,
    },
    #[error("line {line}: invalid JSON")]
    Json {
        line: usize,
        #[source]
        source: serde_json::Error,
    },
    #[error("line {line}: {message}")]
    Format { line: usize, message: String },
}

fn comb2(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Scores `predicted` (document id → predicted cluster label) against `gold`.
pub fn evaluate(gold: &[GoldEntry], predicted: &HashMap<String, String>) -> EvalReport {
    let mut gold_ix: HashMap<&str, u32> = HashMap::new();
    let mut pred_ix: HashMap<&str, u32> = HashMap::new();
    let mut next_pred: u32 = 0;
    let mut cells: HashMap<(u32, u32), u64> = HashMap::new();
    let mut rows: Vec<u64> = Vec::new();
    let mut cols: Vec<u64> = Vec::new();
    // id -> (gold cluster index, predicted cluster index)
    let mut doc_cells: HashMap<&str, (u32, u32)> = HashMap::with_capacity(gold.len());
    let mut firsts: Vec<&GoldEntry> = Vec::with_capacity(gold.len());
    let mut missing = 0;
    let mut duplicate_gold_ids = 0;

    for g in gold {
        if doc_cells.contains_key(g.id.as_str()) {
            duplicate_gold_ids += 1;
            continue;
        }
        let gi = *gold_ix.entry(g.cluster.as_str()).or_insert_with(|| {
            rows.push(0);
            (rows.len() - 1) as u32
        });
        let pj = match predicted.get(&g.id) {
            Some(label) => *pred_ix.entry(label.as_str()).or_insert_with(|| {
                next_pred += 1;
                cols.push(0);
                next_pred - 1
            }),
            None => {
                missing += 1;
                next_pred += 1;
                cols.push(0);
                next_pred - 1
            }
        };
        rows[gi as usize] += 1;
        cols[pj as usize] += 1;
        *cells.entry((gi, pj)).or_insert(0) += 1;
        doc_cells.insert(g.id.as_str(), (gi, pj));
        firsts.push(g);
    }

    let docs = firsts.len();
    let extra = predicted
        .keys()
        .filter(|id| !doc_cells.contains_key(id.as_str()))
        .count();
    let correct_pairs: u64 = cells.values().map(|&n| comb2(n)).sum();
    let gold_pairs: u64 = rows.iter().map(|&n| comb2(n)).sum();
    let predicted_pairs: u64 = cols.iter().map(|&n| comb2(n)).sum();

    let precision = ratio_or_one(correct_pairs, predicted_pairs);
    let recall = ratio_or_one(correct_pairs, gold_pairs);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let ari = adjusted_rand(correct_pairs, gold_pairs, predicted_pairs, docs as u64);

    let mut per_kind: BTreeMap<String, KindRecall> = BTreeMap::new();
    for g in &firsts {
        if g.kind == ORIGINAL_KIND {
            continue;
        }
        let (gi, pj) = doc_cells[g.id.as_str()];
        let found = match doc_cells.get(g.cluster.as_str()) {
            Some(&(_, orig_pj)) if g.cluster != g.id => orig_pj == pj,
            _ => cells.get(&(gi, pj)).copied().unwrap_or(0) >= 2,
        };
        let k = per_kind.entry(g.kind.clone()).or_insert(KindRecall {
            total: 0,
            found: 0,
            recall: 1.0,
        });
        k.total += 1;
        k.found += usize::from(found);
    }
    for k in per_kind.values_mut() {
        k.recall = ratio_or_one(k.found as u64, k.total as u64);
    }

    EvalReport {
        docs,
        gold_clusters: rows.len(),
        predicted_clusters: cols.len(),
        missing,
        extra,
        duplicate_gold_ids,
        gold_pairs,
        predicted_pairs,
        correct_pairs,
        precision,
        recall,
        f1,
        ari,
        per_kind,
    }
}

fn ratio_or_one(num: u64, den: u64) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

fn adjusted_rand(correct: u64, gold: u64, predicted: u64, n: u64) -> f64 {
    let total = comb2(n) as f64;
    if total == 0.0 {
        return 1.0;
    }
    let expected = gold as f64 * predicted as f64 / total;
    let max = (gold as f64 + predicted as f64) / 2.0;
    let den = max - expected;
    if den.abs() < f64::EPSILON * max.max(1.0) {
        // Only identical partitions (all singletons, or one cluster) reach 0/0.
        1.0
    } else {
        (correct as f64 - expected) / den
    }
}

impl EvalReport {
    /// The report as a JSON object (the same fields as the struct).
    pub fn to_json(&self) -> Value {
        let per_kind: serde_json::Map<String, Value> = self
            .per_kind
            .iter()
            .map(|(k, r)| {
                (
                    k.clone(),
                    json!({"total": r.total, "found": r.found, "recall": r.recall}),
                )
            })
            .collect();
        json!({
            "docs": self.docs,
            "gold_clusters": self.gold_clusters,
            "predicted_clusters": self.predicted_clusters,
            "missing": self.missing,
            "extra": self.extra,
            "duplicate_gold_ids": self.duplicate_gold_ids,
            "gold_pairs": self.gold_pairs,
            "predicted_pairs": self.predicted_pairs,
            "correct_pairs": self.correct_pairs,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "ari": self.ari,
            "per_kind": per_kind,
        })
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "documents      {:>10}   gold clusters {}, predicted clusters {}",
            self.docs, self.gold_clusters, self.predicted_clusters
        )?;
        if self.missing > 0 || self.extra > 0 || self.duplicate_gold_ids > 0 {
            writeln!(
                f,
                "               {} gold ids without prediction (scored as singletons), {} predicted ids not in gold (ignored), {} duplicate gold ids",
                self.missing, self.extra, self.duplicate_gold_ids
            )?;
        }
        writeln!(
            f,
            "pairs          gold {}, predicted {}, correct {}",
            self.gold_pairs, self.predicted_pairs, self.correct_pairs
        )?;
        writeln!(f, "precision      {:>10.4}", self.precision)?;
        writeln!(f, "recall         {:>10.4}", self.recall)?;
        writeln!(f, "F1             {:>10.4}", self.f1)?;
        writeln!(f, "adjusted Rand  {:>10.4}", self.ari)?;
        if !self.per_kind.is_empty() {
            writeln!(f, "recall by copy kind")?;
            for (kind, r) in &self.per_kind {
                writeln!(
                    f,
                    "  {:<12} {:>10.4}   ({}/{})",
                    kind, r.recall, r.found, r.total
                )?;
            }
        }
        Ok(())
    }
}

/// Non-blank lines of `reader` with their 1-based line numbers.
fn lines<R: BufRead>(reader: R) -> impl Iterator<Item = Result<(usize, String), EvalError>> {
    reader
        .lines()
        .enumerate()
        .map(|(i, l)| {
            l.map(|s| (i + 1, s)).map_err(|source| EvalError::Io {
                line: i + 1,
                source,
            })
        })
        .filter(|r| !matches!(r, Ok((_, s)) if s.trim().is_empty()))
}

/// Reads a gold JSONL file (`{"id","cluster","kind","source"}` per line; `source` may be
/// absent). Blank lines are skipped.
pub fn read_gold<R: BufRead>(reader: R) -> Result<Vec<GoldEntry>, EvalError> {
    lines(reader)
        .map(|r| {
            let (line, s) = r?;
            serde_json::from_str(&s).map_err(|source| EvalError::Json { line, source })
        })
        .collect()
}

/// Reads predictions from JSONL lines with at least `"id"` (a string, or an integer taken
/// as its decimal text) and `"cluster"` (an integer or a string, used as a label; `null`
/// means "in no cluster" and makes the document a singleton). Other fields are ignored.
/// A repeated id is an error: it means the prediction file is not one clustering.
pub fn read_predictions<R: BufRead>(reader: R) -> Result<HashMap<String, String>, EvalError> {
    read_predictions_of(reader, "cluster")
}

/// [`read_predictions`] with the label in field `field` (`"story"` scores a scan's
/// second level of grouping).
pub fn read_predictions_of<R: BufRead>(
    reader: R,
    field: &str,
) -> Result<HashMap<String, String>, EvalError> {
    let mut out = HashMap::new();
    for r in lines(reader) {
        let (line, s) = r?;
        let v: Value =
            serde_json::from_str(&s).map_err(|source| EvalError::Json { line, source })?;
        let bad = |message: String| EvalError::Format { line, message };
        let obj = v
            .as_object()
            .ok_or_else(|| bad("expected a JSON object".to_string()))?;
        let id = match obj.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
            Some(other) => return Err(bad(format!("\"id\" must be a string, got {other}"))),
            None => return Err(bad("missing \"id\"".to_string())),
        };
        let label = match obj.get(field) {
            Some(Value::String(s)) => format!("s:{s}"),
            Some(Value::Number(n)) => format!("s:{n}"),
            // A label no string or number cluster can produce: the document stands alone.
            Some(Value::Null) => format!("\u{0}singleton:{id}"),
            Some(other) => {
                return Err(bad(format!(
                    "\"{field}\" must be an integer or a string, got {other}"
                )))
            }
            None => return Err(bad(format!("missing \"{field}\" for id {id:?}"))),
        };
        if out.insert(id.clone(), label).is_some() {
            return Err(bad(format!("id {id:?} appears twice")));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(rows: &[(&str, &str, &str)]) -> Vec<GoldEntry> {
        rows.iter()
            .map(|(id, cluster, kind)| GoldEntry {
                id: id.to_string(),
                cluster: cluster.to_string(),
                kind: kind.to_string(),
                source: (id != cluster).then(|| cluster.to_string()),
                story: None,
            })
            .collect()
    }

    fn pred(rows: &[(&str, &str)]) -> HashMap<String, String> {
        rows.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    /// Gold {a,b} {c,d} against predicted {a,b} {c} {d}: a textbook example whose ARI is
    /// 4/7 (correct pairs 1, gold pairs 2, predicted pairs 1, all pairs 6:
    /// E = 2·1/6 = 1/3, ARI = (1 − 1/3) / (1.5 − 1/3) = 4/7).
    #[test]
    fn known_ari_value() {
        let g = gold(&[
            ("a", "a", "original"),
            ("b", "a", "exact"),
            ("c", "c", "original"),
            ("d", "c", "near"),
        ]);
        let p = pred(&[("a", "0"), ("b", "0"), ("c", "1"), ("d", "2")]);
        let r = evaluate(&g, &p);
        assert!(close(r.ari, 4.0 / 7.0), "{}", r.ari);
        assert_eq!(
            (r.gold_pairs, r.predicted_pairs, r.correct_pairs),
            (2, 1, 1)
        );
        assert!(close(r.precision, 1.0));
        assert!(close(r.recall, 0.5));
        assert!(close(r.f1, 2.0 / 3.0));
        assert_eq!(r.per_kind["exact"].found, 1);
        assert_eq!(r.per_kind["near"].found, 0);
        assert!(close(r.per_kind["near"].recall, 0.0));
        assert_eq!((r.gold_clusters, r.predicted_clusters), (2, 3));
    }

    #[test]
    fn perfect_clustering_scores_one_whatever_the_labels() {
        let g = gold(&[
            ("a", "a", "original"),
            ("b", "a", "exact"),
            ("c", "a", "partial"),
            ("d", "d", "original"),
            ("e", "e", "original"),
            ("f", "e", "truncated"),
        ]);
        let p = pred(&[
            ("a", "x"),
            ("b", "x"),
            ("c", "x"),
            ("d", "7"),
            ("e", "y"),
            ("f", "y"),
        ]);
        let r = evaluate(&g, &p);
        for v in [r.precision, r.recall, r.f1, r.ari] {
            assert!(close(v, 1.0), "{r}");
        }
        assert!(r.per_kind.values().all(|k| k.recall == 1.0 && k.total == 1));
        assert_eq!(r.missing, 0);
    }

    /// All singletons against gold with pairs: no pair claimed (precision 1 by convention),
    /// none found (recall 0, F1 0), and an ARI of exactly 0 (E = 0 and correct = 0).
    #[test]
    fn all_singletons() {
        let g = gold(&[
            ("a", "a", "original"),
            ("b", "a", "exact"),
            ("c", "a", "near"),
            ("d", "d", "original"),
        ]);
        let p = pred(&[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")]);
        let r = evaluate(&g, &p);
        assert_eq!(r.predicted_pairs, 0);
        assert!(close(r.precision, 1.0));
        assert!(close(r.recall, 0.0));
        assert!(close(r.f1, 0.0));
        assert!(close(r.ari, 0.0));
        assert_eq!(r.per_kind["exact"].found, 0);
        // Same with no prediction at all: every id missing, scored as singletons.
        let r2 = evaluate(&g, &HashMap::new());
        assert_eq!(r2.missing, 4);
        assert!(close(r2.recall, 0.0) && close(r2.ari, 0.0));
        assert_eq!(r2.predicted_clusters, 4);
    }

    /// Everything in one predicted cluster: recall 1, precision = gold pairs / all pairs.
    #[test]
    fn one_big_cluster() {
        let g = gold(&[
            ("a", "a", "original"),
            ("b", "a", "exact"),
            ("c", "c", "original"),
            ("d", "c", "near"),
        ]);
        let p = pred(&[("a", "0"), ("b", "0"), ("c", "0"), ("d", "0")]);
        let r = evaluate(&g, &p);
        assert!(close(r.recall, 1.0));
        assert!(close(r.precision, 2.0 / 6.0));
        // E = 2·6/6 = 2, max = 4, ARI = (2 − 2)/(4 − 2) = 0.
        assert!(close(r.ari, 0.0));
    }

    /// Both partitions all singletons: identical, so ARI 1 (the 0/0 case).
    #[test]
    fn identical_singletons_and_tiny_inputs() {
        let g = gold(&[("a", "a", "original"), ("b", "b", "original")]);
        let r = evaluate(&g, &pred(&[("a", "1"), ("b", "2")]));
        assert!(close(r.ari, 1.0) && close(r.precision, 1.0) && close(r.recall, 1.0));
        assert!(r.per_kind.is_empty());
        let r = evaluate(&[], &HashMap::new());
        assert_eq!(r.docs, 0);
        assert!(close(r.ari, 1.0));
    }

    /// ARI below zero: a clustering that pairs exactly the documents the gold separates.
    /// Gold {a,b} {c,d}, predicted {a,c} {b,d}: correct 0, gold 2, predicted 2, all 6:
    /// E = 4/6, ARI = (0 − 2/3) / (2 − 2/3) = −1/2.
    #[test]
    fn worse_than_chance_is_negative() {
        let g = gold(&[
            ("a", "a", "original"),
            ("b", "a", "exact"),
            ("c", "c", "original"),
            ("d", "c", "exact"),
        ]);
        let r = evaluate(&g, &pred(&[("a", "0"), ("c", "0"), ("b", "1"), ("d", "1")]));
        assert!(close(r.ari, -0.5), "{}", r.ari);
        assert!(close(r.precision, 0.0) && close(r.f1, 0.0));
    }

    #[test]
    fn missing_extra_and_duplicates_are_counted() {
        let mut g = gold(&[
            ("a", "a", "original"),
            ("b", "a", "exact"),
            ("c", "a", "near"),
        ]);
        g.push(g[1].clone());
        // "c" missing: a singleton, so not found with its original.
        let p = pred(&[("a", "0"), ("b", "0"), ("zz", "0")]);
        let r = evaluate(&g, &p);
        assert_eq!(
            (r.docs, r.missing, r.extra, r.duplicate_gold_ids),
            (3, 1, 1, 1)
        );
        assert_eq!(r.per_kind["near"].found, 0);
        assert_eq!(r.per_kind["exact"].found, 1);
        assert!(close(r.recall, 1.0 / 3.0));
        let text = r.to_string();
        assert!(text.contains("1 gold ids without prediction"), "{text}");
    }

    /// A gold whose clusters are names, not document ids: per-kind recall falls back to
    /// "shares its predicted cluster with another member of its gold cluster".
    #[test]
    fn per_kind_fallback_for_named_clusters() {
        let g = gold(&[
            ("a", "story-1", "original"),
            ("b", "story-1", "near"),
            ("c", "story-2", "original"),
            ("d", "story-2", "near"),
        ]);
        let r = evaluate(&g, &pred(&[("a", "0"), ("b", "0"), ("c", "1"), ("d", "2")]));
        assert_eq!(r.per_kind["near"].found, 1);
        assert_eq!(r.per_kind["near"].total, 2);
    }

    #[test]
    fn large_inputs_do_not_enumerate_pairs() {
        // Half a million documents in 1000 gold clusters, predicted as 2000 half-clusters:
        // 1.2·10^8 gold pairs, which a pair list would have to hold.
        let n = 500_000usize;
        let g: Vec<GoldEntry> = (0..n)
            .map(|i| GoldEntry {
                id: i.to_string(),
                cluster: (i % 1000).to_string(),
                kind: if i < 1000 { "original" } else { "exact" }.to_string(),
                source: None,
                story: None,
            })
            .collect();
        let p: HashMap<String, String> = (0..n)
            .map(|i| (i.to_string(), (i % 2000).to_string()))
            .collect();
        let r = evaluate(&g, &p);
        let per = (n / 1000) as u64;
        assert_eq!(r.gold_pairs, 1000 * per * (per - 1) / 2);
        assert_eq!(r.correct_pairs, 2000 * (per / 2) * (per / 2 - 1) / 2);
        assert!(r.recall > 0.49 && r.recall < 0.5);
        assert!(close(r.precision, 1.0));
        assert!(r.per_kind["exact"].recall > 0.49 && r.per_kind["exact"].recall < 0.51);
    }

    #[test]
    fn reads_gold_and_predictions() {
        let gold_text =
            "{\"id\":\"a\",\"cluster\":\"a\",\"kind\":\"original\",\"source\":null}\n\n\
            {\"id\":\"b\",\"cluster\":\"a\",\"kind\":\"exact\",\"source\":\"a\"}\n";
        let g = read_gold(gold_text.as_bytes()).unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g[1].source.as_deref(), Some("a"));

        let preds = "{\"id\":\"a\",\"cluster\":3,\"extra\":true}\n\
            {\"id\":\"b\",\"cluster\":\"3\"}\n\
            {\"id\":\"c\",\"cluster\":null}\n\
            {\"id\":7,\"cluster\":0}\n";
        let p = read_predictions(preds.as_bytes()).unwrap();
        assert_eq!(p.len(), 4);
        // 3 and "3" are the same label.
        assert_eq!(p["a"], p["b"]);
        assert_ne!(p["c"], p["a"]);
        assert!(p.contains_key("7"));

        let err = read_gold("{\"id\":\"a\"}\nnot json\n".as_bytes()).unwrap_err();
        assert!(err.to_string().starts_with("line 1:"), "{err}");
        let err = read_predictions(
            "{\"id\":\"a\",\"cluster\":1}\n\n{\"id\":\"a\",\"cluster\":2}\n".as_bytes(),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("line 3:") && err.to_string().contains("twice"));
        let err = read_predictions("{\"id\":\"a\"}\n".as_bytes()).unwrap_err();
        assert!(err.to_string().contains("missing \"cluster\""));
        let err = read_predictions("{\"id\":\"a\",\"cluster\":[1]}\n".as_bytes()).unwrap_err();
        assert!(err.to_string().contains("integer or a string"));
        let err = read_predictions("[1]\n".as_bytes()).unwrap_err();
        assert!(err.to_string().contains("JSON object"));
    }

    #[test]
    fn json_and_display() {
        let g = gold(&[("a", "a", "original"), ("b", "a", "near")]);
        let r = evaluate(&g, &pred(&[("a", "0"), ("b", "0")]));
        let j = r.to_json();
        assert_eq!(j["docs"], 2);
        assert_eq!(j["per_kind"]["near"]["found"], 1);
        assert_eq!(j["f1"], 1.0);
        let back: EvalReport = serde_json::from_value(j).unwrap();
        assert_eq!(back, r);
        let text = r.to_string();
        assert!(text.contains("adjusted Rand"));
        assert!(text.contains("near"));
    }

    #[test]
    fn scores_a_generated_corpus_against_its_own_gold() {
        let seeds = vec!["one two three four five six seven eight nine ten".to_string()];
        let opts = crate::GenOptions {
            docs: 300,
            min_words: 20,
            max_words: 60,
            ..Default::default()
        };
        let corpus = crate::generate(&seeds, &opts).unwrap();
        let g: Vec<GoldEntry> = corpus.into_iter().map(|(_, g)| g).collect();
        let perfect: HashMap<String, String> = g
            .iter()
            .map(|e| (e.id.clone(), e.cluster.clone()))
            .collect();
        let r = evaluate(&g, &perfect);
        assert!(close(r.ari, 1.0) && close(r.f1, 1.0));
        assert_eq!(r.per_kind.len(), 5);
        assert!(r.per_kind.values().all(|k| k.total == 30 && k.found == 30));
    }
}
