//! Provenance: inside each cluster, who most likely copied from whom, and which member
//! is the likely original, each with its reasons.
//!
//! Every verified link between two members of a cluster is oriented from source to copy
//! by weighing independent clues, each with a stable code (written in the output) and a
//! human sentence:
//!
//! | code | clue | weight |
//! |---|---|---|
//! | `cites-source` | the copy's attribution line names the other's publisher (its `site` or `url` domain) | 4 |
//! | `earlier-date` | the source is dated earlier (compared at the precision both dates have) | 3 from `date` fields, 2 when a date was read from the text |
//! | `truncation` | the copy is covered by the other (>= 80 %) far more than the other by it: a truncation or an excerpt derives from the fuller text | 1.5 |
//! | `adds-boilerplate` | the copy carries more boilerplate (navigation, ad markers) than the other | 1 |
//! | `adds-repetition` | the copy repeats its own passages more (re-posted sections, a transcript after the text) | 1 |
//! | `only-dated` | only the source states a date; copies often lose the dateline | 0.5 |
//!
//! The clues for each direction are summed; the link points the way of the larger sum,
//! and stays undirected on a tie (exact copies with no dates, for instance). Same-story
//! links stay undirected whatever the clues: independent versions of one story did not
//! copy each other (they may share a source outside the collection, listed as cited). Nothing is
//! guessed from input order, and a link whose other clues outweigh its members' dates
//! stays undirected (a source is never dated after its copy). The likely original is
//! the member no other member is found to precede that reaches the most members
//! through directed links, none of them dated before it; ties go to the higher net
//! score, the earlier date, then the first in input order. When no member qualifies
//! (nothing orders the cluster) none is named: the reasons say `undetermined`. The
//! cluster's representative is the likely original, else its most complete version
//! (the most text of its own, boilerplate and repetition aside). Names cited by members that match no
//! member's publisher (a news agency, a site outside the collection) are listed as
//! cited sources of the cluster.
//!
//! Pure: positions in, structures out; ids and formatting belong to the writers.

pub mod attribution;
pub mod dates;

use std::cmp::Ordering;

use crate::cluster::Clustering;
use crate::provenance::attribution::{publisher_key, Attribution, AttributionKind};
use crate::provenance::dates::{compare_dates, format_date};
use crate::relation::{Match, Relation};

/// Where a document's date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrigin {
    /// The record's `date` field.
    Field,
    /// A date read from the text's first lines (see [`crate::provenance::dates`]).
    Text,
}

/// A document's date: `yyyymmdd` with missing parts 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocDate {
    pub value: u32,
    pub origin: DateOrigin,
}

/// What provenance needs to know about one document.
#[derive(Debug, Clone, Default)]
pub struct DocFacts {
    pub date: Option<DocDate>,
    /// Publisher key of the document's `site` or `url` ([`publisher_key`]), if any.
    pub publisher: Option<String>,
    pub attributions: Vec<Attribution>,
    /// Characters of the text: in all, in boilerplate lines, in internal repeats.
    pub chars: u32,
    pub boilerplate_chars: u32,
    pub repeat_chars: u32,
}

/// Why a link points one way, or why a member is the likely original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReasonCode {
    CitesSource,
    EarlierDate,
    Truncation,
    AddsBoilerplate,
    AddsRepetition,
    OnlyDated,
    /// (original only) no member is found to precede it.
    NoEarlierMember,
    /// (original only) nothing orders its links: no member is named.
    Undetermined,
    /// (original only) it credits a source outside the collection.
    CitesOutside,
}

impl ReasonCode {
    /// The stable code written in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::CitesSource => "cites-source",
            ReasonCode::EarlierDate => "earlier-date",
            ReasonCode::Truncation => "truncation",
            ReasonCode::AddsBoilerplate => "adds-boilerplate",
            ReasonCode::AddsRepetition => "adds-repetition",
            ReasonCode::OnlyDated => "only-dated",
            ReasonCode::NoEarlierMember => "no-earlier-member",
            ReasonCode::Undetermined => "undetermined",
            ReasonCode::CitesOutside => "cites-outside",
        }
    }
}

/// A reason: its code and a sentence for people.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub code: ReasonCode,
    pub text: String,
}

/// A directed link: `copy` most likely derives from `source`.
#[derive(Debug, Clone, PartialEq)]
pub struct Derivation {
    pub source: u32,
    pub copy: u32,
    pub kind: Relation,
    pub similarity: f32,
    /// Net weight of the clues (positive).
    pub score: f32,
    /// Clues for this direction, strongest first.
    pub reasons: Vec<Reason>,
    /// Clues for the other direction, outweighed.
    pub against: Vec<Reason>,
}

