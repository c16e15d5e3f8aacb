#ifndef CLINPIPE_CBYTESCAN_H
#define CLINPIPE_CBYTESCAN_H
/*
 * Byte scanning sixteen bytes at a time (SSE2), for the hot loops of the Swift modules.
 *
 * Swift's SIMD types compile to scalar loops for these comparisons with the toolchain in use, so the few loops
 * that scan every byte of the text live here as `static inline` functions (Swift inlines them like its own code).
 * Every x86-64 processor has SSE2; other architectures get plain C loops with the same results.
 *
 * Offsets and lengths are in bytes. A function reads only `p[0..<len]` (never past the end, so any buffer may be
 * passed) and writes only `dst[0..<len]`. The JSON scans find the bytes a JSON string escapes; the UTF-8 counts
 * convert byte offsets to code points and UTF-16 units.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Whether JSON escapes `byte` inside a string: a control character (below 0x20), `"`, `\` or DEL (0x7F). */
static inline int cbs_is_json_escape(uint8_t byte) {
    return byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F;
}

#if defined(__SSE2__)
/* 0xFF in each lane of `v` whose byte JSON escapes, 0x00 elsewhere. Bytes of 0x80 and above never match. */
static inline __m128i cbs__json_escape_lanes(__m128i v) {
    __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
    __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x22));
    __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x5C));
    __m128i del = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F));
    return _mm_or_si128(_mm_or_si128(control, quote), _mm_or_si128(backslash, del));
}

static inline unsigned cbs__json_escape_bits(__m128i v) {
    return (unsigned)_mm_movemask_epi8(cbs__json_escape_lanes(v));
}

static inline uint32_t cbs__load32(const uint8_t *p) {
    uint32_t value;
    memcpy(&value, p, 4);
    return value;
}

/*
 * The scan shared by both public functions. With `copy` (a constant at each call), the bytes read are also copied
 * to `dst` at the same offsets (possibly a few bytes beyond the result, never beyond `len`).
 */
static inline size_t cbs__json_escape_scan(uint8_t *dst, const uint8_t *p, size_t len, const int copy) {
    if (len >= 16) {
        size_t i = 0;
        for (; i + 16 <= len; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
            if (copy) _mm_storeu_si128((__m128i *)(dst + i), v);
            unsigned bits = cbs__json_escape_bits(v);
            if (bits) return i + (size_t)__builtin_ctz(bits);
        }
        if (i == len) return len;
        /* The last sixteen bytes, overlapping clean bytes already seen (which hold no match). */
        size_t last = len - 16;
        __m128i v = _mm_loadu_si128((const __m128i *)(p + last));
        if (copy) _mm_storeu_si128((__m128i *)(dst + last), v);
        unsigned bits = cbs__json_escape_bits(v);
        return bits ? last + (size_t)__builtin_ctz(bits) : len;
    }
    if (len >= 8) {
        /* Two overlapping eight-byte halves: bytes 0..<8 in the low lanes, len-8..<len in the high lanes. */
        __m128i low = _mm_loadl_epi64((const __m128i *)p);
        __m128i high = _mm_loadl_epi64((const __m128i *)(p + len - 8));
        if (copy) {
            _mm_storel_epi64((__m128i *)dst, low);
            _mm_storel_epi64((__m128i *)(dst + len - 8), high);
        }
        unsigned bits = cbs__json_escape_bits(_mm_unpacklo_epi64(low, high));
        if (bits & 0xFF) return (size_t)__builtin_ctz(bits);
        bits >>= 8;
        return bits ? len - 8 + (size_t)__builtin_ctz(bits) : len;
    }
    if (len >= 4) {
        /* Two overlapping four-byte halves in lanes 0..<4 and 4..<8; the zero lanes above are ignored. */
        uint32_t first = cbs__load32(p), second = cbs__load32(p + len - 4);
        if (copy) {
            memcpy(dst, &first, 4);
            memcpy(dst + len - 4, &second, 4);
        }
        __m128i v = _mm_unpacklo_epi32(_mm_cvtsi32_si128((int)first), _mm_cvtsi32_si128((int)second));
        unsigned bits = cbs__json_escape_bits(v);
        if (bits & 0xF) return (size_t)__builtin_ctz(bits);
        bits = (bits >> 4) & 0xF;
        return bits ? len - 4 + (size_t)__builtin_ctz(bits) : len;
    }
    for (size_t i = 0; i < len; i++) {
        if (copy) dst[i] = p[i];
        if (cbs_is_json_escape(p[i])) return i;
    }
    return len;
}
#else
static inline size_t cbs__json_escape_scan(uint8_t *dst, const uint8_t *p, size_t len, const int copy) {
    for (size_t i = 0; i < len; i++) {
        if (cbs_is_json_escape(p[i])) return i;
        if (copy) dst[i] = p[i];
    }
    return len;
}
#endif

