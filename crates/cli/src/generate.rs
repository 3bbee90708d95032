//! `reprint generate`: write a synthetic corpus with known copies, and its gold labels.
//!
//! Thin wrapper over [`reprint_bench::generate_iter`]: it reads the seed texts, streams the
//! documents to `--out` and their labels to `--gold` (JSONL, one object per line, in the
//! same order), and prints a one-line summary on stderr. Streaming keeps memory flat for
//! any `-n`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use reprint_bench::seeds::{collect_seed_files, read_seed_texts};
use reprint_bench::{generate_iter, CopyKind, GenOptions, TextStyle};

/// Arguments of `reprint generate`.
#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// Seed texts: `.txt` files, or folders searched recursively for `.txt` files. Their
    /// words (and word frequencies) are what the documents are written with.
    #[arg(long, num_args = 1.., required = true, value_name = "PATH")]
    pub seeds: Vec<PathBuf>,
    /// Number of documents to write, originals and copies together.
    #[arg(short = 'n', long = "docs", value_name = "N", default_value_t = 1000)]
    pub docs: usize,
    /// Random seed: the same seeds, options and seed give the same corpus, byte for byte.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Corpus JSONL to write (`{"id","text","date","site"}` per line).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Gold JSONL to write (`{"id","cluster","kind","source"}` per line).
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// Copy kinds to make, comma-separated, among exact, near, boilerplate, truncated,
    /// partial (default: all).
    #[arg(long, value_delimiter = ',', value_parser = parse_kind, value_name = "KINDS")]
    pub kinds: Vec<CopyKind>,
    /// Share of the documents that are copies, in [0, 1).
    #[arg(long, default_value_t = 0.5, value_name = "F")]
    pub copy_fraction: f64,
    /// Shortest original, in words.
    #[arg(long, default_value_t = 350, value_name = "N")]
    pub min_words: usize,
    /// Longest original, in words.
    #[arg(long, default_value_t = 900, value_name = "N")]
    pub max_words: usize,
    /// How originals are written: `press` (a Markov chain over the seeds, with stock
    /// sentences, quotes, background paragraphs, names and figures shared by chance
    /// between independent originals, as in real press), `one-topic` (the same with
    /// small pools: every original covers one event family) or `words` (words drawn
    /// independently: originals share no phrase at all).
    #[arg(long, default_value = "press", value_parser = parse_style, value_name = "STYLE")]
    pub style: TextStyle,
}

fn parse_style(s: &str) -> Result<TextStyle, String> {
    s.parse::<TextStyle>().map_err(|e| e.to_string())
}

fn parse_kind(s: &str) -> Result<CopyKind, String> {
    s.parse::<CopyKind>().map_err(|e| e.to_string())
}

/// Runs `reprint generate`.
pub fn run(args: &GenerateArgs) -> Result<()> {
    if same_file(&args.out, &args.gold) {
        bail!(
            "--out and --gold are the same file ({}); they must differ",
            args.out.display()
        );
    }
    let seed_list = args
        .seeds
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let files = collect_seed_files(&args.seeds).context("looking for seed texts")?;
    if files.is_empty() {
        bail!("no .txt seed file found in {seed_list}");
    }
    let texts = read_seed_texts(&files).context("reading seed texts")?;

    let opts = GenOptions {
        docs: args.docs,
        seed: args.seed,
        copy_fraction: args.copy_fraction,
        min_words: args.min_words,
        max_words: args.max_words,
        style: args.style,
        kinds: if args.kinds.is_empty() {
            CopyKind::ALL.to_vec()
        } else {
            args.kinds.clone()
        },
    };
    let corpus = generate_iter(&texts, &opts)
        .with_context(|| format!("generating from the seed texts in {seed_list}"))?;
    let (originals, copies) = (corpus.originals(), corpus.copies());
    let (natural, synthetic) = (
        corpus.vocabulary().natural_words(),
        corpus.vocabulary().synthetic_words(),
    );

    let mut out = create(&args.out)?;
    let mut gold = create(&args.gold)?;
    let mut bytes: u64 = 0;
    for (doc, label) in corpus {
        bytes += doc.text.len() as u64;
        write_line(&mut out, &doc).with_context(|| format!("writing {}", args.out.display()))?;
        write_line(&mut gold, &label)
            .with_context(|| format!("writing {}", args.gold.display()))?;
    }
    out.flush()
        .with_context(|| format!("writing {}", args.out.display()))?;
    gold.flush()
        .with_context(|| format!("writing {}", args.gold.display()))?;

    let kinds: Vec<&str> = opts.kinds.iter().map(|k| k.as_str()).collect();
    eprintln!(
        "generated {} documents ({originals} originals, {copies} copies: {}; {:.1} MB of text) \
         from {} seed file(s) ({natural} seed words{}) -> {}, gold -> {}",
        args.docs,
        kinds.join(","),
        bytes as f64 / 1e6,
        files.len(),
        if synthetic > 0 {
            format!(" + {synthetic} pseudo-words")
        } else {
            String::new()
        },
        args.out.display(),
        args.gold.display(),
    );
    Ok(())
}

fn create(path: &Path) -> Result<BufWriter<File>> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 20, file))
}

fn write_line<W: Write, T: serde::Serialize>(out: &mut W, value: &T) -> Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// True when both paths name the same existing file, or are spelled the same.
fn same_file(a: &Path, b: &Path) -> bool {
    if a == b {
        return true;
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
