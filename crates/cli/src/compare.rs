//! `reprint compare A B`: the relation between two documents, the coverage of each by
//! the other, the aligned passages side by side (changed words highlighted on a
//! terminal), the sentences aligned by meaning and the story facts both hold, or all of
//! it as JSON with `--json`.
//!
//! `reprint compare --pairs FILE` scores many pairs of texts (JSONL lines
//! `{"a": text, "b": text}`) and writes one JSON line per pair, so sentence-pair and
//! document-pair sets can be evaluated.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use reprint_core::compare::{compare, AlignedPassage, CompareContext, PairReport};
use reprint_core::fingerprint::analysis::Analyzer;
use reprint_core::fingerprint::boilerplate::LineCounter;
use reprint_core::story::StoryIndex;
use reprint_io::{open_inputs, ReadOptions, Record, TextEncoding};

pub use reprint_pipeline::compare::story_json;
use reprint_pipeline::compare::{report_json, slice, Side};
use reprint_pipeline::site_of;

use crate::ingest::{job_error, MatchArgs};

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// First document: a text file, or an id with `--corpus`.
    #[arg(required_unless_present = "pairs")]
    pub a: Option<String>,
    /// Second document: a text file, or an id with `--corpus`.
    #[arg(required_unless_present = "pairs")]
    pub b: Option<String>,
    /// Score every pair of a JSONL file of `{"a": text, "b": text}` lines (`-` for
    /// stdin), writing one JSON line per pair to stdout: the relation, the story score
    /// and its features. Other fields of a line (an id, a label) are copied through.
    /// Word rarities and recurring lines come from `--corpus` when given (the pairs
    /// are then scored as a scan of that corpus would score them), else from the
    /// file's own texts.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["a", "b"])]
    pub pairs: Option<PathBuf>,
    /// Look A and B up by id in this input (JSONL, folder, archive, as for `scan`;
    /// repeat the option for several); the whole corpus is read so boilerplate
    /// recurring across it is recognised and words are weighed by their rarity in it.
    /// With `--pairs`, only those rarities and recurring lines are taken from it.
    #[arg(long, value_name = "INPUT")]
    pub corpus: Vec<PathBuf>,
    #[arg(long, default_value = "id")]
    pub id_field: String,
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// Print JSON instead of the side-by-side view.
    #[arg(long)]
    pub json: bool,
    /// Colour: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Width of the side-by-side view (default: $COLUMNS or 120).
    #[arg(long)]
    pub width: Option<usize>,
    /// Also align the two texts' sentences across languages with the multilingual
    /// sentence encoder at MODEL (`scripts/fetch-encoder.sh` fetches it): a pair with
    /// no other relation whose aligned sentences cover half of each side is reported
    /// as `translation`. Needs a build with `--features translation`.
    #[arg(long, value_name = "MODEL")]
    pub encoder: Option<PathBuf>,
    #[command(flatten)]
    pub matching: MatchArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

struct Doc {
    name: String,
    text: String,
    site: Option<String>,
    /// The legacy encoding a file was decoded from, when it was not UTF-8.
    encoding: Option<&'static str>,
}