/**
 * The offset of the first byte of `p[0..<len]` that JSON escapes inside a string (see `cbs_is_json_escape`),
 * or `len` when there is none.
 */
static inline size_t cbs_next_json_escape(const uint8_t *p, size_t len) {
    return cbs__json_escape_scan(NULL, p, len, 0);
}

/**
 * Copies `src[0..<len]` to `dst` up to the first byte that JSON escapes and returns that byte's offset (`len`
 * when there is none): `dst[0..<result]` then equals `src[0..<result]`. Bytes of `dst` from `result` on, up to
 * `len`, may have been overwritten; nothing at or beyond `dst + len` is. The two buffers must not overlap.
 */
static inline size_t cbs_copy_until_json_escape(uint8_t *dst, const uint8_t *src, size_t len) {
    return cbs__json_escape_scan(dst, src, len, 1);
}

/* MARK: Unescaping JSON strings (the JSONL reader) */

/**
 * Unescapes the body of a JSON string, `src[0..<len]` (from just after its opening quote, or later), into `dst` as
 * far as it can on its own: plain bytes (DEL included) are copied thirty-two at a time, and the two-byte escapes
 * `\"`, `\\`, `\/`, `\n`, `\t`, `\r`, `\f`, `\b` become their byte. It stops at the first byte it leaves to the
 * caller: the closing quote, a backslash that starts any other escape (`\u` or an invalid one), a backslash at the
 * end, or a raw control character; `*read` is set to that byte's offset in `src` (`len` at the end), and the
 * result is the number of bytes written, which equal the unescaped `src[0..<*read]`.
 *
 * `dst` must have room for `len` bytes: the copies write whole sixteen-byte steps, always at or before the offset
 * they read from (unescaping never lengthens), so nothing at or beyond `dst + len` is written.
 */
