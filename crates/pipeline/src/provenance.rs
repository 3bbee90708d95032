//! Provenance facts: each document's dates, publisher, attribution lines and the sizes
//! of its boilerplate and repetition, gathered from pass 1 and pass 2, then
//! [`reprint_core::provenance`] over the clusters.

use rayon::prelude::*;
use reprint_core::provenance::attribution::publisher_key;
use reprint_core::provenance::{provenance, DateOrigin, DocDate, DocFacts, Provenance};

use crate::ScanResult;

/// What provenance found, with each document's facts for the writers.
#[derive(Debug, Default)]
pub struct ScanProvenance {
    pub provenance: Provenance,
    pub facts: Vec<DocFacts>,
    /// Dates read from the texts (`yyyymmdd`), whatever the `date` field says.
    pub text_dates: Vec<Option<u32>>,
}

/// Gathers the facts pass 1 read from each text, and runs provenance.
pub(crate) fn compute_provenance(scan: &ScanResult) -> ScanProvenance {
    let corpus = &scan.corpus;
    let field_dates = corpus.dates();
    let facts: Vec<DocFacts> = (0..corpus.len())
        .into_par_iter()
        .map(|doc| {
            let analysis = &corpus.analyses[doc];
            let date = match (field_dates[doc], analysis.text_date) {
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
            DocFacts {
                date,
                publisher: corpus
                    .site(doc)
                    .map(str::to_string)
                    .or_else(|| corpus.string_field(doc, "url"))
                    .map(|s| publisher_key(&s))
                    .filter(|k| !k.is_empty()),
                attributions: analysis.attributions.clone(),
                chars: analysis.chars,
                boilerplate_chars: scan
                    .boilerplate(doc)
                    .iter()
                    .map(|b| span_chars(b.span.start, b.span.end))
                    .sum(),
                repeat_chars: scan
                    .repeats(doc)
                    .iter()
                    .map(|r| span_chars(r.copy.start, r.copy.end))
                    .sum(),
            }
        })
        .collect();
    let text_dates = corpus.analyses.iter().map(|a| a.text_date).collect();
    let provenance = provenance(&scan.outcome.clustering, &scan.outcome.matches, &facts);
    ScanProvenance {
        provenance,
        facts,
        text_dates,
    }
}
