//! reprint from Python: the extension module `reprint._reprint`, a thin layer over
//! `reprint-pipeline` (the same scan job as the CLI, with the same settings and
//! checks).
//!
//! # Design
//!
//! The Python side (`python/reprint/__init__.py`) turns whatever the user hands over
//! (lists of dicts, pandas or polars data frames, Arrow tables, paths) into three
//! columns: ids, texts and each record's other fields as JSON text, in order. This
//! module makes them `reprint_io::MemoryRecord`s, runs the job with the GIL released
//! (`Python::detach`: other Python threads go on while it works), and hands back the
//! result tables as the JSONL bytes of the output contract, which Python parses into
//! dicts: one source of truth for every key. Errors are `reprint.ReprintError` with the
//! pipeline's message, which names the record (`<records>:N`, N its 1-based position)
//! or the file and line.

use arrow_array::ffi_stream::{FFI_ArrowArrayStream, RecordBatchStreamReader};
use arrow_array::RecordBatchReader;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyCapsule, PyDict};
use reprint_core::compare::{compare, CompareContext};
use reprint_core::fingerprint::analysis::Analyzer;
use reprint_core::fingerprint::boilerplate::LineCounter;
use reprint_io::{read_arrow, MemoryRecord, ReadOptions};
use reprint_pipeline::compare::{report_json, Side};
use reprint_pipeline::{
    scan_in_work, scan_records, scan_staged, scan_stream, scan_with, stage_shard, InputSpec,
    JobError, MatchSettings, NoProgress, Resources, ScanResult, StagedRecords, WorkFolder,
};
use serde_json::value::RawValue;

/// mimalloc for Rust's allocations (Python's own are untouched): the scan allocates many
/// small vectors per document on every core, where the system allocator made the same
/// scan about 20% slower than the CLI's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

create_exception!(
    _reprint,
    ReprintError,
    PyException,
    "A bad record, a bad option or a failed read or write; the message says which."
);