static inline size_t cbs_json_unescape_simple(uint8_t *dst, const uint8_t *src, size_t len, size_t *read) {
    static const uint8_t simple[128] = {
        ['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['n'] = '\n', ['t'] = '\t', ['r'] = '\r', ['f'] = '\f', ['b'] = '\b',
    };
    size_t i = 0, w = 0;
    for (;;) {
        size_t plain;
#if defined(__SSE2__)
        while (i + 32 <= len) {
            __m128i a = _mm_loadu_si128((const __m128i *)(src + i));
            __m128i b = _mm_loadu_si128((const __m128i *)(src + i + 16));
            _mm_storeu_si128((__m128i *)(dst + w), a);
            _mm_storeu_si128((__m128i *)(dst + w + 16), b);
            unsigned bits = cbs__json_escape_bits(a) | cbs__json_escape_bits(b) << 16;
            if (bits) {
                unsigned k = (unsigned)__builtin_ctz(bits);
                i += k;
                w += k;
                goto special;
            }
            i += 32;
            w += 32;
        }
#endif
        plain = cbs_copy_until_json_escape(dst + w, src + i, len - i);
        i += plain;
        w += plain;
    special:
        if (i >= len) break;
        {
            uint8_t byte = src[i];
            if (byte == 0x7F) {
                dst[w++] = byte;
                i += 1;
                continue;
            }
            if (byte != '\\' || i + 1 >= len) break;
            uint8_t escape = src[i + 1];
            uint8_t value = escape < 128 ? simple[escape] : 0;
            if (!value) break;
            dst[w++] = value;
            i += 2;
        }
    }
    *read = i;
    return w;
}

/* MARK: Escaping a text once for many slices (the JSONL encoder's covered texts) */

/**
 * What the escape-once functions record about one 64-byte block of a text (block `k` holds bytes `64k..<64k+64`):
 * bit `i` of `escaped` is set when byte `64k+i` is escaped in a JSON string (see `cbs_is_json_escape`), bit `i` of
 * `six` when that escape is the six-byte form `\u00XX` (the others, `\"`, `\\`, `\n`, `\r`, `\t`, take two bytes);
 * `extra_before` is the number of bytes that the escapes of all earlier blocks add to the text.
 */
typedef struct {
    uint64_t escaped;
    uint64_t six;
    size_t extra_before;
} cbs_json_escape_block;

/** Bytes past its end that `cbs_json_escape_blocks` may write in its output (scratch, not part of the result). */
#define CBS_JSON_ESCAPE_SLACK 64

/** The number of blocks for a text of `len` bytes: `len / 64 + 1`, so that every offset `0...len` has its block. */
static inline size_t cbs_json_escape_block_count(size_t len) {
    return (len >> 6) + 1;
}

/* The bits of the bytes JSON escapes among the 64 bytes at `p` (all readable). */
static inline uint64_t cbs__json_escape_mask64(const uint8_t *p) {
    uint64_t mask = 0;
#if defined(__SSE2__)
    for (int chunk = 0; chunk < 4; chunk++) {
        mask |= (uint64_t)cbs__json_escape_bits(_mm_loadu_si128((const __m128i *)(p + 16 * chunk))) << (16 * chunk);
    }
#else
    for (int i = 0; i < 64; i++) mask |= (uint64_t)cbs_is_json_escape(p[i]) << i;
#endif
    return mask;
}

/**
 * Escaping `p[0..<len]` once, first step: sets the `escaped` mask of each of the `cbs_json_escape_block_count(len)`
 * `blocks` and returns the number of bytes escaped (at most `len`). The escaped text is at most `len + 5 * result`
 * bytes long (six bytes per escape at most).
 */
static inline size_t cbs_json_escape_scan_blocks(const uint8_t *p, size_t len, cbs_json_escape_block *blocks) {
    size_t full = len >> 6, count = 0;
    for (size_t k = 0; k < full; k++) {
        uint64_t mask = cbs__json_escape_mask64(p + (k << 6));
        blocks[k].escaped = mask;
        count += (size_t)__builtin_popcountll(mask);
    }
    /* The last block: the bytes after the last full 64 (maybe none), padded with spaces (which are not escaped). */
    uint8_t rest[64];
    memset(rest, 0x20, sizeof rest);
    size_t remaining = len & 63;
    if (remaining) memcpy(rest, p + (full << 6), remaining);
    uint64_t mask = cbs__json_escape_mask64(rest);
    blocks[full].escaped = mask;
    return count + (size_t)__builtin_popcountll(mask);
}

/* Copies `src[from..<to]` (at most 64 bytes, inside `src[0..<len]`) to `dst`; may write up to 64 bytes at `dst`. */
static inline void cbs__json_copy_run(uint8_t *dst, const uint8_t *src, size_t from, size_t to, size_t len) {
    if (from + 64 <= len) {
        memcpy(dst, src + from, 64);  /* a fixed size: four 16-byte moves, no branch on the run's length */
    } else if (to > from) {
        memcpy(dst, src + from, to - from);
    }
}

/**
 * Escaping `src[0..<len]` once, second step (after `cbs_json_escape_scan_blocks` on the same text and `blocks`):
 * writes the escaped text (without quotes) to `dst`, sets the `six` mask and `extra_before` of each block, and
 * returns the escaped text's length. `dst` must have room for `len + 5 * count + CBS_JSON_ESCAPE_SLACK` bytes, with
 * `count` the first step's result; bytes after the escaped text may be overwritten. The escapes are those of
 * `JSONBuffer.appendQuoted`: `\"`, `\\`, `\n`, `\r`, `\t`, and `\u00xx` (lowercase hex) for the other control
 * characters and DEL.
 */
static inline size_t cbs_json_escape_blocks(uint8_t *dst, const uint8_t *src, size_t len, cbs_json_escape_block *blocks) {
    /* The letter after the backslash for each byte below 0x80 that is escaped ('u' for the six-byte form). */
    static const uint8_t letter[128] = {
        'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 't', 'n', 'u', 'u', 'r', 'u', 'u',
        'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
        0, 0, '"', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\\', 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'u',
    };
    static const uint8_t hex[16] = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    size_t full = len >> 6;
    uint8_t *out = dst;
    for (size_t k = 0; k <= full; k++) {
        size_t start = k << 6, end = k < full ? start + 64 : len;
        blocks[k].extra_before = (size_t)(out - dst) - start;
        uint64_t escaped = blocks[k].escaped, six = 0;
        size_t position = start;
        while (escaped) {
            unsigned bit = (unsigned)__builtin_ctzll(escaped);
            size_t at = start + bit;
            cbs__json_copy_run(out, src, position, at, len);
            out += at - position;
            uint8_t byte = src[at], second = letter[byte & 0x7F];
            out[0] = '\\';
            out[1] = second;
            if (second == 'u') {  /* rare: form feeds and other control characters */
                out[2] = '0';
                out[3] = '0';
                out[4] = hex[byte >> 4];
                out[5] = hex[byte & 0xF];
                out += 4;
                six |= (uint64_t)1 << bit;
            }
            out += 2;
            position = at + 1;
            escaped &= escaped - 1;
        }
        blocks[k].six = six;
        cbs__json_copy_run(out, src, position, end, len);
        out += end - position;
    }
    return (size_t)(out - dst);
}

/**
 * The offset in the escaped text (see `cbs_json_escape_blocks`) of byte offset `offset` (`0...len`) of the original
 * text: `offset` plus the bytes that the escapes before it add. Every escape replaces a single byte, so the escaped
 * form of `text[b..<e]` is exactly `escaped[offset(b)..<offset(e)]`.
 */
static inline size_t cbs_json_escaped_offset(const cbs_json_escape_block *blocks, size_t offset) {
    const cbs_json_escape_block *block = blocks + (offset >> 6);
    uint64_t below = ((uint64_t)1 << (offset & 63)) - 1;
    size_t extra = block->extra_before + (size_t)__builtin_popcountll(block->escaped & below);
    uint64_t six = block->six & below;
    /* Six-byte escapes (form feeds, other control characters) are rare: most lookups skip this count. */
    if (six) extra += 4 * (size_t)__builtin_popcountll(six);
    return offset + extra;
}

/**
 * Copies `src[0..<len]` to `dst` 32 bytes at a time, without a branch on the length's remainder: reads and writes
 * whole 32-byte steps, so up to 32 bytes past `len` on both sides (never fewer than 32 in all); both buffers must
 * have that room, and the bytes written past `len` are scratch.
 */
static inline void cbs_copy_in_steps_of_32(uint8_t *dst, const uint8_t *src, size_t len) {
#if defined(__SSE2__)
    size_t i = 0;
    do {
        __m128i low = _mm_loadu_si128((const __m128i *)(src + i));
        __m128i high = _mm_loadu_si128((const __m128i *)(src + i + 16));
        _mm_storeu_si128((__m128i *)(dst + i), low);
        _mm_storeu_si128((__m128i *)(dst + i + 16), high);
        i += 32;
    } while (i < len);
#else
    memcpy(dst, src, len);
#endif
}

/**
 * `cbs_copy_in_steps_of_32` in whole 64-byte steps (up to 64 bytes past `len` read and written, never fewer than 64
 * in all): half the steps for long copies, and one step, without a loop branch taken, for copies up to 64 bytes.
 */
static inline void cbs_copy_in_steps_of_64(uint8_t *dst, const uint8_t *src, size_t len) {
#if defined(__SSE2__)
    size_t i = 0;
    do {
        __m128i a = _mm_loadu_si128((const __m128i *)(src + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(src + i + 16));
        __m128i c = _mm_loadu_si128((const __m128i *)(src + i + 32));
        __m128i d = _mm_loadu_si128((const __m128i *)(src + i + 48));
        _mm_storeu_si128((__m128i *)(dst + i), a);
        _mm_storeu_si128((__m128i *)(dst + i + 16), b);
        _mm_storeu_si128((__m128i *)(dst + i + 32), c);
        _mm_storeu_si128((__m128i *)(dst + i + 48), d);
        i += 64;
    } while (i < len);
#else
    memcpy(dst, src, len);
#endif
}

/* MARK: Plain runs (the normalize stage) */

/**
 * The length of the run of plain bytes that starts `p[0..<len]`: bytes 0x21...0x7F (printable ASCII), and a space
 * (0x20) whose next byte, inside `len`, is one of those. The normalize stage copies such runs unchanged; it looks at
 * the byte where the run stops (`len` when every byte is plain).
 */
static inline size_t cbs_plain_prefix(const uint8_t *p, size_t len) {
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(0x20);
    /* Seventeen bytes readable: each lane also sees the byte after it. */
    for (; i + 17 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i next = _mm_loadu_si128((const __m128i *)(p + i + 1));
        /* A signed compare: 0x21...0x7F are above 0x20, bytes of 0x80 and above are negative. */
        __m128i printable = _mm_cmpgt_epi8(v, space);
        __m128i spaceBeforePrintable = _mm_and_si128(_mm_cmpeq_epi8(v, space), _mm_cmpgt_epi8(next, space));
        unsigned plain = (unsigned)_mm_movemask_epi8(_mm_or_si128(printable, spaceBeforePrintable));
        if (plain != 0xFFFFu) return i + (size_t)__builtin_ctz(~plain);
    }
    if (i < len && len >= 16) {
        /* The last sixteen bytes, overlapping plain bytes already seen, instead of a byte loop whose exit the branch
           predictor cannot learn (lines end anywhere). The last lane sees zero after it: no byte follows the range. */
        size_t last = len - 16;
        __m128i v = _mm_loadu_si128((const __m128i *)(p + last));
        __m128i next = _mm_srli_si128(v, 1);
        __m128i printable = _mm_cmpgt_epi8(v, space);
        __m128i spaceBeforePrintable = _mm_and_si128(_mm_cmpeq_epi8(v, space), _mm_cmpgt_epi8(next, space));
        unsigned plain = (unsigned)_mm_movemask_epi8(_mm_or_si128(printable, spaceBeforePrintable));
        plain |= (1u << (i - last)) - 1u;  /* the lanes before `i`: plain, seen by the loop */
        return plain == 0xFFFFu ? len : last + (size_t)__builtin_ctz(~plain);
    }
#endif
    for (; i < len; i++) {
        uint8_t byte = p[i];
        if (byte > 0x20 && byte < 0x80) continue;
        if (byte == 0x20 && i + 1 < len && p[i + 1] > 0x20 && p[i + 1] < 0x80) continue;
        return i;
    }
    return len;
}

/**
 * The offset of the first byte of `p[0..<len]` below 0x0E (the line and page breaks, and the other control bytes
 * below them), or `len` when there is none.
 */
static inline size_t cbs_next_below_0e(const uint8_t *p, size_t len) {
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i top = _mm_set1_epi8(0x0D);
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        unsigned below = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, top), v));
        if (below) return i + (size_t)__builtin_ctz(below);
    }
