//! Parquet output (feature `parquet`): every key of every JSONL row, nested ones
//! included, comes back from the Parquet table with its value; carried fields are typed
//! from their values; a row the schema does not know is an error, not a silent loss.
#![cfg(feature = "parquet")]

use reprint_core::fingerprint::analysis::{BoilerplateSpan, RepeatSpan};
use reprint_core::fingerprint::boilerplate::BoilerplateReason;
use reprint_core::provenance::attribution::{Attribution, AttributionKind};
use reprint_core::provenance::{
    Cited, ClusterProvenance, Derivation, Reason, ReasonCode, Undirected,
};
use reprint_core::relation::{Fact, FactKind, PassageSpan, SentencePair};
use reprint_core::{CharSpan, Evidence, Relation};
use reprint_io::output::parquet::{carried_columns, fields_for_parquet, CarriedType, ParquetTable};
use reprint_io::output::{
    write_cluster, write_document, write_match, write_text, ClusterRow, DerivedFromRow,
    DocumentRow, MatchRow, Table,
};
use serde_json::value::RawValue;
use serde_json::Value;

fn span(start: u32, end: u32) -> CharSpan {
    CharSpan { start, end }
}

fn raw(s: &str) -> Box<RawValue> {
    RawValue::from_string(s.to_string()).unwrap()
}

fn reasons() -> Vec<Reason> {
    vec![Reason {
        code: ReasonCode::EarlierDate,
        text: "dated 2024-10-01, \"earlier\"".into(),
    }]
}

