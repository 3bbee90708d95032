//! Writers for the files of a scan (`documents.jsonl`, `clusters.jsonl`,
//! `matches.jsonl`, `texts.jsonl`). Their fields are the contract later work extends,
//! documented in the README; keys come out in a fixed order and floats are rounded, so
//! the same scan always writes the same bytes. The same rows as Parquet tables (cargo
//! feature `parquet`): [`parquet`].

use std::io::{self, Write};

use reprint_core::fingerprint::analysis::{BoilerplateSpan, RepeatSpan};
use reprint_core::provenance::attribution::Attribution;
use reprint_core::provenance::dates::format_date;
use reprint_core::provenance::{ClusterProvenance, Reason};
use reprint_core::{CharSpan, Evidence};
use serde_json::value::RawValue;

#[cfg(feature = "parquet")]
pub mod parquet;

/// The tables of a scan folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Documents,
    Clusters,
    Matches,
    Texts,
}

/// The format a scan folder's tables are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// One JSON object per line (the default, and what `report` reads).
    #[default]
    Jsonl,
    /// Parquet files with the same rows and keys, typed (cargo feature `parquet`).
    Parquet,
}

impl OutputFormat {
    /// Whether this build can write the format.
    pub fn available(self) -> bool {
        match self {
            OutputFormat::Jsonl => true,
            OutputFormat::Parquet => cfg!(feature = "parquet"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Jsonl => "jsonl",
            OutputFormat::Parquet => "parquet",
        }
    }
}

impl Table {
    /// The table's file name in a scan folder written in `format`.
    pub fn file_name(self, format: OutputFormat) -> &'static str {
        match (self, format) {
            (Table::Documents, OutputFormat::Jsonl) => "documents.jsonl",
            (Table::Clusters, OutputFormat::Jsonl) => "clusters.jsonl",
            (Table::Matches, OutputFormat::Jsonl) => "matches.jsonl",
            (Table::Texts, OutputFormat::Jsonl) => "texts.jsonl",
            (Table::Documents, OutputFormat::Parquet) => "documents.parquet",
            (Table::Clusters, OutputFormat::Parquet) => "clusters.parquet",
            (Table::Matches, OutputFormat::Parquet) => "matches.parquet",
            (Table::Texts, OutputFormat::Parquet) => "texts.parquet",
        }
    }
}

/// Keys reprint writes itself in `documents.jsonl`; an input field with one of these names
/// is carried as `input_<name>` rather than dropped or duplicated.
pub const DOCUMENT_KEYS: &[&str] = &[
    "id",
    "cluster",
    "story",
    "relation",
    "representative",
    "boilerplate",
    "repeats",
    "text_date",
    "attributions",
    "source",
    "derived_from",
];

/// One line of `documents.jsonl`.
#[derive(Debug, Clone, Copy)]
pub struct DocumentRow<'a> {
    pub id: &'a str,
    /// Id of the document's cluster (its own position when alone).
    pub cluster: u32,
    /// Id of the document's story (families telling one story share it; its cluster's
    /// id when the family is tied to no other).
    pub story: u32,
    /// The relation that tied it to its cluster; `None` when alone.
    pub relation: Option<&'a str>,
    /// Whether deduplication keeps it.
    pub representative: bool,
    /// Boilerplate lines, by character span, with the rule that marked them.
    pub boilerplate: &'a [BoilerplateSpan],
    /// Later copies of passages repeated inside the document.
    pub repeats: &'a [RepeatSpan],
    /// The input record's other fields, carried unchanged.
    pub fields: &'a [(String, Box<RawValue>)],
    /// A publication date read from the text's first lines (`yyyymmdd`).
    pub text_date: Option<u32>,
    /// Attribution lines found in the text.
    pub attributions: &'a [Attribution],
    /// Id of the likely original of its cluster (its own id for the original); `None`
    /// when alone.
    pub source: Option<&'a str>,
    /// The members it most likely derives from, strongest first.
    pub derived_from: &'a [DerivedFromRow<'a>],
}

/// One entry of a document's `derived_from`.
#[derive(Debug, Clone, Copy)]
pub struct DerivedFromRow<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub score: f32,
    pub reasons: &'a [Reason],
}