#endif
    for (; i < len; i++) if (p[i] < 0x0E) return i;
    return len;
}

/* MARK: UTF-8 counts */

#if defined(__SSE2__)
/* Bits set for the lanes of `v` holding a UTF-8 continuation byte (0x80...0xBF: below -64 as a signed byte). */
static inline unsigned cbs__continuation_bits(__m128i v) {
    return (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8((char)0xC0)));
}

/* Bits set for the lanes of `v` holding the lead byte of a four-byte sequence (0xF0 and above: -16...-1 signed). */
static inline unsigned cbs__four_byte_lead_bits(__m128i v) {
    __m128i atLeastF0 = _mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xEF));
    __m128i negative = _mm_cmplt_epi8(v, _mm_setzero_si128());
    return (unsigned)_mm_movemask_epi8(_mm_and_si128(atLeastF0, negative));
}

/*
 * Counts, in `p[0..<len]`, the continuation bytes and (with `leads`, a constant at each call) minus the lead bytes
 * of four-byte sequences: the bytes that a count of code points (or of UTF-16 units) leaves out.
 */
static inline size_t cbs__utf8_deficit(const uint8_t *p, size_t len, const int leads) {
    size_t total = 0, i = 0;
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        total += (size_t)__builtin_popcount(cbs__continuation_bits(v));
        if (leads) total -= (size_t)__builtin_popcount(cbs__four_byte_lead_bits(v));
    }
    size_t rest = len - i;
    if (rest == 0) return total;
    if (len >= 16) {
        /* The last sixteen bytes, of which only the top `rest` lanes are new. */
        __m128i v = _mm_loadu_si128((const __m128i *)(p + len - 16));
        unsigned fresh = ~0u << (16 - rest);
        total += (size_t)__builtin_popcount(cbs__continuation_bits(v) & fresh);
        if (leads) total -= (size_t)__builtin_popcount(cbs__four_byte_lead_bits(v) & fresh);
        return total;
    }
    for (; i < len; i++) {
        total += (p[i] & 0xC0) == 0x80;
        if (leads) total -= p[i] >= 0xF0;
    }
    return total;
}

