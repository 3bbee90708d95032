//! Write: the scan folder's files (the README's output contract), formatted by
//! `reprint_io::output`, staged as temporary files and put in place together with the
//! folder's manifest (`reprint_io::manifest`), so that a folder is either the last
//! complete scan or refused by its readers.

use std::io::Write;
use std::path::Path;

use rayon::prelude::*;
use reprint_io::output::{
    write_cluster, write_document, write_match, write_text, ClusterRow, DerivedFromRow,
    DocumentRow, MatchRow,
};

use reprint_io::manifest::{self, StagedFile};

use crate::{JobError, ScanResult};

fn create(dir: &Path, name: &'static str) -> Result<StagedFile, JobError> {
    StagedFile::create(dir, name).map_err(|e| JobError::file("cannot create a file in", dir, e))
}

fn write_error(path: &Path) -> impl Fn(std::io::Error) -> JobError + '_ {
    move |e| JobError::file("cannot write", path, e)
}

impl ScanResult {
    /// Writes `documents.jsonl`, `clusters.jsonl`, `matches.jsonl` and `texts.jsonl`
    /// into `dir` (which must exist), side by side, then `manifest.json`. Nothing in
    /// `dir` changes until all four are complete; a failure before that leaves the
    /// previous scan's folder as it was.
    pub fn write(&self, dir: &Path) -> Result<(), JobError> {
        let (outputs, texts) = rayon::join(|| self.write_results(dir), || self.write_texts(dir));
        let mut files = outputs?;
        files.push(texts?);
        manifest::commit(dir, files)
            .map_err(|e| JobError::file("cannot put the scan's files in place in", dir, e))?;
        Ok(())
    }

    fn write_results(&self, dir: &Path) -> Result<Vec<StagedFile>, JobError> {
        let corpus = &self.corpus;
        let clustering = &self.outcome.clustering;
        let provenance = &self.provenance;
        let prov = &provenance.provenance;
        let path = dir.join("documents.jsonl");
        let mut documents = create(dir, "documents.jsonl")?;
        let out = &mut documents;
        for (doc, id) in corpus.ids.iter().enumerate() {
            let doc = doc as u32;
            let parents = prov.derived_from(doc);
            let derived_from: Vec<DerivedFromRow> = parents
                .iter()
                .map(|d| DerivedFromRow {
                    id: &corpus.ids[d.source as usize],
                    kind: d.kind.as_str(),
                    score: d.score,
                    reasons: &d.reasons,
                })
                .collect();
            out.line_written();
            write_document(
                &mut *out,
                &DocumentRow {
                    id,
                    cluster: clustering.cluster_of[doc as usize],
                    story: clustering.story_of[doc as usize],
                    relation: clustering.relation[doc as usize].map(|r| r.as_str()),
                    representative: clustering.is_kept(doc),
                    boilerplate: self.boilerplate(doc as usize),
                    repeats: self.repeats(doc as usize),
                    fields: &corpus.fields[doc as usize],
                    text_date: provenance.text_dates[doc as usize],
                    attributions: &provenance.facts[doc as usize].attributions,
                    source: prov
                        .original_of(doc)
                        .map(|o| corpus.ids[o as usize].as_str()),
                    derived_from: &derived_from,
                },
            )
            .map_err(write_error(&path))?;
        }
        out.flush().map_err(write_error(&path))?;

        let path = dir.join("clusters.jsonl");
        let mut clusters = create(dir, "clusters.jsonl")?;
        let out = &mut clusters;
        for cluster in &clustering.clusters {
            let members: Vec<&str> = cluster
                .members
                .iter()
                .map(|&m| corpus.ids[m as usize].as_str())
                .collect();
            out.line_written();
            write_cluster(
                &mut *out,
                &ClusterRow {
                    id: cluster.id,
                    story: clustering.story_of[cluster.id as usize],
                    representative: &corpus.ids[prov
                        .of(cluster.id)
                        .map_or(cluster.representative, |p| p.representative)
                        as usize],
                    members: &members,
                    provenance: prov.of(cluster.id).map(|p| (p, corpus.ids.as_slice())),
                },
            )
            .map_err(write_error(&path))?;
        }
        out.flush().map_err(write_error(&path))?;

        let path = dir.join("matches.jsonl");
        let mut matches = create(dir, "matches.jsonl")?;
        let out = &mut matches;
        for m in &self.outcome.matches {
            out.line_written();
            write_match(
                &mut *out,
                &MatchRow {
                    a: &corpus.ids[m.a as usize],
                    b: &corpus.ids[m.b as usize],
                    kind: m.kind.as_str(),
                    similarity: m.similarity,
                    evidence: m.evidence.as_deref(),
                },
            )
            .map_err(write_error(&path))?;
        }
        out.flush().map_err(write_error(&path))?;
        Ok(vec![documents, clusters, matches])
    }

    /// Writes `texts.jsonl`: the id and text of every document in a cluster, in input
    /// order. Only clustered documents: the report shows nothing else, and the scan's
    /// output stays far smaller than its input.
    fn write_texts(&self, dir: &Path) -> Result<StagedFile, JobError> {
        let corpus = &self.corpus;
        let texts = corpus.texts.as_ref().ok_or_else(|| {
            JobError::io(
                "internal error: texts were not kept",
                std::io::Error::other("no spool"),
            )
        })?;
        let path = dir.join("texts.jsonl");
        let mut out = create(dir, "texts.jsonl")?;
        let mut clustered = vec![false; corpus.len()];
        for c in &self.outcome.clustering.clusters {
            for &m in &c.members {
                clustered[m as usize] = true;
            }
        }
        // Lines are formatted in parallel, a chunk of documents at a time, and written in
        // input order; each chunk is written while the next one is formatted.
        let members: Vec<usize> = (0..corpus.len()).filter(|&d| clustered[d]).collect();
        let format = |chunk: &[usize]| -> Result<Vec<Vec<u8>>, JobError> {
            chunk
                .par_iter()
                .map(|&doc| -> Result<Vec<u8>, JobError> {
                    let text = texts.get(doc).map_err(|e| {
                        JobError::io("cannot read a text back from the temporary file", e)
                    })?;
                    let mut line = Vec::with_capacity(text.len() + 64);
                    write_text(&mut line, &corpus.ids[doc], &text).map_err(write_error(&path))?;
                    Ok(line)
                })
                .collect()
        };
        let write = |out: &mut StagedFile, lines: Vec<Vec<u8>>| -> Result<(), JobError> {
            for line in lines {
                out.write_all(&line).map_err(write_error(&path))?;
                out.line_written();
            }
            Ok(())
        };
        let mut formatted: Option<Vec<Vec<u8>>> = None;
        for chunk in members.chunks(4096) {
            let (next, written) = rayon::join(
                || format(chunk),
                || {
                    formatted
                        .take()
                        .map_or(Ok(()), |lines| write(&mut out, lines))
                },
            );
            written?;
            formatted = Some(next?);
        }
        if let Some(lines) = formatted {
            write(&mut out, lines)?;
        }
        out.flush().map_err(write_error(&path))?;
        Ok(out)
    }
}