/// Writes one `documents.jsonl` line.
pub fn write_document<W: Write>(out: &mut W, row: &DocumentRow<'_>) -> io::Result<()> {
    out.write_all(b"{\"id\":")?;
    write_str(out, row.id)?;
    write!(out, ",\"cluster\":{},\"story\":{}", row.cluster, row.story)?;
    out.write_all(b",\"relation\":")?;
    match row.relation {
        Some(r) => write_str(out, r)?,
        None => out.write_all(b"null")?,
    }
    write!(out, ",\"representative\":{}", row.representative)?;
    out.write_all(b",\"boilerplate\":[")?;
    for (i, b) in row.boilerplate.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"span\":")?;
        write_span(out, b.span)?;
        write!(out, ",\"reason\":\"{}\"}}", b.reason.as_str())?;
    }
    out.write_all(b"],\"repeats\":[")?;
    for (i, r) in row.repeats.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"copy\":")?;
        write_span(out, r.copy)?;
        out.write_all(b",\"first\":")?;
        write_span(out, r.first)?;
        out.write_all(b"}")?;
    }
    out.write_all(b"],\"text_date\":")?;
    match row.text_date {
        Some(d) => write_str(out, &format_date(d))?,
        None => out.write_all(b"null")?,
    }
    out.write_all(b",\"attributions\":[")?;
    for (i, a) in row.attributions.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"kind\":")?;
        write_str(out, a.kind.as_str())?;
        out.write_all(b",\"name\":")?;
        write_str(out, &a.name)?;
        out.write_all(b",\"cue\":")?;
        write_str(out, &a.cue)?;
        out.write_all(b",\"span\":")?;
        write_span(out, a.span)?;
        out.write_all(b"}")?;
    }
    out.write_all(b"],\"source\":")?;
    match row.source {
        Some(id) => write_str(out, id)?,
        None => out.write_all(b"null")?,
    }
    out.write_all(b",\"derived_from\":[")?;
    for (i, d) in row.derived_from.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"id\":")?;
        write_str(out, d.id)?;
        out.write_all(b",\"kind\":")?;
        write_str(out, d.kind)?;
        write!(out, ",\"score\":{},\"reasons\":", round4(d.score))?;
        write_reasons(out, d.reasons)?;
        out.write_all(b"}")?;
    }
    out.write_all(b"]")?;
    for (name, value) in row.fields {
        out.write_all(b",")?;
        if DOCUMENT_KEYS.contains(&name.as_str()) {
            write_str(out, &format!("input_{name}"))?;
        } else {
            write_str(out, name)?;
        }
        out.write_all(b":")?;
        out.write_all(value.get().as_bytes())?;
    }
    out.write_all(b"}\n")
}

/// One line of `clusters.jsonl`.
#[derive(Debug, Clone, Copy)]
pub struct ClusterRow<'a> {
    pub id: u32,
    /// The story the cluster belongs to.
    pub story: u32,
    pub representative: &'a str,
    pub members: &'a [&'a str],
    /// The cluster's derivation graph, with the ids of all documents by position.
    pub provenance: Option<(&'a ClusterProvenance, &'a [String])>,
}

/// Writes one `clusters.jsonl` line.
pub fn write_cluster<W: Write>(out: &mut W, row: &ClusterRow<'_>) -> io::Result<()> {
    write!(
        out,
        "{{\"id\":{},\"story\":{},\"size\":{}",
        row.id,
        row.story,
        row.members.len()
    )?;
    out.write_all(b",\"representative\":")?;
    write_str(out, row.representative)?;
    out.write_all(b",\"members\":[")?;
    for (i, member) in row.members.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_str(out, member)?;
    }
    out.write_all(b"]")?;
    if let Some((p, ids)) = row.provenance {
        write_cluster_provenance(out, p, ids)?;
    }
    out.write_all(b"}\n")
}