/** Whether every byte of `p[0..<len]` is ASCII (below 0x80). */
static inline int cbs_is_ascii(const uint8_t *p, size_t len) {
    size_t i = 0;
    __m128i any = _mm_setzero_si128();
    for (; i + 64 <= len; i += 64) {
        __m128i a = _mm_or_si128(_mm_loadu_si128((const __m128i *)(p + i)), _mm_loadu_si128((const __m128i *)(p + i + 16)));
        __m128i b = _mm_or_si128(_mm_loadu_si128((const __m128i *)(p + i + 32)), _mm_loadu_si128((const __m128i *)(p + i + 48)));
        any = _mm_or_si128(any, _mm_or_si128(a, b));
    }
    for (; i + 16 <= len; i += 16) any = _mm_or_si128(any, _mm_loadu_si128((const __m128i *)(p + i)));
    if (_mm_movemask_epi8(any)) return 0;
    for (; i < len; i++) if (p[i] & 0x80) return 0;
    return 1;
}
#else
static inline size_t cbs__utf8_deficit(const uint8_t *p, size_t len, const int leads) {
    size_t total = 0;
    for (size_t i = 0; i < len; i++) {
        total += (p[i] & 0xC0) == 0x80;
        if (leads) total -= p[i] >= 0xF0;
    }
    return total;
}