pub fn run(args: &CompareArgs) -> anyhow::Result<()> {
    let settings = args.matching.settings();
    let analysis_options = settings.analysis_options().map_err(job_error)?;
    let match_options = settings.match_options().map_err(job_error)?;
    let analyzer = Analyzer::new(analysis_options.clone());
    if let Some(pairs) = &args.pairs {
        let corpus = if args.corpus.is_empty() {
            None
        } else {
            Some(read_corpus(args, &analyzer, |_, _| {})?)
        };
        return crate::pairs::run(pairs, &analyzer, &match_options, corpus);
    }
    let (arg_a, arg_b) = match (&args.a, &args.b) {
        (Some(a), Some(b)) => (a.as_str(), b.as_str()),
        _ => bail!("compare needs two documents, or --pairs FILE"),
    };
    let (a, b, corpus) = if args.corpus.is_empty() {
        (read_file(arg_a)?, read_file(arg_b)?, None)
    } else {
        let (mut a, mut b) = (None, None);
        let corpus = read_corpus(args, &analyzer, |record, site| {
            let doc = || Doc {
                name: record.id.clone(),
                text: record.text.clone(),
                site: site.map(str::to_owned),
                encoding: None,
            };
            if record.id == arg_a {
                a = Some(doc());
            }
            if record.id == arg_b {
                b = Some(doc());
            }
        })?;
        let a = a.with_context(|| format!("no document with id {arg_a:?} in the corpus"))?;
        let b = b.with_context(|| format!("no document with id {arg_b:?} in the corpus"))?;
        (a, b, Some(corpus))
    };
    let alone = LineCounter::new(analysis_options.boilerplate.clone());
    let report = compare(
        &analyzer,
        &a.text,
        &b.text,
        &CompareContext {
            counter: corpus.as_ref().map_or(&alone, |c| &c.counter),
            sites: (a.site.as_deref(), b.site.as_deref()),
            // Word rarities from the whole corpus when there is one.
            story_index: corpus.as_ref().map(|c| &c.index),
            threshold: match_options.threshold,
            partial: &match_options.partial,
            story: &match_options.story,
        },
    );
    let translation = match &args.encoder {
        Some(model) => Some(translation(model, &a.text, &b.text)?),
        None => None,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        let (side_a, side_b) = (
            Side {
                id: &a.name,
                text: &a.text,
                encoding: a.encoding,
            },
            Side {
                id: &b.name,
                text: &b.text,
                encoding: b.encoding,
            },
        );
        let mut value = report_json(&side_a, &side_b, &report);
        if let Some(translation) = &translation {
            if report.relation.is_none() && translation.linked {
                value["relation"] = "translation".into();
            }
            value["translation"] = translation.json.clone();
        }
        serde_json::to_writer(&mut out, &value)?;
        writeln!(out)?;
    } else {
        let color = match args.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        let width = args
            .width
            .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
            .unwrap_or(120)
            .max(40);
        render(&mut out, &a, &b, &report, color, width)?;
        if let Some(translation) = &translation {
            write!(out, "{}", translation.text)?;
        }
    }
    Ok(())
}

/// The encoder's view of a pair, ready for either output.
struct Translation {
    linked: bool,
    json: serde_json::Value,
    text: String,
}

#[cfg(feature = "translation")]
fn translation(model: &std::path::Path, a: &str, b: &str) -> anyhow::Result<Translation> {
    use reprint_pipeline::translation::{compare_translation, translation_json, SentenceEncoder};
    let encoder = SentenceEncoder::load(Some(model))?;
    let report = compare_translation(&encoder, a, b)?;
    let json = translation_json(&report, a, b);
    let mut text = format!(
        "\ntranslation: {} ({} sentence pairs aligned across languages, coverage {:.2} / {:.2})\n",
        if report.linked { "yes" } else { "no" },
        report.evidence.len(),
        report.alignment.coverage_a,
        report.alignment.coverage_b,
    );
    for pair in json["sentences"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            "  {:.3}  {}\n         {}\n",
            pair["cosine"].as_f64().unwrap_or(0.0),
            pair["text_a"].as_str().unwrap_or(""),
            pair["text_b"].as_str().unwrap_or(""),
        ));
    }
    Ok(Translation {
        linked: report.linked,
        json,
        text,
    })
}

#[cfg(not(feature = "translation"))]
fn translation(_model: &std::path::Path, _a: &str, _b: &str) -> anyhow::Result<Translation> {
    bail!(
        "--encoder needs a build with the translation feature: \
         cargo build --release --features translation"
    )
}

/// Word rarities and recurring-line counts of a corpus.
pub struct Rarities {
    pub index: StoryIndex,
    pub counter: LineCounter,
}

impl Rarities {
    /// From each document's story keys and the lines counted over the documents.
    pub fn new(story_keys: &[Vec<u32>], mut counter: LineCounter) -> Self {
        counter.compact();
        let refs: Vec<Option<&[u32]>> = story_keys.iter().map(|k| Some(k.as_slice())).collect();
        Rarities {
            index: StoryIndex::build(&refs),
            counter,
        }
    }
}

/// Reads the `--corpus` inputs whole: their rarities, with each record and its site
/// handed to `visit` on the way.
fn read_corpus(
    args: &CompareArgs,
    analyzer: &Analyzer,
    mut visit: impl FnMut(&Record, Option<&str>),
) -> anyhow::Result<Rarities> {
    let options = ReadOptions {
        id_field: args.id_field.clone(),
        text_field: args.text_field.clone(),
        txt_encoding: TextEncoding::Auto,
        ..ReadOptions::default()
    };
    let mut counter = LineCounter::new(analyzer.options().boilerplate.clone());
    let mut keys: Vec<Vec<u32>> = Vec::new();
    for record in open_inputs(&args.corpus, &options)? {
        let record = record?;
        let site = site_of(&record);
        let analysis = analyzer.analyze(&record.text);
        counter.add_document_lines(
            site.as_deref(),
            &analysis.short_lines,
            &analysis.long_line_hashes(),
        );
        keys.push(analysis.story_keys);
        visit(&record, site.as_deref());
    }
    Ok(Rarities::new(&keys, counter))
}