/// A link no clue orients.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Undirected {
    pub a: u32,
    pub b: u32,
    pub kind: Relation,
    pub similarity: f32,
}

/// A name cited by members that is no member's publisher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cited {
    /// As first written.
    pub name: String,
    /// The strongest kind it was cited as.
    pub kind: AttributionKind,
    /// Members citing it, in input order.
    pub by: Vec<u32>,
}

/// The derivation graph of one cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterProvenance {
    pub cluster: u32,
    /// The likely original; `None` when no clue orders the members (no member is named
    /// rather than the first in input order).
    pub original: Option<u32>,
    /// The member that stands for the cluster: the likely original when one is named,
    /// else the most complete version (the most text of its own, boilerplate and
    /// internal repetition aside; ties to input order).
    pub representative: u32,
    pub reasons: Vec<Reason>,
    /// Directed links, sorted by (source, copy).
    pub derivations: Vec<Derivation>,
    /// Links left undirected, sorted by (a, b).
    pub undirected: Vec<Undirected>,
    pub cited: Vec<Cited>,
}

/// Provenance of every cluster, with per-document lookups.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Provenance {
    /// One per cluster of the clustering, in the same order.
    pub clusters: Vec<ClusterProvenance>,
    /// For each document, the index of its cluster in `clusters` (`None` when alone).
    cluster_index: Vec<Option<u32>>,
}

impl Provenance {
    /// The provenance of document `doc`'s cluster.
    pub fn of(&self, doc: u32) -> Option<&ClusterProvenance> {
        self.cluster_index
            .get(doc as usize)
            .copied()
            .flatten()
            .map(|i| &self.clusters[i as usize])
    }

    /// The likely original of `doc`'s cluster.
    pub fn original_of(&self, doc: u32) -> Option<u32> {
        self.of(doc).and_then(|c| c.original)
    }

    /// The members `doc` most likely derives from (strongest first).
    pub fn derived_from(&self, doc: u32) -> Vec<&Derivation> {
        let mut parents: Vec<&Derivation> = self
            .of(doc)
            .map(|c| c.derivations.iter().filter(|d| d.copy == doc).collect())
            .unwrap_or_default();
        parents.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.source.cmp(&y.source)));
        parents
    }
}

const WEIGHT_CITES: f32 = 4.0;
const WEIGHT_DATE_FIELD: f32 = 3.0;
const WEIGHT_DATE_TEXT: f32 = 2.0;
const WEIGHT_TRUNCATION: f32 = 1.5;
const WEIGHT_ADDED: f32 = 1.0;
const WEIGHT_ONLY_DATED: f32 = 0.5;
/// A truncation is covered at least this much by the fuller text...
const TRUNCATION_COVERAGE: f32 = 0.8;
/// ...and this much more than the fuller text is covered by it.
const TRUNCATION_MARGIN: f32 = 0.15;
/// Boilerplate or repetition shares (of the text's characters) must differ this much.
const ADDED_MARGIN: f32 = 0.05;

/// Builds the derivation graph of every cluster from the matches and the documents'
/// facts (`facts[i]` for document `i`).
pub fn provenance(clustering: &Clustering, matches: &[Match], facts: &[DocFacts]) -> Provenance {
    let n = clustering.cluster_of.len();
    let mut cluster_index: Vec<Option<u32>> = vec![None; n];
    for (i, c) in clustering.clusters.iter().enumerate() {
        for &m in &c.members {
            cluster_index[m as usize] = Some(i as u32);
        }
    }
    let mut links: Vec<Vec<&Match>> = vec![Vec::new(); clustering.clusters.len()];
    for m in matches {
        let (ca, cb) = (
            cluster_index.get(m.a as usize).copied().flatten(),
            cluster_index.get(m.b as usize).copied().flatten(),
        );
        if let (Some(ca), Some(cb)) = (ca, cb) {
            if ca == cb {
                links[ca as usize].push(m);
            }
        }
    }
    let empty = DocFacts::default();
    let fact = |doc: u32| facts.get(doc as usize).unwrap_or(&empty);
    let clusters = clustering
        .clusters
        .iter()
        .zip(&links)
        .map(|(cluster, links)| cluster_provenance(cluster.id, &cluster.members, links, &fact))
        .collect();
    Provenance {
        clusters,
        cluster_index,
    }
}