static inline int cbs_is_ascii(const uint8_t *p, size_t len) {
    for (size_t i = 0; i < len; i++) if (p[i] & 0x80) return 0;
    return 1;
}
#endif

/**
 * The number of code points (Unicode scalars) whose UTF-8 sequences start in `p[0..<len]`: the bytes that are not
 * continuation bytes (0x80...0xBF). For valid UTF-8 cut at scalar boundaries, the number of code points it holds.
 */
static inline size_t cbs_utf8_scalar_count(const uint8_t *p, size_t len) {
    return len - cbs__utf8_deficit(p, len, 0);
}

/**
 * The number of UTF-16 code units of the scalars whose UTF-8 sequences start in `p[0..<len]`: one per scalar, two
 * for those written with four bytes (lead byte 0xF0 or above).
 */
static inline size_t cbs_utf8_utf16_count(const uint8_t *p, size_t len) {
    return len - cbs__utf8_deficit(p, len, 1);
}

/**
 * The offset of the first byte of `p[0..<len]` that may end a sentence or a paragraph: `.`, `!`, `?`, CR, LF, or a
 * byte of 0x80 and above (any non-ASCII character); `len` when there is none. The scan of `SentenceBreakRules`, which
 * reads every byte of a text and looks only at these.
 */
static inline size_t cbs_next_sentence_candidate(const uint8_t *p, size_t len) {
    size_t i = 0;
#if defined(__SSE2__)
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i breaks = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x0A)), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x0D)));
        __m128i terms = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x21)), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x2E))),
                                     _mm_cmpeq_epi8(v, _mm_set1_epi8(0x3F)));
        /* A lane's high bit: a match, or the byte itself at 0x80 and above. */
        unsigned bits = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(breaks, terms), v));
        if (bits) return i + (size_t)__builtin_ctz(bits);
    }
#endif
    for (; i < len; i++) {
        uint8_t byte = p[i];
        if (byte >= 0x80 || byte == 0x0A || byte == 0x0D || byte == 0x21 || byte == 0x2E || byte == 0x3F) return i;
    }
    return len;
}

/*
 * Words, as `ByteClass.isWord` defines them: runs of ASCII letters and digits and of bytes of 0x80 and above (every
 * byte of a non-ASCII character). `cbs_read_word` gives a word's length and the hash that `FirstWordFilter` and
 * `WordStepTable` key words by, sixteen bytes a step with no branch on the bytes read (the length comes from
 * a bit mask), so that the many short words of a text cost the lexicon scans no mispredicted loop exits.
 *
 * The hash of a word of `n` bytes (letters lowercased when folding): the bytes zero-padded to `16 * (n / 16 + 1)`
 * bytes, read as 64-bit little-endian halves of 16-byte blocks, each block mixed in by `cbs_word_hash_block` from
 * `cbs_word_hash_seed()`, then `cbs_word_hash_finish`. Zero is no word byte, so the padding is unambiguous.
 */
static inline uint64_t cbs_word_hash_seed(void) { return 0x243F6A8885A308D3ull; }

static inline uint64_t cbs_word_hash_block(uint64_t hash, uint64_t low, uint64_t high) {
    hash = (hash ^ low) * 0x9E3779B97F4A7C15ull;
    return (hash ^ high) * 0x9E3779B97F4A7C15ull;
}

static inline uint64_t cbs_word_hash_finish(uint64_t hash) { return hash ^ (hash >> 29); }

/** Whether `byte` is a word byte: an ASCII letter or digit, or 0x80 and above. */
static inline int cbs_is_word_byte(uint8_t byte) {
    uint8_t lower = byte | 0x20;
    return byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (lower >= 0x61 && lower <= 0x7A);
}