/// Largest file `compare` reads (the default `--max-record-bytes` of a scan): a device
/// or a huge file named by mistake is refused, not read into memory.
const MAX_COMPARED_BYTES: u64 = 16 << 20;

fn read_file(path: &str) -> anyhow::Result<Doc> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_COMPARED_BYTES + 1).read_to_end(&mut bytes))
        .with_context(|| format!("cannot read {path}"))?;
    if bytes.len() as u64 > MAX_COMPARED_BYTES {
        bail!("{path}: larger than {MAX_COMPARED_BYTES} bytes, the largest document compared");
    }
    // A single file named on the command line: decode a legacy encoding rather than
    // refuse it, but say so (offsets are then into the decoded text).
    let (text, encoding) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let bytes = e.into_bytes();
            let encoding = reprint_io::detect_encoding(&bytes);
            let (text, _) = encoding.decode_with_bom_removal(&bytes);
            eprintln!(
                "note: {path} is not UTF-8; read as {} (detected)",
                encoding.name()
            );
            (text.into_owned(), Some(encoding.name()))
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    Ok(Doc {
        name: path.to_string(),
        text,
        site: None,
        encoding,
    })
}

const CHANGED: &str = "\x1b[1;33m";
const HEADER: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

fn render(
    out: &mut impl Write,
    a: &Doc,
    b: &Doc,
    report: &PairReport,
    color: bool,
    width: usize,
) -> std::io::Result<()> {
    let paint = |code: &str, s: &str| {
        if color {
            format!("{code}{s}{RESET}")
        } else {
            s.to_string()
        }
    };
    let relation = report
        .relation
        .map_or("none (no reuse found)", |r| r.as_str());
    writeln!(out, "{}", paint(HEADER, &format!("relation: {relation}")))?;
    writeln!(
        out,
        "word 5-gram Jaccard {:.3}; A covered by B {:.1}%, B covered by A {:.1}%",
        report.jaccard,
        100.0 * report.coverage_a,
        100.0 * report.coverage_b
    )?;
    for (label, doc, prepared) in [("A", a, &report.a), ("B", b, &report.b)] {
        writeln!(
            out,
            "{label}: {} ({} words, {} own; {} boilerplate lines, {} repeated passages)",
            doc.name,
            prepared.doc.spans.len(),
            prepared.doc.content_tokens,
            prepared.boilerplate.len(),
            prepared.repeats.len()
        )?;
        let chars: Vec<char> = doc.text.chars().collect();
        for bp in &prepared.boilerplate {
            let line = slice(&chars, bp.span);
            writeln!(
                out,
                "   {}",
                paint(
                    DIM,
                    &format!(
                        "boilerplate ({}): {}",
                        bp.reason.as_str(),
                        ellipsis(&line, width - 30)
                    )
                )
            )?;
        }
        for r in &prepared.repeats {
            writeln!(
                out,
                "   {}",
                paint(
                    DIM,
                    &format!(
                        "repeats [{}..{}] again at [{}..{}]: {}",
                        r.first.start,
                        r.first.end,
                        r.copy.start,
                        r.copy.end,
                        ellipsis(&slice(&chars, r.copy), width - 40)
                    )
                )
            )?;
        }
    }
    let (ca, cb): (Vec<char>, Vec<char>) = (a.text.chars().collect(), b.text.chars().collect());
    let column = (width - 3) / 2;
    for (i, p) in report.passages.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            paint(
                HEADER,
                &format!(
                    "passage {}: A[{}..{}] ~ B[{}..{}], {} words in common, similarity {:.2}",
                    i + 1,
                    p.a.start,
                    p.a.end,
                    p.b.start,
                    p.b.end,
                    p.words,
                    p.similarity
                )
            )
        )?;
        side_by_side(
            out,
            &marked(&ca, p, true),
            &marked(&cb, p, false),
            column,
            color,
        )?;
    }
    if report.passages.is_empty() {
        writeln!(out)?;
        writeln!(out, "no shared passage")?;
    }
    render_story(out, report, &ca, &cb, &paint, column)
}

/// Two texts (characters, each marked or not) in columns of `column` characters.
fn side_by_side(
    out: &mut impl Write,
    left: &[(char, bool)],
    right: &[(char, bool)],
    column: usize,
    color: bool,
) -> std::io::Result<()> {
    let (left, right) = (wrap(left, column), wrap(right, column));
    for row in 0..left.len().max(right.len()) {
        let l = left.get(row).map_or(&[][..], |v| v.as_slice());
        let r = right.get(row).map_or(&[][..], |v| v.as_slice());
        writeln!(
            out,
            "{} | {}",
            show(l, column, color),
            show(r, column, color)
        )?;
    }
    Ok(())
}