/// The provenance keys of a `clusters.jsonl` line: `source`, `source_reasons`,
/// `derivations`, `undirected`, `cited`.
fn write_cluster_provenance<W: Write>(
    out: &mut W,
    p: &ClusterProvenance,
    ids: &[String],
) -> io::Result<()> {
    let id = |doc: u32| ids.get(doc as usize).map_or("", String::as_str);
    out.write_all(b",\"source\":")?;
    match p.original {
        Some(original) => write_str(out, id(original))?,
        None => out.write_all(b"null")?,
    }
    out.write_all(b",\"source_reasons\":")?;
    write_reasons(out, &p.reasons)?;
    out.write_all(b",\"derivations\":[")?;
    for (i, d) in p.derivations.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"source\":")?;
        write_str(out, id(d.source))?;
        out.write_all(b",\"copy\":")?;
        write_str(out, id(d.copy))?;
        out.write_all(b",\"kind\":")?;
        write_str(out, d.kind.as_str())?;
        write!(
            out,
            ",\"similarity\":{},\"score\":{},\"reasons\":",
            round4(d.similarity),
            round4(d.score)
        )?;
        write_reasons(out, &d.reasons)?;
        out.write_all(b",\"against\":")?;
        write_reasons(out, &d.against)?;
        out.write_all(b"}")?;
    }
    out.write_all(b"],\"undirected\":[")?;
    for (i, u) in p.undirected.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"a\":")?;
        write_str(out, id(u.a))?;
        out.write_all(b",\"b\":")?;
        write_str(out, id(u.b))?;
        out.write_all(b",\"kind\":")?;
        write_str(out, u.kind.as_str())?;
        write!(out, ",\"similarity\":{}}}", round4(u.similarity))?;
    }
    out.write_all(b"],\"cited\":[")?;
    for (i, c) in p.cited.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"name\":")?;
        write_str(out, &c.name)?;
        out.write_all(b",\"kind\":")?;
        write_str(out, c.kind.as_str())?;
        out.write_all(b",\"by\":[")?;
        for (k, &doc) in c.by.iter().enumerate() {
            if k > 0 {
                out.write_all(b",")?;
            }
            write_str(out, id(doc))?;
        }
        out.write_all(b"]}")?;
    }
    out.write_all(b"]")
}

fn write_reasons<W: Write>(out: &mut W, reasons: &[Reason]) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, r) in reasons.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"code\":")?;
        write_str(out, r.code.as_str())?;
        out.write_all(b",\"text\":")?;
        write_str(out, &r.text)?;
        out.write_all(b"}")?;
    }
    out.write_all(b"]")
}

/// Writes one `texts.jsonl` line: a clustered document's text, for the report.
pub fn write_text<W: Write>(out: &mut W, id: &str, text: &str) -> io::Result<()> {
    out.write_all(b"{\"id\":")?;
    write_str(out, id)?;
    out.write_all(b",\"text\":")?;
    write_str(out, text)?;
    out.write_all(b"}\n")
}

/// One line of `matches.jsonl`.
#[derive(Debug, Clone, Copy)]
pub struct MatchRow<'a> {
    pub a: &'a str,
    pub b: &'a str,
    pub kind: &'a str,
    pub similarity: f32,
    /// Coverage and aligned passages, for passage-level matches.
    pub evidence: Option<&'a Evidence>,
}

/// Writes one `matches.jsonl` line.
pub fn write_match<W: Write>(out: &mut W, row: &MatchRow<'_>) -> io::Result<()> {
    out.write_all(b"{\"a\":")?;
    write_str(out, row.a)?;
    out.write_all(b",\"b\":")?;
    write_str(out, row.b)?;
    out.write_all(b",\"kind\":")?;
    write_str(out, row.kind)?;
    write!(out, ",\"similarity\":{}", round4(row.similarity))?;
    if let Some(evidence) = row.evidence {
        if evidence.corroborated {
            out.write_all(b",\"corroborated\":true")?;
        }
        write!(
            out,
            ",\"coverage_a\":{},\"coverage_b\":{},\"passages\":[",
            round4(evidence.coverage_a),
            round4(evidence.coverage_b)
        )?;
        for (i, p) in evidence.passages.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(b"{\"a\":")?;
            write_span(out, p.a)?;
            out.write_all(b",\"b\":")?;
            write_span(out, p.b)?;
            write!(
                out,
                ",\"words\":{},\"similarity\":{}}}",
                p.tokens,
                round4(p.similarity)
            )?;
        }
        out.write_all(b"]")?;
        if !evidence.sentences.is_empty() || !evidence.facts.is_empty() {
            out.write_all(b",\"sentences\":[")?;
            for (i, p) in evidence.sentences.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                out.write_all(b"{\"a\":")?;
                write_span(out, p.a)?;
                out.write_all(b",\"b\":")?;
                write_span(out, p.b)?;
                write!(out, ",\"similarity\":{}}}", round4(p.similarity))?;
            }
            out.write_all(b"],\"facts\":[")?;
            for (i, f) in evidence.facts.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",")?;
                }
                out.write_all(b"{\"kind\":")?;
                write_str(out, f.kind.as_str())?;
                out.write_all(b",\"value\":")?;
                write_str(out, &f.value)?;
                out.write_all(b",\"a\":")?;
                write_span(out, f.a)?;
                out.write_all(b",\"b\":")?;
                write_span(out, f.b)?;
                write!(out, ",\"weight\":{}}}", round4(f.weight))?;
            }
            out.write_all(b"]")?;
        }
    }
    out.write_all(b"}\n")
}