/**
 * A word read by `cbs_read_word`: its length in bytes, its hash, and its first block: the first sixteen of its
 * (folded) bytes, zero-padded, as the 64-bit little-endian halves `low` and `high` that the hash mixed in first (for
 * a word of up to fifteen bytes, the whole word).
 */
typedef struct cbs_word {
    size_t length;
    uint64_t hash;
    uint64_t low;
    uint64_t high;
} cbs_word;

#if defined(__SSE2__)
/* 0xFF in each lane of `v` that holds an ASCII letter (either case). */
static inline __m128i cbs__letter_lanes(__m128i v) {
    __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
    return _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8(0x60)), _mm_cmplt_epi8(lower, _mm_set1_epi8(0x7B)));
}

/* 0xFF in each lane of `v` that holds a word byte, given its letter lanes. */
static inline __m128i cbs__word_lanes(__m128i v, __m128i letters) {
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x2F)), _mm_cmplt_epi8(v, _mm_set1_epi8(0x3A)));
    return _mm_or_si128(_mm_or_si128(digit, letters), _mm_cmplt_epi8(v, _mm_setzero_si128()));
}

/* The sixteen bytes at `p`, or the `avail` (< 16) there followed by zeros. */
static inline __m128i cbs__load_block(const uint8_t *p, size_t avail) {
    if (avail >= 16) return _mm_loadu_si128((const __m128i *)p);
    uint8_t tail[16] = {0};
    memcpy(tail, p, avail);
    return _mm_loadu_si128((const __m128i *)tail);
}

/* The number of leading lanes set in a lane mask (0...16). */
static inline unsigned cbs__leading_lanes(__m128i lanes) {
    return (unsigned)__builtin_ctz(~(unsigned)_mm_movemask_epi8(lanes) | 0x10000u);
}
#endif

/*
 * One block of `cbs_read_word`: the word bytes that lead `p[0..<avail]`, at most sixteen (their count into `*n`),
 * folded when `fold`, zero-padded, as the halves `*low` and `*high`.
 */
static inline void cbs__word_block(const uint8_t *p, size_t avail, int fold, unsigned *n, uint64_t *low, uint64_t *high) {
#if defined(__SSE2__)
    /* 0xFF in the first n lanes: a sliding window over sixteen 0xFF and sixteen zeros. */
    static const uint8_t prefix_masks[32] = {
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    __m128i v = cbs__load_block(p, avail);
    __m128i letters = cbs__letter_lanes(v);
    unsigned count = cbs__leading_lanes(cbs__word_lanes(v, letters));
    /* Folding sets bit 5 of the letters (digits have it, other bytes are masked off or kept as they are). */
    __m128i folded = fold ? _mm_or_si128(v, _mm_and_si128(letters, _mm_set1_epi8(0x20))) : v;
    __m128i kept = _mm_and_si128(folded, _mm_loadu_si128((const __m128i *)(prefix_masks + 16 - count)));
    *n = count;
    *low = (uint64_t)_mm_cvtsi128_si64(kept);
    *high = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(kept, kept));
#else
    uint8_t block[16] = {0};
    unsigned count = 0;
    while (count < 16 && count < avail && cbs_is_word_byte(p[count])) {
        uint8_t byte = p[count];
        block[count] = fold && byte >= 0x41 && byte <= 0x5A ? (uint8_t)(byte | 0x20) : byte;
        count++;
    }
    *n = count;
    memcpy(low, block, 8);
    memcpy(high, block + 8, 8);
#endif
}

/**
 * The word at the start of `p[0..<len]`: its length (the number of leading word bytes, 0 when `p[0]` is none or
 * `len` is 0), its hash and its first block (`cbs_word`), with ASCII letters lowercased when `fold` is non-zero.
 * Reads only `p[0..<len]`.
 */
static inline cbs_word cbs_read_word(const uint8_t *p, size_t len, int fold) {
    /* The first block apart (its halves are the word's `low` and `high`), the rest of a long word in a loop. */
    unsigned n;
    uint64_t first_low, first_high;
    cbs__word_block(p, len, fold, &n, &first_low, &first_high);
    uint64_t hash = cbs_word_hash_block(cbs_word_hash_seed(), first_low, first_high);
    size_t offset = n;
    while (n == 16) {
        uint64_t low, high;
        cbs__word_block(p + offset, len - offset, fold, &n, &low, &high);
        hash = cbs_word_hash_block(hash, low, high);
        offset += n;
    }
    cbs_word word = { offset, cbs_word_hash_finish(hash), first_low, first_high };
    return word;
}

