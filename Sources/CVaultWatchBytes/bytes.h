// Byte searches and comparisons sixteen bytes at a time for the decoder's hot path
// (`JSONScanner+Blocks.swift`, `ByteComparison`). Swift 6.3 lowers comparisons of `SIMD16<UInt8>`
// to a loop over the lanes and has no way to ask for `pmovmskb`, so these are C inline
// functions: Swift imports them and LLVM inlines them into the callers (each compiles to a
// load, one to three `pcmpeqb`/`pcmpgtb`, `por` and one `pmovmskb`). Each returns a mask of
// sixteen bits, bit i for byte i. Without SSE2 (another architecture) the same masks come
// from a byte loop.
#ifndef VAULTWATCH_CBYTES_H
#define VAULTWATCH_CBYTES_H

#include <stdint.h>
#include <stdbool.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The bytes of the sixteen at `bytes` that end a string's plain run: `"`, a backslash, a
/// byte below 0x20 or a byte of 0x80 and above (the start of a UTF-8 sequence to check).
static inline __attribute__((always_inline)) uint32_t vw_string_special_mask(const void *bytes) {
#if defined(__SSE2__)
    __m128i block = _mm_loadu_si128((const __m128i *)bytes);
    __m128i quote = _mm_cmpeq_epi8(block, _mm_set1_epi8(0x22));
    __m128i backslash = _mm_cmpeq_epi8(block, _mm_set1_epi8(0x5C));
    // Signed: bytes of 0x80 and above are negative, so below 0x20 takes in both.
    __m128i lowOrHigh = _mm_cmplt_epi8(block, _mm_set1_epi8(0x20));
    return (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), lowOrHigh));
#else
    const uint8_t *p = (const uint8_t *)bytes;
    uint32_t mask = 0;
    for (int i = 0; i < 16; i++) {
        uint8_t b = p[i];
        if (b == 0x22 || b == 0x5C || b < 0x20 || b >= 0x80) mask |= 1u << i;
    }
    return mask;
#endif
}

/// The bytes of the sixteen at `bytes` that are not JSON blanks: space, tab, carriage return,
/// and line feed when `newlineIsBlank`.
static inline __attribute__((always_inline)) uint32_t vw_nonblank_mask(const void *bytes, bool newlineIsBlank) {
#if defined(__SSE2__)
    __m128i block = _mm_loadu_si128((const __m128i *)bytes);
    __m128i blank = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(block, _mm_set1_epi8(0x09))),
        _mm_cmpeq_epi8(block, _mm_set1_epi8(0x0D)));
    if (newlineIsBlank) blank = _mm_or_si128(blank, _mm_cmpeq_epi8(block, _mm_set1_epi8(0x0A)));
    return (uint32_t)_mm_movemask_epi8(blank) ^ 0xFFFFu;
#else
    const uint8_t *p = (const uint8_t *)bytes;
    uint32_t mask = 0;
    for (int i = 0; i < 16; i++) {
        uint8_t b = p[i];
        if (!(b == 0x20 || b == 0x09 || b == 0x0D || (b == 0x0A && newlineIsBlank))) mask |= 1u << i;
    }
    return mask;
#endif
}

/// The bytes of the sixteen at `bytes` below 0x20 (a newline, a tab, any control byte).
static inline __attribute__((always_inline)) uint32_t vw_control_mask(const void *bytes) {
#if defined(__SSE2__)
    __m128i block = _mm_loadu_si128((const __m128i *)bytes);
    // Unsigned: a byte is below 0x20 when its minimum with 0x1F is itself.
    return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(block, _mm_set1_epi8(0x1F)), block));
#else
    const uint8_t *p = (const uint8_t *)bytes;
    uint32_t mask = 0;
    for (int i = 0; i < 16; i++) if (p[i] < 0x20) mask |= 1u << i;
    return mask;
#endif
}

/// The bytes of the sixteen at `bytes` that equal `byte`.
static inline __attribute__((always_inline)) uint32_t vw_byte_mask(const void *bytes, uint8_t byte) {
#if defined(__SSE2__)
    __m128i block = _mm_loadu_si128((const __m128i *)bytes);
    return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(block, _mm_set1_epi8((char)byte)));
#else
    const uint8_t *p = (const uint8_t *)bytes;
    uint32_t mask = 0;
    for (int i = 0; i < 16; i++) if (p[i] == byte) mask |= 1u << i;
    return mask;
#endif
}

/// The bytes of the sixteen at `left` that differ from those at `right`.
static inline __attribute__((always_inline)) uint32_t vw_difference_mask(const void *left, const void *right) {
#if defined(__SSE2__)
    __m128i a = _mm_loadu_si128((const __m128i *)left);
    __m128i b = _mm_loadu_si128((const __m128i *)right);
    return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, b)) ^ 0xFFFFu;
#else
    const uint8_t *l = (const uint8_t *)left, *r = (const uint8_t *)right;
    uint32_t mask = 0;
    for (int i = 0; i < 16; i++) if (l[i] != r[i]) mask |= 1u << i;
    return mask;
#endif
}

#endif
