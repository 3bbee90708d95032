//! # reprint-report: one self-contained HTML page over a scan's output folder
//!
//! Owns reading `documents.jsonl`, `clusters.jsonl`, `matches.jsonl` and `texts.jsonl`
//! back and turning them into a single HTML file a person opens in a browser. It must
//! not decide anything about text: relations, passages, provenance all come from the
//! scan's files; this crate only ranks, arranges and shows.
//!
//! Design, for a scan of 100,000 documents:
//! - **No network.** CSS and JavaScript are inlined; the page loads nothing.
//! - **Data, not markup.** Clusters are written as JSON inside
//!   `<script type="application/json">` elements, one element per page of clusters.
//!   The browser keeps each as one text node and parses a page only when it is shown,
//!   so opening the file costs a scan of its bytes, not a DOM of millions of nodes; only
//!   the visible page of the cluster list and the one open cluster are rendered.
//! - **Bounded.** Texts are embedded for clustered documents only (documents alone are
//!   not shown), in ranking order, until `max_text_bytes` is spent; later clusters keep
//!   their graph, timeline and links without texts, and the page says so.
//! - **Untrusted text.** Every document string reaches the page through JSON (with `<`
//!   written as `\u003c`, so no text can close the script element) and is put in the
//!   DOM with `textContent`/`createTextNode` only, never parsed as HTML: a document
//!   holding `<script>` shows those characters and runs nothing.
//! - **Offsets.** The scan's spans are Unicode scalar offsets; JavaScript strings count
//!   UTF-16 units, so spans are converted here, once, for the embedded texts.
//!
//! Two levels: a cluster is a copy family; each is shown with its story (the other
//! families with the same `story` in `documents.jsonl`) and its links to other families
//! (shared passages, same-story links), read without their passages to stay light.
//!
//! Ranking: clusters by size, then spread (distinct publishers: `site`, else the `url`
//! host), then id.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// What can go wrong reading a scan folder or writing the page.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("{path}:{line}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("cannot write the report: {0}")]
    Write(#[from] io::Error),
}