/// Clues about one link: `(weight, reason)` with positive weights saying `a` is the
/// source of `b` and negative ones the reverse.
fn clues(m: &Match, fa: &DocFacts, fb: &DocFacts) -> Vec<(f32, Reason)> {
    let mut out = Vec::new();
    // Attribution lines naming the other side's publisher.
    for (sign, copy, source) in [(1.0, fb, fa), (-1.0, fa, fb)] {
        let Some(publisher) = source.publisher.as_deref() else {
            continue;
        };
        if let Some(a) = copy
            .attributions
            .iter()
            .find(|a| publisher_key(&a.name) == publisher && publisher.chars().count() >= 3)
        {
            out.push((
                sign * WEIGHT_CITES,
                Reason {
                    code: ReasonCode::CitesSource,
                    text: format!(
                        "the copy names \"{}\" ({} attribution, cue \"{}\"), the other's publisher",
                        a.name,
                        a.kind.as_str(),
                        a.cue
                    ),
                },
            ));
        }
    }
    match (fa.date, fb.date) {
        (Some(da), Some(db)) => {
            if let Some(order) = compare_dates(da.value, db.value) {
                let weight = if da.origin == DateOrigin::Field && db.origin == DateOrigin::Field {
                    WEIGHT_DATE_FIELD
                } else {
                    WEIGHT_DATE_TEXT
                };
                let (early, late) = if order == Ordering::Less {
                    (da, db)
                } else {
                    (db, da)
                };
                let sign = if order == Ordering::Less { 1.0 } else { -1.0 };
                out.push((
                    sign * weight,
                    Reason {
                        code: ReasonCode::EarlierDate,
                        text: format!(
                            "the source is dated {}{}, the copy {}{}",
                            format_date(early.value),
                            origin_note(early.origin),
                            format_date(late.value),
                            origin_note(late.origin)
                        ),
                    },
                ));
            }
        }
        (Some(d), None) | (None, Some(d)) => {
            let sign = if fa.date.is_some() { 1.0 } else { -1.0 };
            out.push((
                sign * WEIGHT_ONLY_DATED,
                Reason {
                    code: ReasonCode::OnlyDated,
                    text: format!(
                        "only the source states a date: {}{}",
                        format_date(d.value),
                        origin_note(d.origin)
                    ),
                },
            ));
        }
        (None, None) => {}
    }
    if let Some(e) = &m.evidence {
        let (ca, cb) = (e.coverage_a, e.coverage_b);
        let (covered, other, sign) = if ca >= cb {
            (ca, cb, -1.0)
        } else {
            (cb, ca, 1.0)
        };
        if covered >= TRUNCATION_COVERAGE && covered - other >= TRUNCATION_MARGIN {
            out.push((
                sign * WEIGHT_TRUNCATION,
                Reason {
                    code: ReasonCode::Truncation,
                    text: format!(
                        "{:.0}% of the copy is in the source, only {:.0}% of the source in the copy: the copy keeps part of the fuller text",
                        covered * 100.0,
                        other * 100.0
                    ),
                },
            ));
        }
    }
    let share = |part: u32, f: &DocFacts| part as f32 / f.chars.max(1) as f32;
    for (code, what, pa, pb) in [
        (
            ReasonCode::AddsBoilerplate,
            "boilerplate",
            share(fa.boilerplate_chars, fa),
            share(fb.boilerplate_chars, fb),
        ),
        (
            ReasonCode::AddsRepetition,
            "repeated passages",
            share(fa.repeat_chars, fa),
            share(fb.repeat_chars, fb),
        ),
    ] {
        if (pa - pb).abs() >= ADDED_MARGIN {
            // The side with more added material is the copy.
            let sign = if pb > pa { 1.0 } else { -1.0 };
            let (copy, source) = if pb > pa { (pb, pa) } else { (pa, pb) };
            out.push((
                sign * WEIGHT_ADDED,
                Reason {
                    code,
                    text: format!(
                        "{:.0}% of the copy is {what}, {:.0}% of the source",
                        copy * 100.0,
                        source * 100.0
                    ),
                },
            ));
        }
    }
    out
}

fn origin_note(origin: DateOrigin) -> &'static str {
    match origin {
        DateOrigin::Field => "",
        DateOrigin::Text => " (read in the text)",
    }
}

