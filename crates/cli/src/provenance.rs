//! Scan glue for provenance: gathers each document's facts (dates, publisher,
//! attribution lines, boilerplate and repetition sizes), runs
//! [`reprint_core::provenance`], and writes `texts.jsonl` for the report.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use rayon::prelude::*;
use reprint_core::provenance::attribution::publisher_key;
use reprint_core::provenance::{provenance, DateOrigin, DocDate, DocFacts, Provenance};
use reprint_core::scan::ScanOutcome;
use reprint_io::output::write_text;

use crate::ingest::Corpus;
use crate::scan::Reports;

/// What provenance found, with each document's facts for the writers.
pub struct ScanProvenance {
    pub provenance: Provenance,
    pub facts: Vec<DocFacts>,
    /// Dates read from the texts (`yyyymmdd`), whatever the `date` field says.
    pub text_dates: Vec<Option<u32>>,
}

/// Gathers the facts pass 1 read from each text, and runs provenance.
pub fn compute(
    corpus: &Corpus,
    outcome: &ScanOutcome,
    reports: &Reports<'_>,
) -> anyhow::Result<ScanProvenance> {
    let field_dates = corpus.dates();
    let per_doc: Vec<(DocFacts, Option<u32>)> = (0..corpus.len())
        .into_par_iter()
        .map(|doc| -> anyhow::Result<(DocFacts, Option<u32>)> {
            let analysis = &corpus.analyses[doc];
            let text_date = analysis.text_date;
            let date = match (field_dates[doc], text_date) {
                (Some(value), _) => Some(DocDate {
                    value,
                    origin: DateOrigin::Field,
                }),
                (None, Some(value)) => Some(DocDate {
                    value,
                    origin: DateOrigin::Text,
                }),
                (None, None) => None,
            };
            let span_chars = |start: u32, end: u32| end.saturating_sub(start);
            let facts = DocFacts {
                date,
                publisher: publisher(corpus, doc),
                attributions: analysis.attributions.clone(),
                chars: analysis.chars,
                boilerplate_chars: reports
                    .boilerplate(corpus, doc)
                    .iter()
                    .map(|b| span_chars(b.span.start, b.span.end))
                    .sum(),
                repeat_chars: reports
                    .repeats(corpus, doc)
                    .iter()
                    .map(|r| span_chars(r.copy.start, r.copy.end))
                    .sum(),
            };
            Ok((facts, text_date))
        })
        .collect::<anyhow::Result<_>>()?;
    let (facts, text_dates): (Vec<DocFacts>, Vec<Option<u32>>) = per_doc.into_iter().unzip();
    let provenance = provenance(&outcome.clustering, &outcome.matches, &facts);
    Ok(ScanProvenance {
        provenance,
        facts,
        text_dates,
    })
}

/// The publisher key of a document: from its `site` field, else its `url` field.
fn publisher(corpus: &Corpus, doc: usize) -> Option<String> {
    let url = || {
        corpus.fields[doc]
            .iter()
            .find(|(name, _)| name == "url")
            .and_then(|(_, value)| serde_json::from_str::<String>(value.get()).ok())
    };
    corpus
        .site(doc)
        .map(str::to_string)
        .or_else(url)
        .map(|s| publisher_key(&s))
        .filter(|k| !k.is_empty())
}

/// Writes `texts.jsonl`: the id and text of every document in a cluster, in input
/// order. Only clustered documents: the report shows nothing else, and the scan's
/// output stays far smaller than its input.
pub fn write_texts(dir: &Path, corpus: &Corpus, outcome: &ScanOutcome) -> anyhow::Result<()> {
    let texts = corpus
        .texts
        .as_ref()
        .context("internal error: texts were not kept")?;
    let path = dir.join("texts.jsonl");
    let file = std::fs::File::create(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut clustered = vec![false; corpus.len()];
    for c in &outcome.clustering.clusters {
        for &m in &c.members {
            clustered[m as usize] = true;
        }
    }
    // Lines are formatted in parallel, a chunk of documents at a time, and written in
    // input order; each chunk is written while the next one is formatted.
    let members: Vec<usize> = (0..corpus.len()).filter(|&d| clustered[d]).collect();
    let format = |chunk: &[usize]| -> anyhow::Result<Vec<Vec<u8>>> {
        chunk
            .par_iter()
            .map(|&doc| -> anyhow::Result<Vec<u8>> {
                let text = texts
                    .get(doc)
                    .context("cannot read a text back from the temporary file")?;
                let mut line = Vec::with_capacity(text.len() + 64);
                write_text(&mut line, &corpus.ids[doc], &text)?;
                Ok(line)
            })
            .collect()
    };
    let mut write = |lines: Vec<Vec<u8>>| -> anyhow::Result<()> {
        for line in lines {
            out.write_all(&line)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    };
    let mut formatted: Option<Vec<Vec<u8>>> = None;
    for chunk in members.chunks(4096) {
        let (next, written) = rayon::join(
            || format(chunk),
            || formatted.take().map_or(Ok(()), &mut write),
        );
        written?;
        formatted = Some(next?);
    }
    if let Some(lines) = formatted {
        write(lines)?;
    }
    out.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}