/// The error and its causes, as one line.
fn message(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn job_error(e: JobError) -> PyErr {
    ReprintError::new_err(message(&e))
}

/// The job's settings from keyword options (the CLI's flags, `-` as `_`); an unknown
/// name is a `TypeError`, a value out of range a `ReprintError` from the pipeline's
/// own checks.
fn settings(options: Option<&Bound<'_, PyDict>>) -> PyResult<(MatchSettings, Resources, bool)> {
    let (s, resources, skip_invalid, work) = settings_and_work(options)?;
    if work.is_some() {
        return Err(PyTypeError::new_err(
            "work= and shards= need paths: a work folder keeps pass 1 of input files",
        ));
    }
    Ok((s, resources, skip_invalid))
}

/// [`settings`], with the work folder (`work=`, `shards=`) when one is asked for.
fn settings_and_work(
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<(MatchSettings, Resources, bool, Option<WorkFolder>)> {
    let mut s = MatchSettings::default();
    let mut resources = Resources::default();
    let mut skip_invalid = false;
    let mut work: Option<std::path::PathBuf> = None;
    let mut shards: Option<u32> = None;
    if let Some(options) = options {
        for (key, value) in options.iter() {
            let key: String = key.extract()?;
            match key.as_str() {
                "threshold" => s.threshold = value.extract()?,
                "ngram" => s.ngram = value.extract()?,
                "num_perm" => s.num_perm = value.extract()?,
                "fold_accents" => s.fold_accents = value.extract()?,
                "no_passages" => s.no_passages = value.extract()?,
                "max_df" => s.max_df = value.extract()?,
                "min_passage_words" => s.min_passage_words = value.extract()?,
                "min_passage_similarity" => s.min_passage_similarity = value.extract()?,
                "min_shared_keys" => s.min_shared_keys = value.extract()?,
                "min_copy_words" => s.min_copy_words = value.extract()?,
                "min_copy_coverage" => s.min_copy_coverage = value.extract()?,
                "no_stories" => s.no_stories = value.extract()?,
                "min_story_score" => s.min_story_score = value.extract()?,
                "min_corroborating_score" => s.min_corroborating_score = value.extract()?,
                "min_sentence_similarity" => s.min_sentence_similarity = value.extract()?,
                "skip_invalid" => skip_invalid = value.extract()?,
                "work" => work = value.extract()?,
                "shards" => shards = value.extract()?,
                "memory_gb" => {
                    if !value.is_none() {
                        resources =
                            Resources::with_memory_gb(value.extract()?).map_err(job_error)?;
                    }
                }
                other => {
                    return Err(PyTypeError::new_err(format!(
                        "unknown option {other:?} (options are the scan's flags, with `_` for `-`)"
                    )))
                }
            }
        }
    }
    s.analysis_options().map_err(job_error)?;
    s.match_options().map_err(job_error)?;
    let folder = match (work, shards) {
        (Some(dir), shards) => Some(WorkFolder { dir, shards }),
        (None, Some(_)) => return Err(PyTypeError::new_err("shards= needs work=")),
        (None, None) => None,
    };
    Ok((s, resources, skip_invalid, folder))
}

/// What a scan hands back: the JSONL bytes of documents, clusters and matches, and the
/// summary line of what was read.
type Tables = (Py<PyBytes>, Py<PyBytes>, Py<PyBytes>, String);

fn tables(py: Python<'_>, result: Result<ScanResult, JobError>) -> PyResult<Tables> {
    let result = result.map_err(job_error)?;
    let t = result.jsonl_tables().map_err(job_error)?;
    Ok((
        PyBytes::new(py, &t.documents).unbind(),
        PyBytes::new(py, &t.clusters).unbind(),
        PyBytes::new(py, &t.matches).unbind(),
        result.corpus.summary.describe(),
    ))
}

/// Scans records given as columns: `lines` (each record's 1-based position in what the
/// user handed over), `ids` (None: generated), `texts`, and each record's other fields
/// as `(name, JSON text)` pairs.
#[pyfunction]
#[pyo3(signature = (lines, ids, texts, fields, options=None))]
fn scan_columns(
    py: Python<'_>,
    lines: Vec<u64>,
    ids: Vec<Option<String>>,
    texts: Vec<String>,
    fields: Vec<Vec<(String, String)>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Tables> {
    if ids.len() != texts.len() || fields.len() != texts.len() || lines.len() != texts.len() {
        return Err(PyTypeError::new_err(
            "lines, ids, texts and fields must have one entry per record",
        ));
    }
    let (settings, resources, skip_invalid) = settings(options)?;
    let mut records = Vec::with_capacity(texts.len());
    for (((line, id), text), fields) in lines.into_iter().zip(ids).zip(texts).zip(fields) {
        let fields = fields
            .into_iter()
            .map(|(name, value)| match RawValue::from_string(value) {
                Ok(raw) => Ok((name, raw)),
                Err(e) => Err(ReprintError::new_err(format!(
                    "<records>:{line}: field {name:?} is not JSON: {e}"
                ))),
            })
            .collect::<PyResult<Vec<_>>>()?;
        records.push(MemoryRecord {
            line,
            id,
            text,
            fields,
        });
    }
    let result =
        py.detach(|| scan_records(records, skip_invalid, &settings, &resources, &NoProgress));
    tables(py, result)
}

/// Scans files and folders, read as the CLI reads them.
#[pyfunction]
#[pyo3(signature = (paths, text_field="text", id_field="id", options=None))]
fn scan_paths(
    py: Python<'_>,
    paths: Vec<std::path::PathBuf>,
    text_field: &str,
    id_field: &str,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Tables> {
    let (settings, resources, skip_invalid, work) = settings_and_work(options)?;
    let spec = InputSpec {
        inputs: paths,
        read: ReadOptions {
            text_field: text_field.to_owned(),
            id_field: id_field.to_owned(),
            ..ReadOptions::default()
        },
        skip_invalid,
    };
    let result = py.detach(|| match &work {
        Some(folder) => scan_in_work(&spec, &settings, &resources, folder, &NoProgress),
        None => scan_with(&spec, &settings, &resources, &NoProgress),
    });
    tables(py, result)
}

/// Scans an Arrow stream (a PyCapsule from `__arrow_c_stream__`: pyarrow tables,
/// polars and pandas data frames): the rows are read from the Arrow buffers, no Python
/// object is made per row.
#[pyfunction]
#[pyo3(signature = (stream, text_field="text", id_field="id", options=None))]
fn scan_arrow(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    text_field: &str,
    id_field: &str,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Tables> {
    let (settings, resources, skip_invalid) = settings(options)?;
    let reader = arrow_reader(stream)?;
    let schema = reader.schema();
    let read = ReadOptions {
        text_field: text_field.to_owned(),
        id_field: id_field.to_owned(),
        ..ReadOptions::default()
    };
    let records = read_arrow(ARROW_NAME, &schema, reader, &read)
        .map_err(|e| ReprintError::new_err(message(&e)))?;
    let result =
        py.detach(|| scan_stream(records, skip_invalid, &settings, &resources, &NoProgress));
    tables(py, result)
}

/// The Arrow stream in a PyCapsule from `__arrow_c_stream__`.
fn arrow_reader(stream: &Bound<'_, PyAny>) -> PyResult<RecordBatchStreamReader> {
    let capsule = stream.cast::<PyCapsule>()?;
    let pointer = capsule.pointer_checked(Some(c"arrow_array_stream"))?;
    // SAFETY: a capsule named `arrow_array_stream` holds an `ArrowArrayStream` (the
    // Arrow PyCapsule interface); `from_raw` moves it out and marks the capsule's copy
    // released, so the capsule's destructor does not release it again.
    unsafe { RecordBatchStreamReader::from_raw(pointer.as_ptr().cast::<FFI_ArrowArrayStream>()) }
        .map_err(|e| ReprintError::new_err(format!("cannot read the Arrow stream: {e}")))
}

fn staged_records(
    work: std::path::PathBuf,
    job: &str,
    text_field: &str,
    id_field: &str,
    skip_invalid: bool,
) -> StagedRecords {
    StagedRecords {
        work,
        job: job.to_owned(),
        read: ReadOptions {
            text_field: text_field.to_owned(),
            id_field: id_field.to_owned(),
            ..ReadOptions::default()
        },
        skip_invalid,
    }
}

/// Pass 1 of one part of a data set (an Arrow stream: a Spark partition's batches) as
/// shard `index` of `count` of the work folder `work`, under `job` (see
/// `reprint_pipeline::stage_shard`). Errors and generated ids name the part
/// `<partition INDEX>`. Returns the documents in the shard and whether it was run
/// (false: a complete shard was there).
#[pyfunction]
#[pyo3(signature = (stream, work, index, count, job, text_field="text", id_field="id", options=None))]
#[allow(clippy::too_many_arguments)]
fn stage_arrow(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    work: std::path::PathBuf,
    index: u32,
    count: u32,
    job: &str,
    text_field: &str,
    id_field: &str,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<(u64, bool)> {
    if index >= count {
        return Err(PyTypeError::new_err(format!(
            "shard {index} of {count}: the index must be below the count"
        )));
    }
    let (settings, _, skip_invalid) = settings(options)?;
    let reader = arrow_reader(stream)?;
    let schema = reader.schema();
    let staged = staged_records(work, job, text_field, id_field, skip_invalid);
    let name = format!("<partition {index}>");
    let records = read_arrow(&name, &schema, reader, &staged.read)
        .map_err(|e| ReprintError::new_err(message(&e)))?;
    let shard = reprint_io::Shard { index, count };
    let (info, run) = py
        .detach(|| stage_shard(records, &staged, shard, &settings, &NoProgress))
        .map_err(job_error)?;
    Ok((info.documents, run))
}

/// Every stage after pass 1 over the `count` shards staged under `job` in `work`
/// ([`stage_arrow`]); the result tables, and the scan's folder written to `out` when
/// given (the CLI's files).
#[pyfunction]
#[pyo3(signature = (work, count, job, text_field="text", id_field="id", out=None, options=None))]
#[allow(clippy::too_many_arguments)]
fn scan_staged_shards(
    py: Python<'_>,
    work: std::path::PathBuf,
    count: u32,
    job: &str,
    text_field: &str,
    id_field: &str,
    out: Option<std::path::PathBuf>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Tables> {
    let (settings, resources, skip_invalid) = settings(options)?;
    let staged = staged_records(work, job, text_field, id_field, skip_invalid);
    let result = py.detach(|| {
        let result = scan_staged(&staged, count, &settings, &resources, &NoProgress)?;
        if let Some(out) = &out {
            std::fs::create_dir_all(out).map_err(|e| JobError::Io {
                what: "cannot create the output folder",
                path: Some(out.clone()),
                source: e,
            })?;
            result.write(out)?;
        }
        Ok(result)
    });
    tables(py, result)
}

/// What errors and generated ids name an Arrow input as.
const ARROW_NAME: &str = "<arrow>";

/// Compares two texts: the JSON of `reprint compare --json`.
#[pyfunction]
#[pyo3(signature = (a_id, a_text, b_id, b_text, options=None))]
fn compare_texts(
    py: Python<'_>,
    a_id: &str,
    a_text: &str,
    b_id: &str,
    b_text: &str,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    let (settings, _, _) = settings(options)?;
    let analysis = settings.analysis_options().map_err(job_error)?;
    let matching = settings.match_options().map_err(job_error)?;
    Ok(py.detach(|| {
        let analyzer = Analyzer::new(analysis.clone());
        let alone = LineCounter::new(analysis.boilerplate.clone());
        let report = compare(
            &analyzer,
            a_text,
            b_text,
            &CompareContext {
                counter: &alone,
                sites: (None, None),
                story_index: None,
                threshold: matching.threshold,
                partial: &matching.partial,
                story: &matching.story,
            },
        );
        let side = |id, text| Side {
            id,
            text,
            encoding: None,
        };
        report_json(&side(a_id, a_text), &side(b_id, b_text), &report).to_string()
    }))
}

#[pymodule]
fn _reprint(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ReprintError", m.py().get_type::<ReprintError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(scan_columns, m)?)?;
    m.add_function(wrap_pyfunction!(scan_paths, m)?)?;
    m.add_function(wrap_pyfunction!(scan_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(stage_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(scan_staged_shards, m)?)?;
    m.add_function(wrap_pyfunction!(compare_texts, m)?)?;
    Ok(())
}
