//! Normalisation and tokenisation (STUB: to be implemented).

/// Options for normalisation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// Remove diacritics ("é" -> "e") after NFKC and case folding.
    pub fold_accents: bool,
}

/// One token: the hash of its normalised form and its byte span in the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub hash: u64,
    pub start: u32,
    pub end: u32,
}

/// Tokenise `text` into `out` (cleared first).
pub fn tokenize(text: &str, opts: &TextOptions, out: &mut Vec<Token>) {
    let _ = (text, opts);
    out.clear();
    todo!()
}

/// The normalised form of one token's text (NFKC, case folded, accents folded if asked).
pub fn normalize_token(token: &str, opts: &TextOptions) -> String {
    let _ = (token, opts);
    todo!()
}