/** The number of leading word bytes of `p[0..<len]` (0 when `p[0]` is none or `len` is 0). */
static inline size_t cbs_word_length(const uint8_t *p, size_t len) {
    size_t offset = 0;
#if defined(__SSE2__)
    for (;;) {
        __m128i v = cbs__load_block(p + offset, len - offset);
        unsigned n = cbs__leading_lanes(cbs__word_lanes(v, cbs__letter_lanes(v)));
        offset += n;
        if (n < 16) return offset;
    }
#else
    while (offset < len && cbs_is_word_byte(p[offset])) offset++;
    return offset;
#endif
}

/**
 * The word starts of `p[0..<min(len, 64)]`, bit `i` for `p[i]`: word bytes (as `cbs_read_word` reads them) whose
 * byte before is none (`previous_is_word` tells about the byte before `p[0]`). Sixteen bytes at a time, so that a
 * scan visits the words of a text without a branch per byte between them.
 */
static inline uint64_t cbs_word_starts64(const uint8_t *p, size_t len, int previous_is_word) {
    uint64_t word = 0;
    size_t span = len < 64 ? len : 64;
#if defined(__SSE2__)
    for (size_t block = 0; block < span; block += 16) {
        __m128i v = cbs__load_block(p + block, span - block);  /* padding zeros are no word bytes */
        word |= (uint64_t)(unsigned)_mm_movemask_epi8(cbs__word_lanes(v, cbs__letter_lanes(v))) << block;
    }
#else
    for (size_t i = 0; i < span; i++) if (cbs_is_word_byte(p[i])) word |= 1ull << i;
#endif
    return word & ~((word << 1) | (previous_is_word ? 1u : 0u));
}

/**
 * The number of records whose 64-bit key is at or before `position`, of `count` records `stride` bytes apart from
 * `first` with keys ascending: a binary search whose steps are conditional moves, not branches (the loop runs
 * log2(count) times whatever the keys), so lookups scattered over a document cost no mispredictions.
 */
static inline size_t cbs_count_keys_at_or_before(const void *first, size_t stride, size_t count, int64_t position) {
    if (count == 0) return 0;
    const char *base = (const char *)first;
    size_t low = 0, remaining = count;
    while (remaining > 1) {
        size_t half = remaining >> 1;
        int64_t key;
        memcpy(&key, base + (low + half) * stride, sizeof key);
        low = __builtin_unpredictable(key <= position) ? low + half : low;
        remaining -= half;
    }
    int64_t key;
    memcpy(&key, base + low * stride, sizeof key);
    return low + (key <= position);
}

/* MARK: Two-byte candidates (the outcome stage's `BytePairSet`) */

/**
 * The offsets `i` of `p[0..<16]` (bit `i`) where one of `count` byte pairs occurs: `(p[i] | first_fold) == first` and
 * `(p[i + 1] | second_fold) == second`. `rows` holds, per pair, four 16-byte rows, each one byte repeated:
 * `first_fold`, `first`, `second_fold`, `second`. Reads `p[0...16]` (seventeen bytes).
 */
static inline unsigned cbs_byte_pair_bits16(const uint8_t *p, const uint8_t *rows, size_t count) {
#if defined(__SSE2__)
    __m128i bytes = _mm_loadu_si128((const __m128i *)p);
    __m128i next = _mm_loadu_si128((const __m128i *)(p + 1));
    __m128i found = _mm_setzero_si128();
    for (size_t pair = 0; pair < count; pair++) {
        const __m128i *row = (const __m128i *)(rows + 64 * pair);
        __m128i first = _mm_cmpeq_epi8(_mm_or_si128(bytes, _mm_loadu_si128(row)), _mm_loadu_si128(row + 1));
        __m128i second = _mm_cmpeq_epi8(_mm_or_si128(next, _mm_loadu_si128(row + 2)), _mm_loadu_si128(row + 3));
        found = _mm_or_si128(found, _mm_and_si128(first, second));
    }
    return (unsigned)_mm_movemask_epi8(found);
#else
    unsigned bits = 0;
    for (int i = 0; i < 16; i++) {
        for (size_t pair = 0; pair < count; pair++) {
            const uint8_t *row = rows + 64 * pair;
            if ((p[i] | row[0]) == row[16] && (p[i + 1] | row[32]) == row[48]) { bits |= 1u << i; break; }
        }
    }
    return bits;
#endif
}

#ifdef __cplusplus
}
#endif

#endif
