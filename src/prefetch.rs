//! Asking for memory before it is needed.
//!
//! The stem memo ([`crate::index::tokenizer`]) and the tagger's feature
//! weights ([`crate::ner`]) are tables larger than a core's cache, looked up
//! at random, once per word or feature. A lookup made the moment its key is
//! known waits for its cache miss alone, and those waits were most of the
//! time of both. Where the keys of many lookups are known ahead (a text's
//! words, a sentence's features), prefetching their slots first lets the
//! misses overlap.

/// Brings the cache line holding `value` towards the core, without waiting
/// for it. A hint: it changes no result, only how soon a read of `value`
/// completes.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn prefetch<T>(value: &T) {
    use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
    // SAFETY: a prefetch never faults, whatever the address (here that of
    // a live reference), and SSE is part of every x86-64 processor.
    unsafe { _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>()) }
}

/// Elsewhere lookups wait for their memory.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
pub(crate) fn prefetch<T>(_: &T) {}