/// The story part of the terminal view: the score, the sentences aligned by meaning
/// side by side, and the shared facts.
fn render_story(
    out: &mut impl Write,
    report: &PairReport,
    ca: &[char],
    cb: &[char],
    paint: &dyn Fn(&str, &str) -> String,
    column: usize,
) -> std::io::Result<()> {
    let f = &report.story;
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        paint(
            HEADER,
            &format!(
                "story score {:.3}: sentences of A aligned {:.1}%, of B {:.1}%; {} shared quotes, names weight {:.1}, figures {:.1}",
                f.score,
                100.0 * f.coverage_a,
                100.0 * f.coverage_b,
                f.quotes,
                f.names,
                f.figures
            )
        )
    )?;
    if let Some(weak) = report.corroborating {
        writeln!(
            out,
            "a weaker {} link: no link alone; in a scan it ties the two when the document is \
             also linked to another version of the story (corroboration)",
            weak.as_str()
        )?;
    }
    for p in &report.sentences {
        writeln!(
            out,
            "{}",
            paint(
                DIM,
                &format!("sentence pair, similarity {:.2}", p.similarity)
            )
        )?;
        let plain = |chars: &[char], span| -> Vec<(char, bool)> {
            slice(chars, span).chars().map(|c| (c, false)).collect()
        };
        side_by_side(out, &plain(ca, p.a), &plain(cb, p.b), column, false)?;
    }
    if !report.facts.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", paint(HEADER, "shared facts"))?;
    }
    for fact in &report.facts {
        let (ta, tb) = (slice(ca, fact.a), slice(cb, fact.b));
        let shown = if fact.kind == reprint_core::FactKind::Quote {
            format!("A: {} | B: {}", ellipsis(&ta, 70), ellipsis(&tb, 70))
        } else if ta == tb {
            ta
        } else {
            format!("{ta} ~ {tb}")
        };
        writeln!(out, "  {:<7} {}", fact.kind.as_str(), shown)?;
    }
    Ok(())
}

fn ellipsis(s: &str, max: usize) -> String {
    let s = s.replace('\n', " ");
    if s.chars().count() <= max {
        s
    } else {
        s.chars().take(max.saturating_sub(1)).chain(['…']).collect()
    }
}

/// The passage's characters on one side, each flagged when inside a changed stretch.
fn marked(chars: &[char], p: &AlignedPassage, side_a: bool) -> Vec<(char, bool)> {
    let span = if side_a { p.a } else { p.b };
    let mut out = Vec::new();
    let mut at = span.start;
    for s in &p.stretches {
        let Some(piece) = (if side_a { s.a } else { s.b }) else {
            continue;
        };
        for i in at..piece.start {
            out.push((chars.get(i as usize).copied().unwrap_or(' '), false));
        }
        for i in piece.start..piece.end {
            out.push((chars.get(i as usize).copied().unwrap_or(' '), !s.equal));
        }
        at = piece.end;
    }
    out.into_iter()
        .map(|(c, m)| (if c.is_whitespace() { ' ' } else { c }, m))
        .collect()
}

/// Wraps at spaces into lines of at most `width` characters.
fn wrap(chars: &[(char, bool)], width: usize) -> Vec<Vec<(char, bool)>> {
    let mut lines = Vec::new();
    let mut line: Vec<(char, bool)> = Vec::new();
    for word in chars.split(|&(c, _)| c == ' ').filter(|w| !w.is_empty()) {
        let extra = if line.is_empty() { 0 } else { 1 };
        if !line.is_empty() && line.len() + extra + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if let Some(&(_, before)) = line.last() {
            // A space inside a changed stretch stays marked, so the stretch reads as one.
            line.push((' ', before && word[0].1));
        }
        for chunk in word.chunks(width) {
            if line.len() + chunk.len() > width {
                lines.push(std::mem::take(&mut line));
            }
            line.extend_from_slice(chunk);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn show(line: &[(char, bool)], width: usize, color: bool) -> String {
    let mut s = String::new();
    let mut on = false;
    for &(c, changed) in line {
        if color && changed != on {
            s.push_str(if changed { CHANGED } else { RESET });
            on = changed;
        }
        if !color && changed && !on {
            s.push('[');
            on = true;
        } else if !color && !changed && on {
            s.push(']');
            on = false;
        }
        s.push(c);
    }
    if on {
        s.push_str(if color { RESET } else { "]" });
    }
    let visible = line.len()
        + if color {
            0
        } else {
            s.matches(['[', ']']).count()
        };
    s.push_str(&" ".repeat(width.saturating_sub(visible)));
    s
}
