//! Writers for the three files of a scan (`documents.jsonl`, `clusters.jsonl`,
//! `matches.jsonl`). Their fields are the contract later work extends, documented in the
//! README; keys come out in a fixed order and floats are rounded, so the same scan
//! always writes the same bytes.

use std::io::{self, Write};

use reprint_core::analysis::{BoilerplateSpan, RepeatSpan};
use reprint_core::{CharSpan, Evidence};
use serde_json::value::RawValue;

/// Keys reprint writes itself in `documents.jsonl`; an input field with one of these names
/// is carried as `input_<name>` rather than dropped or duplicated.
pub const DOCUMENT_KEYS: &[&str] = &[
    "id",
    "cluster",
    "relation",
    "representative",
    "boilerplate",
    "repeats",
];

/// One line of `documents.jsonl`.
#[derive(Debug, Clone, Copy)]
pub struct DocumentRow<'a> {
    pub id: &'a str,
    /// Id of the document's cluster (its own position when alone).
    pub cluster: u32,
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
}

/// Writes one `documents.jsonl` line.
pub fn write_document<W: Write>(out: &mut W, row: &DocumentRow<'_>) -> io::Result<()> {
    out.write_all(b"{\"id\":")?;
    write_str(out, row.id)?;
    write!(out, ",\"cluster\":{}", row.cluster)?;
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
    pub representative: &'a str,
    pub members: &'a [&'a str],
}

/// Writes one `clusters.jsonl` line.
pub fn write_cluster<W: Write>(out: &mut W, row: &ClusterRow<'_>) -> io::Result<()> {
    write!(out, "{{\"id\":{},\"size\":{}", row.id, row.members.len())?;
    out.write_all(b",\"representative\":")?;
    write_str(out, row.representative)?;
    out.write_all(b",\"members\":[")?;
    for (i, member) in row.members.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_str(out, member)?;
    }
    out.write_all(b"]}\n")
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

fn write_str<W: Write>(out: &mut W, s: &str) -> io::Result<()> {
    serde_json::to_writer(&mut *out, s).map_err(io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;

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
                relation: Some("near"),
                representative: false,
                boilerplate: &[],
                repeats: &[],
                fields: &fields,
            },
        )
        .unwrap();
        let line = String::from_utf8(out).unwrap();
        assert_eq!(
            line,
            "{\"id\":\"a\\\"b\",\"cluster\":3,\"relation\":\"near\",\"representative\":false,\"boilerplate\":[],\"repeats\":[],\"date\":\"2024-10-01\",\"n\":1.50,\"input_cluster\":7}\n"
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
                representative: "x",
                members: &["x", "y"],
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
            "{\"id\":0,\"size\":2,\"representative\":\"x\",\"members\":[\"x\",\"y\"]}\n{\"a\":\"x\",\"b\":\"y\",\"kind\":\"near\",\"similarity\":0.8765}\n"
        );
    }
}