fn cluster_provenance<'f>(
    id: u32,
    members: &[u32],
    links: &[&Match],
    fact: &impl Fn(u32) -> &'f DocFacts,
) -> ClusterProvenance {
    let mut derivations = Vec::new();
    let mut undirected = Vec::new();
    for m in links {
        // Same-story versions were written independently (from one dispatch or event):
        // neither copied the other, so their link is never oriented. A short shared
        // passage between two members is no copy of one by the other either: a member
        // derives only from links that carry its text.
        let mut clues = if matches!(m.kind, Relation::SameStory | Relation::Passage) {
            Vec::new()
        } else {
            clues(m, fact(m.a), fact(m.b))
        };
        let score: f32 = clues.iter().map(|c| c.0).sum();
        // Clues that outweigh the dates contradict them: a source is never dated after
        // its copy, so such a link stays undirected.
        let against_dates = clues
            .iter()
            .any(|c| c.1.code == ReasonCode::EarlierDate && (c.0 > 0.0) != (score > 0.0));
        if score == 0.0 || against_dates {
            undirected.push(Undirected {
                a: m.a,
                b: m.b,
                kind: m.kind,
                similarity: m.similarity,
            });
            continue;
        }
        let a_is_source = score > 0.0;
        clues.sort_by(|x, y| {
            y.0.abs()
                .total_cmp(&x.0.abs())
                .then(x.1.code.cmp(&y.1.code))
        });
        let (reasons, against): (Vec<_>, Vec<_>) =
            clues.into_iter().partition(|c| (c.0 > 0.0) == a_is_source);
        let (source, copy) = if a_is_source { (m.a, m.b) } else { (m.b, m.a) };
        derivations.push(Derivation {
            source,
            copy,
            kind: m.kind,
            similarity: m.similarity,
            score: score.abs(),
            reasons: reasons.into_iter().map(|c| c.1).collect(),
            against: against.into_iter().map(|c| c.1).collect(),
        });
    }
    derivations.sort_by_key(|d| (d.source, d.copy));
    undirected.sort_by_key(|u| (u.a, u.b));

    let original = pick_original(members, &derivations, fact);
    let reasons = original_reasons(original, members, &derivations, &undirected, fact);
    let cited = cited_outside(members, fact);
    let mut reasons = reasons;
    let representative = original.unwrap_or_else(|| most_complete(members, fact));
    if let Some(c) = original.and_then(|o| cited.iter().find(|c| c.by.contains(&o))) {
        reasons.push(Reason {
            code: ReasonCode::CitesOutside,
            text: format!(
                "it credits \"{}\" ({}), which is not in the collection: the story may come from there",
                c.name,
                c.kind.as_str()
            ),
        });
    }
    ClusterProvenance {
        cluster: id,
        original,
        representative,
        reasons,
        derivations,
        undirected,
        cited,
    }
}

fn pick_original<'f>(
    members: &[u32],
    derivations: &[Derivation],
    fact: &impl Fn(u32) -> &'f DocFacts,
) -> Option<u32> {
    let index = |doc: u32| members.binary_search(&doc).ok();
    let k = members.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); k];
    let mut has_parent = vec![false; k];
    let mut net = vec![0f32; k];
    for d in derivations {
        if let (Some(s), Some(c)) = (index(d.source), index(d.copy)) {
            children[s].push(c);
            has_parent[c] = true;
            net[s] += d.score;
            net[c] -= d.score;
        }
    }
    // Conflicting clues can close a cycle; then every member is a candidate.
    let candidates: Vec<usize> = if has_parent.iter().all(|&p| p) {
        (0..k).collect()
    } else {
        (0..k).filter(|&i| !has_parent[i]).collect()
    };
    let date = |i: usize| fact(members[i]).date.map(|d| d.value);
    // How many members `start` reaches through directed links, `None` when one of them
    // is dated before it (through undated members in between): it cannot be their
    // source.
    let reach = |start: usize| -> Option<usize> {
        let mut seen = vec![false; k];
        let mut stack = vec![start];
        seen[start] = true;
        let mut count = 0;
        while let Some(v) = stack.pop() {
            for &c in &children[v] {
                if !seen[c] {
                    seen[c] = true;
                    count += 1;
                    stack.push(c);
                    if let (Some(x), Some(y)) = (date(start), date(c)) {
                        if compare_dates(y, x) == Some(Ordering::Less) {
                            return None;
                        }
                    }
                }
            }
        }
        Some(count)
    };
    let mut best: Option<(usize, usize)> = None; // (member index, reach)
    for &i in &candidates {
        let Some(r) = reach(i) else {
            continue;
        };
        if r == 0 {
            // It precedes nothing: no clue names it.
            continue;
        }
        let better = match best {
            None => true,
            Some((b, rb)) => {
                r.cmp(&rb)
                    .then(net[i].total_cmp(&net[b]))
                    .then_with(|| match (date(i), date(b)) {
                        (Some(x), Some(y)) => compare_dates(y, x).unwrap_or(Ordering::Equal),
                        (Some(_), None) => Ordering::Greater,
                        (None, Some(_)) => Ordering::Less,
                        (None, None) => Ordering::Equal,
                    })
                    .then(b.cmp(&i))
                    == Ordering::Greater
            }
        };
        if better {
            best = Some((i, r));
        }
    }
    best.map(|(i, _)| members[i])
}