/// How the page is built.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Clusters per page of the list (and per embedded JSON element).
    pub page_size: usize,
    /// Bytes of document text embedded at most.
    pub max_text_bytes: usize,
    /// Links shown per cluster at most (the strongest first).
    pub max_pairs: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            page_size: 50,
            max_text_bytes: 256 << 20,
            max_pairs: 2000,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportSummary {
    pub documents: usize,
    pub clusters: usize,
    pub texts_embedded: usize,
    pub clusters_without_texts: usize,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
struct Reason {
    code: String,
    text: String,
}

#[derive(Debug, Clone, Deserialize)]
struct SpanRow {
    span: [u32; 2],
}

#[derive(Debug, Clone, Deserialize, Serialize)]
struct AttributionRow {
    kind: String,
    name: String,
    cue: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
struct DerivedRow {
    id: String,
    kind: String,
    score: f64,
    #[serde(default)]
    reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Deserialize)]
struct DocRow {
    id: String,
    cluster: u32,
    /// The story (families telling one story); older scans have none.
    #[serde(default)]
    story: Option<u32>,
    relation: Option<String>,
    #[serde(default)]
    boilerplate: Vec<SpanRow>,
    #[serde(default)]
    text_date: Option<String>,
    #[serde(default)]
    attributions: Vec<AttributionRow>,
    #[serde(default)]
    derived_from: Vec<DerivedRow>,
    #[serde(default)]
    date: Option<Value>,
    #[serde(default)]
    site: Option<Value>,
    #[serde(default)]
    url: Option<Value>,
    #[serde(default)]
    title: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
struct DerivationRow {
    source: String,
    copy: String,
    kind: String,
    score: f64,
    #[serde(default)]
    reasons: Vec<Reason>,
    #[serde(default)]
    against: Vec<Reason>,
}

#[derive(Debug, Clone, Deserialize)]
struct UndirectedRow {
    a: String,
    b: String,
    kind: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
struct CitedRow {
    name: String,
    kind: String,
    by: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct ClusterRow {
    id: u32,
    members: Vec<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    source_reasons: Vec<Reason>,
    #[serde(default)]
    derivations: Vec<DerivationRow>,
    #[serde(default)]
    undirected: Vec<UndirectedRow>,
    #[serde(default)]
    cited: Vec<CitedRow>,
}

#[derive(Debug, Clone, Deserialize)]
struct PassageRow {
    a: [u32; 2],
    b: [u32; 2],
    /// Words aligned as identical (passages only).
    #[serde(default)]
    words: usize,
}

#[derive(Debug, Clone, Deserialize)]
struct MatchRow {
    a: String,
    b: String,
    kind: String,
    similarity: f64,
    #[serde(default)]
    coverage_a: Option<f64>,
    #[serde(default)]
    coverage_b: Option<f64>,
    #[serde(default)]
    passages: Vec<PassageRow>,
    #[serde(default)]
    sentences: Vec<PassageRow>,
    /// A weaker story link that ties a document to the cluster with its others.
    #[serde(default)]
    corroborated: bool,
}

impl MatchRow {
    /// How much aligned evidence the link has: words of its passages plus its aligned
    /// sentences (the report's strength order).
    fn words(&self) -> usize {
        self.passages.iter().map(|p| p.words).sum::<usize>() + self.sentences.len()
    }
}

/// A link that leaves its family, as the report lists it.
#[derive(Debug, Clone)]
struct OutsideRow {
    a: String,
    b: String,
    kind: String,
    similarity: f64,
    words: usize,
}

#[derive(Debug, Clone, Deserialize)]
struct TextRow {
    id: String,
    text: String,
}

/// A scan's output folder, read back.
#[derive(Debug, Default)]
pub struct ScanData {
    documents: Vec<DocRow>,
    clusters: Vec<ClusterRow>,
    matches: Vec<MatchRow>,
    /// Links from a clustered document to a document of another family (a shared
    /// passage, a same-story link), kept light: no passages.
    outside: Vec<OutsideRow>,
    texts: HashMap<String, String>,
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(
    path: &Path,
    mut keep: impl FnMut(T),
) -> Result<(), ReportError> {
    let file = File::open(path).map_err(|source| ReportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    for (i, line) in BufReader::with_capacity(1 << 20, file).lines().enumerate() {
        let line = line.map_err(|source| ReportError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let row = serde_json::from_str(&line).map_err(|e| ReportError::Parse {
            path: path.to_path_buf(),
            line: i + 1,
            message: e.to_string(),
        })?;
        keep(row);
    }
    Ok(())
}

impl ScanData {
    /// Reads the four files of `dir`; `texts.jsonl` may be missing (older scans): the
    /// report then shows no texts.
    pub fn load(dir: &Path) -> Result<ScanData, ReportError> {
        let mut data = ScanData::default();
        read_jsonl(&dir.join("documents.jsonl"), |r| data.documents.push(r))?;
        read_jsonl(&dir.join("clusters.jsonl"), |r| data.clusters.push(r))?;
        let cluster_of: HashMap<&str, u32> = data
            .documents
            .iter()
            .map(|d| (d.id.as_str(), d.cluster))
            .collect();
        let clustered: HashSet<&str> = data
            .clusters
            .iter()
            .flat_map(|c| c.members.iter().map(String::as_str))
            .collect();
        let mut matches = Vec::new();
        let mut outside = Vec::new();
        // Links inside a cluster are shown with their passages; links that leave a
        // family (a shared quote, a same-story link) are listed without them.
        read_jsonl(&dir.join("matches.jsonl"), |m: MatchRow| {
            let same = cluster_of.contains_key(m.a.as_str())
                && cluster_of.get(m.a.as_str()) == cluster_of.get(m.b.as_str());
            if same && clustered.contains(m.a.as_str()) {
                matches.push(m);
            } else if clustered.contains(m.a.as_str()) || clustered.contains(m.b.as_str()) {
                outside.push(OutsideRow {
                    words: m.words(),
                    a: m.a,
                    b: m.b,
                    kind: m.kind,
                    similarity: m.similarity,
                });
            }
        })?;
        data.matches = matches;
        data.outside = outside;
        let texts_path = dir.join("texts.jsonl");
        if texts_path.exists() {
            let mut texts = HashMap::new();
            read_jsonl(&texts_path, |t: TextRow| {
                texts.insert(t.id, t.text);
            })?;
            data.texts = texts;
        }
        Ok(data)
    }
}

fn string_of(v: &Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// The host of a URL, without `www.`.
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#', ':']).next()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

/// UTF-16 offset of every character offset of `text` (the last entry is the length).
struct Utf16Map(Option<Vec<u32>>, u32);

impl Utf16Map {
    fn new(text: &str) -> Self {
        let chars = text.chars().count() as u32;
        if text.chars().all(|c| (c as u32) < 0x10000) {
            return Utf16Map(None, chars);
        }
        let mut map = Vec::with_capacity(chars as usize + 1);
        let mut at = 0u32;
        for c in text.chars() {
            map.push(at);
            at += c.len_utf16() as u32;
        }
        map.push(at);
        Utf16Map(Some(map), chars)
    }

    fn at(&self, char_offset: u32) -> u32 {
        let c = char_offset.min(self.1);
        match &self.0 {
            None => c,
            Some(map) => map[c as usize],
        }
    }

    fn span(&self, s: [u32; 2]) -> [u32; 2] {
        let (a, b) = (self.at(s[0]), self.at(s[1]));
        [a.min(b), b]
    }
}

#[derive(Serialize)]
struct IndexEntry {
    id: u32,
    size: usize,
    spread: usize,
    first: Option<String>,
    last: Option<String>,
    source: Option<String>,
    title: Option<String>,
    page: usize,
    texts: bool,
}

#[derive(Serialize)]
struct MemberOut<'a> {
    id: &'a str,
    date: Option<String>,
    date_from_text: bool,
    site: Option<String>,
    url: Option<String>,
    title: Option<String>,
    relation: Option<&'a str>,
    original: bool,
    attributions: &'a [AttributionRow],
    derived_from: &'a [DerivedRow],
    boilerplate: Vec<[u32; 2]>,
    text: Option<&'a str>,
}

#[derive(Serialize)]
struct EdgeOut<'a> {
    s: usize,
    c: usize,
    kind: &'a str,
    score: f64,
    reasons: &'a [Reason],
    against: &'a [Reason],
}

#[derive(Serialize)]
struct LinkOut<'a> {
    a: usize,
    b: usize,
    kind: &'a str,
}

#[derive(Serialize)]
struct PairOut<'a> {
    a: usize,
    b: usize,
    kind: &'a str,
    similarity: f64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    corroborated: bool,
    coverage: Option<[f64; 2]>,
    words: usize,
    pa: Vec<[u32; 2]>,
    pb: Vec<[u32; 2]>,
    sa: Vec<[u32; 2]>,
    sb: Vec<[u32; 2]>,
}

/// A link from a member to a document of another family.
#[derive(Serialize)]
struct OutsideOut<'a> {
    /// The member (index in `members`).
    m: usize,
    /// The other document and its family.
    other: &'a str,
    cluster: u32,
    kind: &'a str,
    similarity: f64,
    words: usize,
}

/// Another family of the same story: a cluster of the report, or a lone document.
#[derive(Serialize)]
struct StoryFamilyOut<'a> {
    cluster: u32,
    size: usize,
    /// Its first member (the document itself when it is alone).
    first: &'a str,
}

#[derive(Serialize)]
struct ClusterOut<'a> {
    id: u32,
    story: Option<u32>,
    story_families: Vec<StoryFamilyOut<'a>>,
    story_families_left_out: usize,
    outside: Vec<OutsideOut<'a>>,
    outside_left_out: usize,
    source: Option<&'a str>,
    source_reasons: &'a [Reason],
    cited: &'a [CitedRow],
    members: Vec<MemberOut<'a>>,
    edges: Vec<EdgeOut<'a>>,
    undirected: Vec<LinkOut<'a>>,
    pairs: Vec<PairOut<'a>>,
    pairs_left_out: usize,
}

/// Serialises `value` for a `<script type="application/json">` element: `<` is written
/// `\u003c` so that no string can close the element or open a comment.
fn script_json<W: Write, T: Serialize>(out: &mut W, value: &T) -> Result<(), ReportError> {
    let json = serde_json::to_string(value).map_err(io::Error::other)?;
    out.write_all(json.replace('<', "\\u003c").as_bytes())?;
    Ok(())
}

/// Writes the report of `data` as one HTML page.
pub fn write_report<W: Write>(
    data: &ScanData,
    options: &ReportOptions,
    out: &mut W,
) -> Result<ReportSummary, ReportError> {
    let page_size = options.page_size.max(1);
    let doc_index: HashMap<&str, usize> = data
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let publisher =
        |d: &DocRow| string_of(&d.site).or_else(|| string_of(&d.url).and_then(|u| host_of(&u)));
    let date_of = |d: &DocRow| -> (Option<String>, bool) {
        match string_of(&d.date) {
            Some(date) => (Some(date), false),
            None => (d.text_date.clone(), d.text_date.is_some()),
        }
    };
    // Rank clusters: size, spread, id.
    let mut ranked: Vec<(usize, usize)> = data
        .clusters
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let spread = c
                .members
                .iter()
                .filter_map(|m| doc_index.get(m.as_str()))
                .filter_map(|&d| publisher(&data.documents[d]))
                .collect::<HashSet<_>>()
                .len();
            (i, spread)
        })
        .collect();
    ranked.sort_by(|x, y| {
        let (cx, cy) = (&data.clusters[x.0], &data.clusters[y.0]);
        cy.members
            .len()
            .cmp(&cx.members.len())
            .then(y.1.cmp(&x.1))
            .then(cx.id.cmp(&cy.id))
    });
    // Families by story, each with its size and first member, in cluster order.
    let mut families_of_story: HashMap<u32, Vec<(u32, usize, &str)>> = HashMap::new();
    {
        let mut family: HashMap<u32, (u32, usize, &str)> = HashMap::new();
        for d in &data.documents {
            if let Some(story) = d.story {
                family
                    .entry(d.cluster)
                    .or_insert((story, 0, d.id.as_str()))
                    .1 += 1;
            }
        }
        let mut families: Vec<(u32, (u32, usize, &str))> = family.into_iter().collect();
        families.sort_by_key(|f| f.0);
        for (cluster, (story, size, first)) in families {
            families_of_story
                .entry(story)
                .or_default()
                .push((cluster, size, first));
        }
    }
    // Links leaving each cluster, from either side.
    let mut outside_of: HashMap<u32, Vec<(&str, &str, &OutsideRow)>> = HashMap::new();
    for o in &data.outside {
        for (member, other) in [(&o.a, &o.b), (&o.b, &o.a)] {
            if let Some(&d) = doc_index.get(member.as_str()) {
                outside_of
                    .entry(data.documents[d].cluster)
                    .or_default()
                    .push((member.as_str(), other.as_str(), o));
            }
        }
    }
    // Links by cluster.
    let mut pairs_of: HashMap<u32, Vec<&MatchRow>> = HashMap::new();
    for m in &data.matches {
        if let Some(&d) = doc_index.get(m.a.as_str()) {
            pairs_of
                .entry(data.documents[d].cluster)
                .or_default()
                .push(m);
        }
    }

    let mut summary = ReportSummary {
        documents: data.documents.len(),
        clusters: data.clusters.len(),
        ..ReportSummary::default()
    };
    let mut budget = options.max_text_bytes;
    let mut index: Vec<IndexEntry> = Vec::with_capacity(ranked.len());
    let mut pages: Vec<Vec<ClusterOut>> = Vec::new();
    for (rank, &(ci, spread)) in ranked.iter().enumerate() {
        let cluster = &data.clusters[ci];
        let members: Vec<&DocRow> = cluster
            .members
            .iter()
            .filter_map(|m| doc_index.get(m.as_str()).map(|&d| &data.documents[d]))
            .collect();
        let position: HashMap<&str, usize> = members
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect();
        let text_bytes: usize = members
            .iter()
            .filter_map(|d| data.texts.get(&d.id))
            .map(String::len)
            .sum();
        let with_texts = text_bytes > 0 && text_bytes <= budget;
        if with_texts {
            budget -= text_bytes;
        } else {
            summary.clusters_without_texts += 1;
        }
        let maps: Vec<Option<Utf16Map>> = members
            .iter()
            .map(|d| {
                with_texts
                    .then(|| data.texts.get(&d.id).map(|t| Utf16Map::new(t)))
                    .flatten()
            })
            .collect();
        let convert = |i: usize, spans: Vec<[u32; 2]>| -> Vec<[u32; 2]> {
            match &maps[i] {
                Some(map) => spans.into_iter().map(|s| map.span(s)).collect(),
                None => Vec::new(),
            }
        };
        let mut dates: Vec<String> = Vec::new();
        let members_out: Vec<MemberOut> = members
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let (date, from_text) = date_of(d);
                if let Some(date) = &date {
                    dates.push(date.clone());
                }
                let text = maps[i]
                    .as_ref()
                    .and(data.texts.get(&d.id).map(String::as_str));
                if text.is_some() {
                    summary.texts_embedded += 1;
                }
                MemberOut {
                    id: &d.id,
                    date,
                    date_from_text: from_text,
                    site: publisher(d),
                    url: string_of(&d.url),
                    title: string_of(&d.title),
                    relation: d.relation.as_deref(),
                    original: cluster.source.as_deref() == Some(d.id.as_str()),
                    attributions: &d.attributions,
                    derived_from: &d.derived_from,
                    boilerplate: convert(i, d.boilerplate.iter().map(|b| b.span).collect()),
                    text,
                }
            })
            .collect();
        dates.sort();
        let edges: Vec<EdgeOut> = cluster
            .derivations
            .iter()
            .filter_map(|e| {
                Some(EdgeOut {
                    s: *position.get(e.source.as_str())?,
                    c: *position.get(e.copy.as_str())?,
                    kind: &e.kind,
                    score: e.score,
                    reasons: &e.reasons,
                    against: &e.against,
                })
            })
            .collect();
        let undirected: Vec<LinkOut> = cluster
            .undirected
            .iter()
            .filter_map(|u| {
                Some(LinkOut {
                    a: *position.get(u.a.as_str())?,
                    b: *position.get(u.b.as_str())?,
                    kind: &u.kind,
                })
            })
            .collect();
        let mut links: Vec<&MatchRow> = pairs_of.get(&cluster.id).cloned().unwrap_or_default();
        // Strongest links first: most aligned text, then similarity.
        links.sort_by(|x, y| {
            y.words()
                .cmp(&x.words())
                .then(y.similarity.total_cmp(&x.similarity))
        });
        let pairs_left_out = links.len().saturating_sub(options.max_pairs);
        links.truncate(options.max_pairs);
        let pairs: Vec<PairOut> = links
            .iter()
            .filter_map(|m| {
                let (a, b) = (*position.get(m.a.as_str())?, *position.get(m.b.as_str())?);
                Some(PairOut {
                    a,
                    b,
                    kind: &m.kind,
                    similarity: m.similarity,
                    corroborated: m.corroborated,
                    coverage: m.coverage_a.zip(m.coverage_b).map(|(x, y)| [x, y]),
                    words: m.words(),
                    pa: convert(a, m.passages.iter().map(|p| p.a).collect()),
                    pb: convert(b, m.passages.iter().map(|p| p.b).collect()),
                    sa: convert(a, m.sentences.iter().map(|p| p.a).collect()),
                    sb: convert(b, m.sentences.iter().map(|p| p.b).collect()),
                })
            })
            .collect();
        let page = rank / page_size;
        if pages.len() <= page {
            pages.push(Vec::new());
        }
        let source_doc = cluster
            .source
            .as_deref()
            .and_then(|s| position.get(s))
            .map(|&i| members[i]);
        index.push(IndexEntry {
            id: cluster.id,
            size: members.len(),
            spread,
            first: dates.first().cloned(),
            last: dates.last().cloned(),
            source: cluster.source.clone(),
            title: source_doc
                .or(members.first().copied())
                .and_then(|d| string_of(&d.title)),
            page,
            texts: with_texts,
        });
        let story = members.first().and_then(|d| d.story);
        let mut story_families: Vec<StoryFamilyOut> = story
            .and_then(|s| families_of_story.get(&s))
            .map(|families| {
                families
                    .iter()
                    .filter(|f| f.0 != cluster.id)
                    .map(|&(cluster, size, first)| StoryFamilyOut {
                        cluster,
                        size,
                        first,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let story_families_left_out = story_families.len().saturating_sub(options.max_pairs);
        story_families.truncate(options.max_pairs);
        let mut outside: Vec<OutsideOut> = outside_of
            .get(&cluster.id)
            .map(|links| {
                links
                    .iter()
                    .filter_map(|&(member, other, o)| {
                        Some(OutsideOut {
                            m: *position.get(member)?,
                            other,
                            cluster: data.documents[*doc_index.get(other)?].cluster,
                            kind: &o.kind,
                            similarity: o.similarity,
                            words: o.words,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Strongest first, then by the documents' ids, so the page does not depend on
        // the order of matches.jsonl.
        outside.sort_by(|x, y| {
            y.words
                .cmp(&x.words)
                .then(y.similarity.total_cmp(&x.similarity))
                .then(members[x.m].id.cmp(&members[y.m].id))
                .then(x.other.cmp(y.other))
        });
        let outside_left_out = outside.len().saturating_sub(options.max_pairs);
        outside.truncate(options.max_pairs);
        pages[page].push(ClusterOut {
            id: cluster.id,
            story,
            story_families,
            story_families_left_out,
            outside,
            outside_left_out,
            source: cluster.source.as_deref(),
            source_reasons: &cluster.source_reasons,
            cited: &cluster.cited,
            members: members_out,
            edges,
            undirected,
            pairs,
            pairs_left_out,
        });
    }

    out.write_all(
        b"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>reprint report</title>\n<style>",
    )?;
    out.write_all(CSS.as_bytes())?;
    out.write_all(b"</style></head><body>\n<header><h1>reprint report</h1>")?;
    writeln!(
        out,
        "<p id=\"summary\">{} documents, {} clusters of two or more.</p></header>",
        summary.documents, summary.clusters
    )?;
    out.write_all(
        b"<noscript><p>This report needs JavaScript (inline, no network) to show its data.</p></noscript>\n\
<div id=\"app\"><nav id=\"list\"></nav><main id=\"detail\"></main></div>\n",
    )?;
    out.write_all(b"<script type=\"application/json\" id=\"index\">")?;
    script_json(out, &index)?;
    out.write_all(b"</script>\n")?;
    for (i, page) in pages.iter().enumerate() {
        write!(out, "<script type=\"application/json\" id=\"page-{i}\">")?;
        script_json(out, page)?;
        out.write_all(b"</script>\n")?;
    }
    out.write_all(b"<script>")?;
    out.write_all(JS.as_bytes())?;
    out.write_all(b"</script>\n</body></html>\n")?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_element() {
        let mut out = Vec::new();
        script_json(&mut out, &"</script><script>alert(1)</script><!--").unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(!s.contains('<'), "{s}");
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, "</script><script>alert(1)</script><!--");
    }

    #[test]
    fn spans_become_utf16_offsets() {
        let map = Utf16Map::new("a😀b");
        assert_eq!(map.span([0, 3]), [0, 4]);
        assert_eq!(map.span([2, 3]), [3, 4]);
        assert_eq!(map.span([2, 99]), [3, 4], "clamped to the text");
        let plain = Utf16Map::new("éa");
        assert_eq!(plain.span([1, 2]), [1, 2]);
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://www.example.org/a?b").as_deref(),
            Some("example.org")
        );
        assert_eq!(host_of("example.org").as_deref(), Some("example.org"));
    }
}
