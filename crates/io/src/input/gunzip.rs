//! One-shot gunzip of a whole single-member gzip file with libdeflate.
//!
//! Saved web pages are small gzip files read whole, so the streaming decoder's
//! machinery (refilling windows, copying through a 32 KiB buffer) buys nothing: libdeflate
//! inflates a buffer into a buffer about twice as fast as zlib-rs did here (inflating
//! was 7% of `reprint extract`'s CPU time on the article-extraction pages).
//!
//! It needs the output size up front, which the gzip trailer gives (ISIZE, the size
//! mod 2^32), and it stops after one member. So it is only a fast path: whenever the
//! file is not exactly one member whose trailer fits in the limit (several members, a
//! trailer that lies, a damaged stream), [`gunzip_single_member`] reports `false` and
//! the caller decodes the file with its streaming decoder, which handles every case and
//! names the error.

use std::cell::RefCell;
use std::ptr::NonNull;

use libdeflate_sys::{
    libdeflate_alloc_decompressor, libdeflate_decompressor, libdeflate_free_decompressor,
    libdeflate_gzip_decompress_ex, libdeflate_result_LIBDEFLATE_SUCCESS,
};

/// A libdeflate decompressor, owned (freed on drop).
struct Decompressor(NonNull<libdeflate_decompressor>);

impl Decompressor {
    fn new() -> Option<Self> {
        // SAFETY: a plain allocation; null (out of memory) is checked.
        NonNull::new(unsafe { libdeflate_alloc_decompressor() }).map(Self)
    }
}

impl Drop for Decompressor {
    fn drop(&mut self) {
        // SAFETY: allocated by `libdeflate_alloc_decompressor`, freed once.
        unsafe { libdeflate_free_decompressor(self.0.as_ptr()) }
    }
}

thread_local! {
    /// One decompressor per thread (it holds about 10 KiB of tables; libdeflate's
    /// decompressors must not be shared between threads).
    static DECOMPRESSOR: RefCell<Option<Decompressor>> = const { RefCell::new(None) };
}

/// Inflates `packed`, a whole gzip file, into `out` (replacing its contents) when the
/// file is exactly one gzip member whose uncompressed size, read from its trailer, is at
/// most `limit`. Returns `false`, with `out` cleared, in every other case.
pub(crate) fn gunzip_single_member(packed: &[u8], limit: usize, out: &mut Vec<u8>) -> bool {
    out.clear();
    let Some(trailer) = packed.last_chunk::<4>() else {
        return false;
    };
    let size = u32::from_le_bytes(*trailer) as usize;
    if size > limit {
        return false;
    }
    out.reserve(size);
    let inflated = DECOMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Decompressor::new();
        }
        let decompressor = slot.as_ref()?;
        let mut consumed = 0usize;
        let mut written = 0usize;
        let spare = out.spare_capacity_mut();
        // SAFETY: the input is a valid slice; the output is `out`'s spare capacity, at
        // least `size` bytes, which libdeflate writes but never reads; both counts are
        // plain out-parameters.
        let result = unsafe {
            libdeflate_gzip_decompress_ex(
                decompressor.0.as_ptr(),
                packed.as_ptr().cast(),
                packed.len(),
                spare.as_mut_ptr().cast(),
                size,
                &mut consumed,
                &mut written,
            )
        };
        // Success means one member was inflated and its CRC-32 and size checked; the
        // member must also be the whole file, or the members after it would be lost.
        (result == libdeflate_result_LIBDEFLATE_SUCCESS && consumed == packed.len())
            .then_some(written)
    });
    match inflated {
        Some(written) if written <= size => {
            // SAFETY: libdeflate initialised the first `written` bytes of the spare
            // capacity, and `written <= size <= capacity`.
            unsafe { out.set_len(written) };
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(data).expect("in-memory write");
        encoder.finish().expect("in-memory gzip")
    }

    fn page(n: usize) -> Vec<u8> {
        (0..n)
            .map(|i| format!("<p>paragraph {i} of the page, with its words</p>\n"))
            .collect::<String>()
            .into_bytes()
    }

    #[test]
    fn one_member_is_inflated_whole() {
        let text = page(500);
        let mut out = b"left over from the last page".to_vec();
        assert!(gunzip_single_member(&gzip(&text), text.len(), &mut out));
        assert_eq!(out, text);
        let mut empty = Vec::new();
        assert!(gunzip_single_member(&gzip(b""), 10, &mut empty));
        assert!(empty.is_empty());
    }

    #[test]
    fn anything_else_is_left_to_the_streaming_decoder() {
        let text = page(200);
        let packed = gzip(&text);
        let mut out = Vec::new();
        // Over the limit.
        assert!(!gunzip_single_member(&packed, text.len() - 1, &mut out));
        assert!(out.is_empty());
        // Two members, even identical ones: the second must not be dropped.
        let twice = [packed.clone(), packed.clone()].concat();
        assert!(!gunzip_single_member(&twice, usize::MAX, &mut out));
        // A trailer that lies about the size, a truncated file, no gzip at all.
        let mut lying = packed.clone();
        let n = lying.len();
        lying[n - 4..].copy_from_slice(&((text.len() - 10) as u32).to_le_bytes());
        assert!(!gunzip_single_member(&lying, usize::MAX, &mut out));
        assert!(!gunzip_single_member(
            &packed[..n - 20],
            usize::MAX,
            &mut out
        ));
        assert!(!gunzip_single_member(&text, usize::MAX, &mut out));
        assert!(!gunzip_single_member(&[], usize::MAX, &mut out));
        assert!(out.is_empty());
    }
}
