//! `reprint compare --encoder`: a French text and its English translation (and a light
//! rewrite of the translation) are reported as `translation` with aligned sentences;
//! same-topic articles in the two languages are not. Team-written texts
//! (`crates/encoder/tests/fixtures/`). With the `translation` feature and the model
//! (`$REPRINT_ENCODER` or `models/e5-small-q4.bin`); without the feature, the flag is
//! refused with a message naming it.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> PathBuf {
    root().join("crates/encoder/tests/fixtures").join(name)
}

fn compare(a: &str, b: &str, model: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(["compare", "--json", "--encoder"])
        .arg(model)
        .arg(fixture(a))
        .arg(fixture(b))
        .output()
        .expect("reprint runs")
}

#[cfg(feature = "translation")]
#[test]
fn a_translation_is_reported_with_its_sentences_and_same_topic_texts_are_not() {
    let model = std::env::var_os("REPRINT_ENCODER")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("models/e5-small-q4.bin"));
    if !model.exists() {
        eprintln!(
            "skipped: no sentence encoder model at {} (run scripts/fetch-encoder.sh)",
            model.display()
        );
        return;
    }
    for (other, linked) in [
        ("en_translation.txt", true),
        ("en_rewrite.txt", true),
        ("en_same_topic.txt", false),
        ("fr_same_topic.txt", false),
    ] {
        let output = compare("fr_original.txt", other, &model);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let translation = &report["translation"];
        assert_eq!(translation["linked"], linked, "{other}: {translation}");
        if linked {
            assert_eq!(report["relation"], "translation", "{other}");
            let sentences = translation["sentences"].as_array().expect("sentences");
            assert!(sentences.len() >= 6, "{other}: {translation}");
            // The evidence quotes both texts at the spans it gives.
            let first = &sentences[0];
            assert!(first["text_a"]
                .as_str()
                .unwrap_or("")
                .starts_with("Le conseil municipal"));
            assert!(first["text_b"].as_str().unwrap_or("").contains("Valbrune"));
        } else {
            assert!(
                report["relation"].is_null(),
                "{other}: {}",
                report["relation"]
            );
        }
    }
}

#[cfg(not(feature = "translation"))]
#[test]
fn without_the_feature_the_encoder_flag_is_refused_naming_it() {
    let output = compare(
        "fr_original.txt",
        "en_translation.txt",
        &root().join("models/x.bin"),
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--features translation"), "{stderr}");
}
