//! Sentences per second of the encoder: `cargo run --release -p reprint-encoder
//! --example speed -- MODEL [COUNT]`. Embeds COUNT (default 2000) distinct sentences
//! made from the team-written fixtures (each with its own number, so none repeats),
//! on all cores, and prints the rate.
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let model = PathBuf::from(args.next().ok_or("usage: speed MODEL [COUNT]")?);
    let count: usize = args.next().map(|c| c.parse()).transpose()?.unwrap_or(2000);
    let encoder = reprint_encoder::Encoder::load(Some(&model))?;
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut base = Vec::new();
    for entry in std::fs::read_dir(fixtures)? {
        let text = std::fs::read_to_string(entry?.path())?;
        for (s, e) in reprint_core::align::translation::sentences(&text) {
            base.push(text[s..e].to_string());
        }
    }
    base.sort();
    let texts: Vec<String> = (0..count)
        .map(|i| format!("{} ({i})", base[i % base.len()]))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let words: usize = refs.iter().map(|t| t.split_whitespace().count()).sum();
    let start = Instant::now();
    let vectors = encoder.embed_all(&refs)?;
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{} sentences ({:.1} words each) in {seconds:.2} s on {} threads: {:.0} sentences/s",
        vectors.len(),
        words as f64 / count as f64,
        rayon::current_num_threads(),
        count as f64 / seconds
    );
    Ok(())
}