fn write_span<W: Write>(out: &mut W, span: CharSpan) -> io::Result<()> {
    write!(out, "[{},{}]", span.start, span.end)
}

/// Rounds to four decimals: more would be noise from the estimate, and fixed rounding
/// keeps output byte-stable.
fn round4(x: f32) -> f64 {
    (f64::from(x) * 10_000.0).round() / 10_000.0
}

/// Writes `s` as a JSON string, escaped exactly as `serde_json` does it (`\"`, `\\`,
/// `\b`, `\f`, `\n`, `\r`, `\t`, `\u00xx` for other control characters; nothing
/// else). Texts are most of what a scan writes (`texts.jsonl`), and almost none of their
/// bytes need escaping: runs of clean bytes are skipped eight at a time and copied whole.
fn write_str<W: Write>(out: &mut W, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    out.write_all(b"\"")?;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(word) = bytes
            .get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
        {
            if !needs_escape(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0C => b"\\f",
            0x00..=0x1F => b"",
            _ => {
                i += 1;
                continue;
            }
        };
        out.write_all(&bytes[copied..i])?;
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.write_all(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xF)],
            ])?;
        } else {
            out.write_all(short)?;
        }
        i += 1;
        copied = i;
    }
    out.write_all(&bytes[copied..])?;
    out.write_all(b"\"")
}

/// Whether any of the eight bytes of `word` is a control character, `"` or `\`.
/// (The classic bit tricks: `x - 0x01.. & !x & 0x80..` flags a zero byte, and with
/// `0x20..` a byte below 0x20; exact for "is there any such byte".)
#[inline]
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |v: u64, n: u64| v.wrapping_sub(ONES * n) & !v & HIGH;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    (below(word, 0x20) | below(quote, 1) | below(backslash, 1)) != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn escaped(s: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, s).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_like_serde_json() {
        for s in [
            "",
            "plain text longer than eight bytes",
            "a\"b\\c\nd\re\tf\u{8}g\u{c}h\u{1}i\u{1f}j\u{7f}",
            "«\u{a0}guillemets\u{a0}» and “quotes”\n\n",
            "\"\"\"\"\"\"\"\"\"",
        ] {
            assert_eq!(escaped(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    proptest! {
        #[test]
        fn any_string_is_escaped_like_serde_json(
            s in "(\\PC|[\\x00-\\x20\"\\\\\u{7f}]){0,40}"
        ) {
            prop_assert_eq!(escaped(&s), serde_json::to_string(&s).unwrap());
        }
    }

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.to_string()).unwrap()
    }

    #[test]
    fn document_line_carries_fields_and_renames_clashes() {
        let fields = vec![
            ("date".to_string(), raw("\"2024-10-01\"")),
            ("n".to_string(), raw("1.50")),
            ("cluster".to_string(), raw("7")),
        ];
        let mut out = Vec::new();
        write_document(
            &mut out,
            &DocumentRow {
                id: "a\"b",
                cluster: 3,
                story: 1,
                relation: Some("near"),
                representative: false,
                boilerplate: &[],
                repeats: &[],
                fields: &fields,
                text_date: Some(20241000),
                attributions: &[],
                source: None,
                derived_from: &[],
            },
        )
        .unwrap();
        let line = String::from_utf8(out).unwrap();
        assert_eq!(
            line,
            "{\"id\":\"a\\\"b\",\"cluster\":3,\"story\":1,\"relation\":\"near\",\"representative\":false,\"boilerplate\":[],\"repeats\":[],\"text_date\":\"2024-10\",\"attributions\":[],\"source\":null,\"derived_from\":[],\"date\":\"2024-10-01\",\"n\":1.50,\"input_cluster\":7}\n"
        );
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["input_cluster"], 7);
    }

    #[test]
    fn cluster_and_match_lines() {
        let mut out = Vec::new();
        write_cluster(
            &mut out,
            &ClusterRow {
                id: 0,
                story: 0,
                representative: "x",
                members: &["x", "y"],
                provenance: None,
            },
        )
        .unwrap();
        write_match(
            &mut out,
            &MatchRow {
                a: "x",
                b: "y",
                kind: "near",
                similarity: 0.876_543,
                evidence: None,
            },
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"id\":0,\"story\":0,\"size\":2,\"representative\":\"x\",\"members\":[\"x\",\"y\"]}\n{\"a\":\"x\",\"b\":\"y\",\"kind\":\"near\",\"similarity\":0.8765}\n"
        );
    }
}
