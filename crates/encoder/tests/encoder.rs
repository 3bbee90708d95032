//! The encoder on team-written sentences. Tests that need the model read it from
//! `$REPRINT_ENCODER` (or `models/e5-small-q4.bin` at the repository root, where
//! `scripts/fetch-encoder.sh` puts it) and skip with a notice when it is absent.

mod common;
use common::model;

use reprint_encoder::{cosine, Encoder, EncoderError};

const FRENCH: &str =
    "Le conseil municipal a voté mardi la fermeture de la piscine du quartier nord pour travaux.";
const ENGLISH: &str =
    "On Tuesday the city council voted to close the north district swimming pool for repairs.";
// Same topic, same town hall, another decision.
const ENGLISH_OTHER: &str =
    "The city council rejected a plan to build a new car park next to the railway station.";
const ENGLISH_UNRELATED: &str =
    "The striker scored twice in the second half as the home side won the derby.";

#[test]
fn a_translation_is_closer_than_another_sentence_on_the_same_topic() {
    let Some(encoder) = model() else { return };
    assert_eq!(encoder.dim(), 384);
    let v = encoder
        .embed_all(&[FRENCH, ENGLISH, ENGLISH_OTHER, ENGLISH_UNRELATED])
        .expect("embeds");
    for vector in &v {
        let norm: f32 = vector.iter().map(|x| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-3, "unit vectors, got norm² {norm}");
    }
    let translation = cosine(&v[0], &v[1]);
    let same_topic = cosine(&v[0], &v[2]);
    let unrelated = cosine(&v[0], &v[3]);
    eprintln!("translation {translation:.3}, same topic {same_topic:.3}, unrelated {unrelated:.3}");
    assert!(
        translation > same_topic + 0.03,
        "{translation} vs {same_topic}"
    );
    assert!(same_topic > unrelated, "{same_topic} vs {unrelated}");
}

#[test]
fn vectors_do_not_depend_on_the_thread_count() {
    let Some(encoder) = model() else { return };
    let texts = [
        FRENCH,
        ENGLISH,
        ENGLISH_OTHER,
        ENGLISH_UNRELATED,
        "",
        "\0 nul",
    ];
    let on_threads = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool")
            .install(|| encoder.embed_all(&texts))
            .expect("embeds")
    };
    let (one, many) = (on_threads(1), on_threads(4));
    assert_eq!(one, many);
    assert_eq!(one[0], encoder.embed(FRENCH).expect("embeds"));
}

#[test]
fn a_file_that_is_not_the_model_is_refused_before_the_engine_sees_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("model.bin");
    std::fs::write(&path, b"E5S1 but not a model").expect("write");
    let err = Encoder::load(Some(&path)).err().expect("refused");
    assert!(matches!(err, EncoderError::WrongModel { .. }), "{err}");
    assert!(err.to_string().contains("model.bin"), "{err}");

    let missing = dir.path().join("absent.bin");
    let err = Encoder::load(Some(&missing)).err().expect("refused");
    assert!(matches!(err, EncoderError::Read { .. }), "{err}");
    assert!(err.to_string().contains("absent.bin"), "{err}");
}
