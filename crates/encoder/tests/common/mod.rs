//! What the encoder's tests share: the model, when it has been fetched.

use std::path::PathBuf;

use reprint_encoder::Encoder;

/// The model at `$REPRINT_ENCODER`, else at `models/e5-small-q4.bin` of the repository
/// (where `scripts/fetch-encoder.sh` puts it); `None`, with a notice, when absent.
pub fn model() -> Option<Encoder> {
    let path = std::env::var_os("REPRINT_ENCODER")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/e5-small-q4.bin")
        });
    if !path.exists() {
        eprintln!(
            "skipped: no sentence encoder model at {} (run scripts/fetch-encoder.sh)",
            path.display()
        );
        return None;
    }
    Some(Encoder::load(Some(&path)).expect("the fetched model loads"))
}
