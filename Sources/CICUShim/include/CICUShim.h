#ifndef CLINPIPE_CICUSHIM_H
#define CLINPIPE_CICUSHIM_H
/*
 * A narrow C interface over the parts of ICU that ClinPipe uses.
 *
 * Only <stdint.h> types cross this header, so Swift modules that also import Foundation (which bundles its own
 * ICU) never see system ICU's headers or its versioned symbol names. Every text is UTF-8; every offset and
 * length is in UTF-8 bytes.
 */
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Normalization forms understood by cp_normalize_utf8. */
enum {
    CP_NORMALIZATION_NFC = 0,
    CP_NORMALIZATION_NFKC = 1,
    CP_NORMALIZATION_NFD = 2,
    CP_NORMALIZATION_NFKD = 3
};

/**
 * One change reported by normalization: `source_length` bytes starting at `source_offset` in the input became
 * `result_length` bytes starting at `result_offset` in the output. Unchanged text between changes is not listed.
 */
typedef struct cp_edit {
    int64_t source_offset;
    int64_t source_length;
    int64_t result_offset;
    int64_t result_length;
} cp_edit;

/** The result of cp_normalize_utf8; release it with cp_normalization_free. */
typedef struct cp_normalization {
    /** 1 when the input was already normalized (then `text` is NULL and there are no edits). */
    int32_t unchanged;
    char *text;
    int64_t length;
    cp_edit *edits;
    int64_t edit_count;
} cp_normalization;

/**
 * Normalizes `length` bytes of valid UTF-8 at `text` to the form `form` (CP_NORMALIZATION_*).
 * Returns 0 on success and fills `out`; otherwise returns an ICU error code (non-zero) and writes a short
 * message (never document text) into `message` (at most `message_capacity` bytes, NUL-terminated).
 */
int32_t cp_normalize_utf8(int32_t form, const char *text, int64_t length, cp_normalization *out,
                          char *message, int32_t message_capacity);

/**
 * Whether `length` bytes of valid UTF-8 at `text` are already in the form `form` (CP_NORMALIZATION_*), asking ICU
 * only about the stretches around non-ASCII characters: 1 when they are, 0 when some stretch is not or the answer
 * needs the whole text (then ask cp_normalize_utf8, which checks the whole text).
 *
 * Why the stretches suffice: in all four forms every ASCII character has a normalization boundary before it (ICU's
 * `hasBoundaryBefore`, verified once per form at run time; without it the function returns 0), so the text splits
 * there into pieces that normalize independently, and the text is normalized when every piece is. A piece made of
 * one ASCII character is normalized; the others are a run of non-ASCII characters with the ASCII character before
 * it (which may compose with the run), ending before the next ASCII character or at the end. Pure ASCII text asks
 * ICU nothing.
 */
int32_t cp_is_normalized_utf8_by_pieces(int32_t form, const char *text, int64_t length);

/** Releases the buffers of a normalization result. */
void cp_normalization_free(cp_normalization *result);

/** The result of cp_sentence_boundaries_utf8; release it with cp_boundaries_free. */
typedef struct cp_boundaries {
    /** UTF-8 byte offsets of sentence boundaries, ascending, starting with 0 and ending with the text length. */
    int64_t *offsets;
    int64_t count;
} cp_boundaries;

/**
 * ICU sentence boundaries (root locale) over `length` bytes of valid UTF-8. Uses a break iterator cached per
 * thread, so calls from different threads never share state. Returns 0 on success, or an ICU error code.
 */
int32_t cp_sentence_boundaries_utf8(const char *text, int64_t length, cp_boundaries *out,
                                    char *message, int32_t message_capacity);

/** Releases a boundary list. */
void cp_boundaries_free(cp_boundaries *boundaries);

/**
 * Sentence_Break property values (Unicode UAX #29) as returned by cp_sentence_break_class. These numbers are
 * ClinPipe's own and stable; they do not depend on ICU's enumeration.
 */
enum {
    CP_SENTENCE_BREAK_OTHER = 0,
    CP_SENTENCE_BREAK_CR = 1,
    CP_SENTENCE_BREAK_LF = 2,
    CP_SENTENCE_BREAK_SEP = 3,
    CP_SENTENCE_BREAK_SP = 4,
    CP_SENTENCE_BREAK_LOWER = 5,
    CP_SENTENCE_BREAK_UPPER = 6,
    CP_SENTENCE_BREAK_OLETTER = 7,
    CP_SENTENCE_BREAK_NUMERIC = 8,
    CP_SENTENCE_BREAK_ATERM = 9,
    CP_SENTENCE_BREAK_STERM = 10,
    CP_SENTENCE_BREAK_CLOSE = 11,
    CP_SENTENCE_BREAK_SCONTINUE = 12,
    CP_SENTENCE_BREAK_EXTEND = 13,
    CP_SENTENCE_BREAK_FORMAT = 14
};

/**
 * The Sentence_Break property of the code point `codepoint` (0...0x10FFFF) in the Unicode version of the ICU
 * this process runs with, as a CP_SENTENCE_BREAK_* value; CP_SENTENCE_BREAK_OTHER for anything else.
 */
int32_t cp_sentence_break_class(int32_t codepoint);

/** The ICU version string (for example "72.1") into `buffer`. */
void cp_icu_version(char *buffer, int32_t capacity);

#ifdef __cplusplus
}
#endif

#endif