/// Numbers compared as numbers (an integer in a float column reads back as a float),
/// absent keys as nulls (Parquet has a column for every key).
fn normalised(v: Value) -> Value {
    match v {
        Value::Number(n) => serde_json::json!(n.as_f64().unwrap()),
        Value::Array(items) => Value::Array(items.into_iter().map(normalised).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, normalised(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Writes `lines` as `table` and reads the rows back as JSON values.
fn round_trip(
    table: Table,
    carried: &[reprint_io::output::parquet::CarriedColumn],
    lines: &[Vec<u8>],
) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.parquet");
    let mut out = ParquetTable::new(std::fs::File::create(&path).unwrap(), table, carried).unwrap();
    for line in lines {
        out.write_row(line).unwrap();
    }
    assert_eq!(out.rows(), lines.len() as u64);
    out.finish().unwrap();
    let back = reprint_io::output::parquet::json_lines(&path).unwrap();
    std::str::from_utf8(&back)
        .unwrap()
        .lines()
        .map(|l| normalised(serde_json::from_str(l).unwrap()))
        .collect()
}

fn parsed(lines: &[Vec<u8>]) -> Vec<Value> {
    lines
        .iter()
        .map(|l| normalised(serde_json::from_slice(l).unwrap()))
        .collect()
}

#[test]
fn document_rows_come_back_whole_with_typed_carried_fields() {
    let records: Vec<Vec<(String, Box<RawValue>)>> = vec![
        vec![
            ("title".into(), raw("\"Un titre «\\\"cité\\\"»\"")),
            ("n".into(), raw("3")),
            ("score".into(), raw("1")),
            ("ok".into(), raw("true")),
            ("meta".into(), raw("{\"k\":[1,2]}")),
            ("cluster".into(), raw("7")),
        ],
        vec![
            ("title".into(), raw("null")),
            ("n".into(), raw("-12")),
            ("score".into(), raw("2.5")),
            ("ok".into(), raw("false")),
            ("meta".into(), raw("\"plain\"")),
        ],
    ];
    let columns = carried_columns(records.iter().map(Vec::as_slice));
    let kinds: Vec<(&str, &str, CarriedType)> = columns
        .iter()
        .map(|c| (c.field.as_str(), c.name.as_str(), c.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("title", "title", CarriedType::Utf8),
            ("n", "n", CarriedType::Int64),
            ("score", "score", CarriedType::Float64),
            ("ok", "ok", CarriedType::Boolean),
            ("meta", "meta", CarriedType::Json),
            ("cluster", "input_cluster", CarriedType::Int64),
        ]
    );
    let boilerplate = [BoilerplateSpan {
        span: span(0, 12),
        reason: BoilerplateReason::Recurring,
    }];
    let repeats = [RepeatSpan {
        copy: span(40, 60),
        first: span(10, 30),
    }];
    let attributions = [Attribution {
        kind: AttributionKind::Agency,
        name: "AFP".into(),
        cue: "(AFP)".into(),
        span: span(70, 75),
    }];
    let why = reasons();
    let derived = [DerivedFromRow {
        id: "src",
        kind: "partial",
        score: 0.75,
        reasons: &why,
    }];
    let mut json = Vec::new();
    let mut for_parquet = Vec::new();
    for (i, fields) in records.iter().enumerate() {
        let row = |fields: &[(String, Box<RawValue>)]| {
            let mut line = Vec::new();
            write_document(
                &mut line,
                &DocumentRow {
                    id: if i == 0 { "d\"0" } else { "d1" },
                    cluster: 0,
                    story: 4,
                    relation: (i == 0).then_some("partial"),
                    representative: i == 1,
                    boilerplate: if i == 0 { &boilerplate } else { &[] },
                    repeats: if i == 0 { &repeats } else { &[] },
                    fields,
                    text_date: (i == 0).then_some(20241003),
                    attributions: if i == 0 { &attributions } else { &[] },
                    source: (i == 0).then_some("d1"),
                    derived_from: if i == 0 { &derived } else { &[] },
                },
            )
            .unwrap();
            line
        };
        json.push(row(fields));
        for_parquet.push(row(&fields_for_parquet(fields, &columns)));
    }
    // The object-valued field comes back as its JSON text.
    let expected: Vec<Value> = json
        .iter()
        .map(|l| {
            let mut doc: Value = serde_json::from_slice(l).unwrap();
            if let Some(meta) = doc.get_mut("meta") {
                *meta = Value::String(meta.to_string());
            }
            normalised(doc)
        })
        .collect();
    assert_eq!(
        round_trip(Table::Documents, &columns, &for_parquet),
        expected
    );
}

#[test]
fn cluster_match_and_text_rows_come_back_whole() {
    let ids: Vec<String> = ["x", "y", "z"].iter().map(|s| s.to_string()).collect();
    let provenance = ClusterProvenance {
        cluster: 0,
        original: Some(0),
        representative: 0,
        reasons: reasons(),
        derivations: vec![Derivation {
            source: 0,
            copy: 1,
            kind: Relation::Partial,
            similarity: 0.5,
            score: 0.9,
            reasons: reasons(),
            against: vec![],
        }],
        undirected: vec![Undirected {
            a: 1,
            b: 2,
            kind: Relation::Near,
            similarity: 0.8125,
        }],
        cited: vec![Cited {
            name: "Agence".into(),
            kind: AttributionKind::Agency,
            by: vec![0, 2],
        }],
    };
    let mut clusters = Vec::new();
    for with_provenance in [true, false] {
        let mut line = Vec::new();
        write_cluster(
            &mut line,
            &ClusterRow {
                id: 0,
                story: 0,
                representative: "x",
                members: &["x", "y", "z"],
                provenance: with_provenance.then_some((&provenance, ids.as_slice())),
            },
        )
        .unwrap();
        clusters.push(line);
    }
    assert_eq!(
        round_trip(Table::Clusters, &[], &clusters),
        parsed(&clusters)
    );

    let story = Evidence {
        coverage_a: 0.25,
        coverage_b: 0.5,
        passages: vec![PassageSpan {
            a: span(1, 50),
            b: span(3, 52),
            tokens: 9,
            similarity: 1.0,
        }],
        sentences: vec![SentencePair {
            a: span(0, 40),
            b: span(10, 44),
            similarity: 0.6,
        }],
        facts: vec![Fact {
            kind: FactKind::Quote,
            a: span(5, 20),
            b: span(6, 21),
            value: "« une \"citation\" »".into(),
            weight: 2.5,
        }],
        corroborated: true,
    };
    let verbatim = Evidence {
        sentences: vec![],
        facts: vec![],
        corroborated: false,
        ..story.clone()
    };
    let mut matches = Vec::new();
    for evidence in [Some(&story), Some(&verbatim), None] {
        let mut line = Vec::new();
        write_match(
            &mut line,
            &MatchRow {
                a: "x",
                b: "y",
                kind: "same-story",
                similarity: 0.123_456,
                evidence,
            },
        )
        .unwrap();
        matches.push(line);
    }
    assert_eq!(round_trip(Table::Matches, &[], &matches), parsed(&matches));

    let mut texts = Vec::new();
    for (id, text) in [("x", "line one\nline \"two\"\t\u{1}"), ("y", "")] {
        let mut line = Vec::new();
        write_text(&mut line, id, text).unwrap();
        texts.push(line);
    }
    assert_eq!(round_trip(Table::Texts, &[], &texts), parsed(&texts));
}

#[test]
fn a_key_the_schema_does_not_know_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(dir.path().join("t.parquet")).unwrap();
    let mut out = ParquetTable::new(file, Table::Texts, &[]).unwrap();
    out.write_row(b"{\"id\":\"x\",\"text\":\"t\"}\n").unwrap();
    out.write_row(b"{\"id\":\"y\",\"text\":\"t\",\"extra\":1}\n")
        .unwrap();
    // Rows are checked a batch at a time: at the latest when the file is finished.
    let err = out.finish().unwrap_err();
    assert!(err.to_string().contains("rows 1-2"), "{err}");
    assert!(err.to_string().contains("extra"), "{err}");
}

#[test]
fn many_rows_span_several_batches_in_order() {
    let lines: Vec<Vec<u8>> = (0..10_000)
        .map(|i| {
            let mut line = Vec::new();
            write_text(&mut line, &format!("doc-{i}"), &"mot ".repeat(i % 7)).unwrap();
            line
        })
        .collect();
    assert_eq!(round_trip(Table::Texts, &[], &lines), parsed(&lines));
}

#[test]
fn texts_written_directly_equal_texts_written_as_rows() {
    let texts: Vec<(String, String)> = (0..5000)
        .map(|i| {
            (
                format!("doc-{i}"),
                format!("ligne «{i}»\n\t\"{}\"", "é".repeat(i % 300)),
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("direct.parquet");
    let mut out =
        ParquetTable::new(std::fs::File::create(&path).unwrap(), Table::Texts, &[]).unwrap();
    for (id, text) in &texts {
        out.write_text(id, text).unwrap();
    }
    assert_eq!(out.rows(), texts.len() as u64);
    out.finish().unwrap();
    let direct = reprint_io::output::parquet::json_lines(&path).unwrap();
    let lines: Vec<Vec<u8>> = texts
        .iter()
        .map(|(id, text)| {
            let mut line = Vec::new();
            write_text(&mut line, id, text).unwrap();
            line
        })
        .collect();
    let direct: Vec<Value> = std::str::from_utf8(&direct)
        .unwrap()
        .lines()
        .map(|l| normalised(serde_json::from_str(l).unwrap()))
        .collect();
    assert_eq!(direct, round_trip(Table::Texts, &[], &lines));
    assert_eq!(direct, parsed(&lines));
}