/// The member with the most text of its own (boilerplate and internal repetition
/// aside), the first in input order on a tie.
fn most_complete<'f>(members: &[u32], fact: &impl Fn(u32) -> &'f DocFacts) -> u32 {
    let own = |m: u32| {
        let f = fact(m);
        f.chars
            .saturating_sub(f.boilerplate_chars)
            .saturating_sub(f.repeat_chars)
    };
    members
        .iter()
        .copied()
        .max_by(|&x, &y| own(x).cmp(&own(y)).then(y.cmp(&x)))
        .unwrap_or(0)
}

fn original_reasons<'f>(
    original: Option<u32>,
    members: &[u32],
    derivations: &[Derivation],
    undirected: &[Undirected],
    fact: &impl Fn(u32) -> &'f DocFacts,
) -> Vec<Reason> {
    let Some(original) = original else {
        let directed = derivations.len();
        return vec![Reason {
            code: ReasonCode::Undetermined,
            text: if directed == 0 {
                format!(
                    "no clue orders its {} link(s): no dates, attributions or containment tell the {} members apart, so none is named",
                    undirected.len(),
                    members.len()
                )
            } else {
                format!(
                    "its {directed} directed link(s) name no member that precedes the others without being dated after one of them, so none is named"
                )
            },
        }];
    };
    let out_edges: Vec<&Derivation> = derivations
        .iter()
        .filter(|d| d.source == original)
        .collect();
    let in_edges = derivations.iter().filter(|d| d.copy == original).count();
    let mut reasons = Vec::new();
    if in_edges == 0 {
        reasons.push(Reason {
            code: ReasonCode::NoEarlierMember,
            text: format!(
                "no member is found to precede it; {} member(s) derive from it directly",
                out_edges.len()
            ),
        });
    }
    let mut codes: Vec<ReasonCode> = out_edges
        .iter()
        .flat_map(|d| d.reasons.iter().map(|r| r.code))
        .collect();
    codes.sort();
    codes.dedup();
    for code in codes {
        let with: Vec<&Derivation> = out_edges
            .iter()
            .copied()
            .filter(|d| d.reasons.iter().any(|r| r.code == code))
            .collect();
        let count = with.len();
        let text = match code {
            ReasonCode::CitesSource => {
                format!("{count} copy(ies) name its publisher in an attribution line")
            }
            ReasonCode::EarlierDate => format!(
                "dated {}, earlier than {count} linked member(s)",
                fact(original)
                    .date
                    .map_or_else(|| "?".to_string(), |d| format_date(d.value))
            ),
            ReasonCode::Truncation => {
                format!("it is the fuller text: {count} member(s) keep only part of it")
            }
            ReasonCode::AddsBoilerplate => {
                format!("{count} copy(ies) add boilerplate around its text")
            }
            ReasonCode::AddsRepetition => format!("{count} copy(ies) repeat passages of its text"),
            ReasonCode::OnlyDated => format!(
                "it states a date ({}) where {count} linked member(s) state none",
                fact(original)
                    .date
                    .map_or_else(|| "?".to_string(), |d| format_date(d.value))
            ),
            _ => continue,
        };
        reasons.push(Reason { code, text });
    }
    reasons
}

/// Names cited by members that are no member's publisher, by first citation.
fn cited_outside<'f>(members: &[u32], fact: &impl Fn(u32) -> &'f DocFacts) -> Vec<Cited> {
    let publishers: Vec<&str> = members
        .iter()
        .filter_map(|&m| fact(m).publisher.as_deref())
        .collect();
    let mut cited: Vec<(String, Cited)> = Vec::new();
    for &m in members {
        for a in &fact(m).attributions {
            let key = publisher_key(&a.name);
            if key.is_empty() || publishers.contains(&key.as_str()) {
                continue;
            }
            match cited.iter_mut().find(|(k, _)| *k == key) {
                Some((_, c)) => {
                    c.kind = c.kind.min(a.kind);
                    if !c.by.contains(&m) {
                        c.by.push(m);
                    }
                }
                None => cited.push((
                    key,
                    Cited {
                        name: a.name.clone(),
                        kind: a.kind,
                        by: vec![m],
                    },
                )),
            }
        }
    }
    cited.into_iter().map(|(_, c)| c).collect()
}
