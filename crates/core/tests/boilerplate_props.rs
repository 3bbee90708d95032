//! Properties of line splitting and boilerplate detection on arbitrary text.

use proptest::prelude::*;
use reprint_core::fingerprint::boilerplate::{
    find_boilerplate, local_boilerplate, split_lines, token_mask, BoilerplateOptions, LineCounter,
};
use reprint_core::normalise::text::{tokenize, TextOptions};

/// Texts made of a few recurring lines, unique words, blank lines and CRLFs.
fn page() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("Advertisement".to_string()),
        Just("Share on Facebook".to_string()),
        Just("Lire aussi : le pont fermé".to_string()),
        Just(String::new()),
        Just("This is a long enough sentence that ends with a full stop.".to_string()),
        "[a-zA-Zé ,.!?»«\"]{0,40}",
        "[a-z ]{60,200}\\.",
    ];
    (proptest::collection::vec(line, 0..20), any::<bool>())
        .prop_map(|(lines, crlf)| lines.join(if crlf { "\r\n" } else { "\n" }))
}

proptest! {
    #[test]
    fn lines_partition_the_tokens(text in "\\PC{0,80}(\\r?\\n\\PC{0,80}){0,6}") {
        let mut tokens = Vec::new();
        tokenize(&text, &TextOptions::default(), &mut tokens);
        let lines = split_lines(&text, &tokens);
        let mut next = 0;
        for l in &lines {
            prop_assert_eq!(l.tokens.start, next);
            prop_assert!(l.tokens.end > l.tokens.start);
            next = l.tokens.end;
            let s = &text[l.bytes.clone()];
            prop_assert!(!s.contains('\n'));
            prop_assert!(!s.ends_with('\r'));
            for t in &tokens[l.tokens.clone()] {
                prop_assert!(l.bytes.start <= t.start as usize && t.end as usize <= l.bytes.end);
            }
        }
        prop_assert_eq!(next, tokens.len());
    }

    #[test]
    fn detection_is_sorted_consistent_and_never_empties_a_page_locally(
        pages in proptest::collection::vec(page(), 1..8)
    ) {
        let mut counter = LineCounter::new(BoilerplateOptions {
            min_docs_corpus: 3,
            ..Default::default()
        });
        let mut docs = Vec::new();
        for (i, text) in pages.iter().enumerate() {
            let mut tokens = Vec::new();
            tokenize(text, &TextOptions::default(), &mut tokens);
            let lines = split_lines(text, &tokens);
            let site = if i % 2 == 0 { Some("even.example") } else { None };
            counter.add_document(site, &lines);
            docs.push((text, tokens, lines, site));
        }
        for (text, tokens, lines, site) in &docs {
            let local = local_boilerplate(text, lines);
            let all = find_boilerplate(text, lines, &counter, *site);
            for found in [&local, &all] {
                prop_assert!(found.windows(2).all(|w| w[0].line < w[1].line));
                prop_assert!(found.iter().all(|b| b.line < lines.len()));
            }
            if !lines.is_empty() {
                prop_assert!(local.len() < lines.len(), "local rules marked every line");
            }
            let mask = token_mask(lines, &all, tokens.len());
            let masked = mask.iter().filter(|&&m| m).count();
            let expected: usize = all.iter().map(|b| lines[b.line].tokens.len()).sum();
            prop_assert_eq!(masked, expected);
            // Short lines only.
            for b in &all {
                prop_assert!(lines[b.line].tokens.len() <= counter.options().max_line_tokens);
            }
        }
    }
}
