// ICU is included only here: see include/CICUShim.h for why.
#include "CICUShim.h"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uclean.h>
#include <unicode/utext.h>
#include <unicode/uversion.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

void write_message(char *message, int32_t capacity, const char *what, UErrorCode status) {
    if (message == nullptr || capacity <= 0) return;
    snprintf(message, static_cast<size_t>(capacity), "%s: %s", what, u_errorName(status));
}

const icu::Normalizer2 *normalizer_for(int32_t form, UErrorCode &status) {
    switch (form) {
    case CP_NORMALIZATION_NFC: return icu::Normalizer2::getNFCInstance(status);
    case CP_NORMALIZATION_NFKC: return icu::Normalizer2::getNFKCInstance(status);
    case CP_NORMALIZATION_NFD: return icu::Normalizer2::getNFDInstance(status);
    case CP_NORMALIZATION_NFKD: return icu::Normalizer2::getNFKDInstance(status);
    default: status = U_ILLEGAL_ARGUMENT_ERROR; return nullptr;
    }
}

/** A sentence break iterator per thread, created on first use. */
icu::BreakIterator *thread_sentence_iterator(UErrorCode &status) {
    thread_local std::unique_ptr<icu::BreakIterator> iterator;
    if (!iterator) {
        iterator.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
        if (U_FAILURE(status)) { iterator.reset(); return nullptr; }
    }
    return iterator.get();
}

} // namespace

extern "C" int32_t cp_normalize_utf8(int32_t form, const char *text, int64_t length, cp_normalization *out,
                                     char *message, int32_t message_capacity) {
    std::memset(out, 0, sizeof(*out));
    UErrorCode status = U_ZERO_ERROR;
    if (length < 0 || length > INT32_MAX) {
        status = U_INDEX_OUTOFBOUNDS_ERROR;
        write_message(message, message_capacity, "text longer than 2 GiB", status);
        return status;
    }
    const icu::Normalizer2 *normalizer = normalizer_for(form, status);
    if (U_FAILURE(status)) { write_message(message, message_capacity, "normalizer", status); return status; }
    icu::StringPiece piece(text, static_cast<int32_t>(length));
    if (normalizer->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) {
        out->unchanged = 1;
        return 0;
    }
    status = U_ZERO_ERROR;
    std::string result;
    result.reserve(static_cast<size_t>(length) + 16);
    icu::StringByteSink<std::string> sink(&result);
    icu::Edits edits;
    normalizer->normalizeUTF8(0, piece, sink, &edits, status);
    if (U_FAILURE(status)) { write_message(message, message_capacity, "normalizeUTF8", status); return status; }

    std::vector<cp_edit> changes;
    icu::Edits::Iterator it = edits.getCoarseChangesIterator();
    while (it.next(status)) {
        if (!it.hasChange()) continue;
        changes.push_back(cp_edit{it.sourceIndex(), it.oldLength(), it.destinationIndex(), it.newLength()});
    }
    if (U_FAILURE(status)) { write_message(message, message_capacity, "edits", status); return status; }

    out->text = static_cast<char *>(std::malloc(result.size() + 1));
    out->edits = static_cast<cp_edit *>(std::malloc(sizeof(cp_edit) * (changes.size() + 1)));
    if (out->text == nullptr || out->edits == nullptr) {
        cp_normalization_free(out);
        status = U_MEMORY_ALLOCATION_ERROR;
        write_message(message, message_capacity, "allocation", status);
        return status;
    }
    std::memcpy(out->text, result.data(), result.size());
    out->text[result.size()] = '\0';
    out->length = static_cast<int64_t>(result.size());
    if (!changes.empty()) std::memcpy(out->edits, changes.data(), sizeof(cp_edit) * changes.size());
    out->edit_count = static_cast<int64_t>(changes.size());
    return 0;
}

namespace {

/** Whether every ASCII character has a normalization boundary before it in `normalizer`'s form. */
bool ascii_has_boundaries_before(const icu::Normalizer2 *normalizer) {
    for (UChar32 c = 0; c < 0x80; c++) {
        if (!normalizer->hasBoundaryBefore(c)) return false;
    }
    return true;
}

/** The offset of the first byte of 0x80 and above in `p[from..<length]`, or `length`. Eight bytes at a time. */
int64_t next_non_ascii(const unsigned char *p, int64_t from, int64_t length) {
    int64_t i = from;
    for (; i + 8 <= length; i += 8) {
        uint64_t word;
        std::memcpy(&word, p + i, 8);
        word &= 0x8080808080808080ull;
        if (word != 0) return i + (__builtin_ctzll(word) >> 3);
    }
    for (; i < length; i++) {
        if (p[i] & 0x80) return i;
    }
    return length;
}

} // namespace

extern "C" int32_t cp_is_normalized_utf8_by_pieces(int32_t form, const char *text, int64_t length) {
    if (length < 0 || length > INT32_MAX) return 0;
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2 *normalizer = normalizer_for(form, status);
    if (U_FAILURE(status)) return 0;
    // The four instances are singletons; the property holds for ICU's data of every version so far, but is checked.
    static const bool boundaries[4] = {
        ascii_has_boundaries_before(icu::Normalizer2::getNFCInstance(status)),
        ascii_has_boundaries_before(icu::Normalizer2::getNFKCInstance(status)),
        ascii_has_boundaries_before(icu::Normalizer2::getNFDInstance(status)),
        ascii_has_boundaries_before(icu::Normalizer2::getNFKDInstance(status)),
    };
    if (U_FAILURE(status) || form < 0 || form > 3 || !boundaries[form]) return 0;
    const unsigned char *bytes = reinterpret_cast<const unsigned char *>(text);
    int64_t position = 0;
    while (true) {
        int64_t runStart = next_non_ascii(bytes, position, length);
        if (runStart == length) return 1;
        // The piece: the ASCII character before the run (if any), the run, up to the next ASCII byte or the end.
        int64_t pieceStart = runStart > 0 ? runStart - 1 : 0;
        int64_t pieceEnd = runStart;
        while (pieceEnd < length && (bytes[pieceEnd] & 0x80)) pieceEnd++;
        icu::StringPiece piece(text + pieceStart, static_cast<int32_t>(pieceEnd - pieceStart));
        if (!normalizer->isNormalizedUTF8(piece, status) || U_FAILURE(status)) return 0;
        position = pieceEnd;
    }
}

extern "C" void cp_normalization_free(cp_normalization *result) {
    if (result == nullptr) return;
    std::free(result->text);
    std::free(result->edits);
    result->text = nullptr;
    result->edits = nullptr;
    result->length = 0;
    result->edit_count = 0;
}

extern "C" int32_t cp_sentence_boundaries_utf8(const char *text, int64_t length, cp_boundaries *out,
                                               char *message, int32_t message_capacity) {
    out->offsets = nullptr;
    out->count = 0;
    UErrorCode status = U_ZERO_ERROR;
    icu::BreakIterator *iterator = thread_sentence_iterator(status);
    if (iterator == nullptr) { write_message(message, message_capacity, "sentence iterator", status); return status; }
    UText *utext = utext_openUTF8(nullptr, text, length, &status);
    if (U_FAILURE(status)) { write_message(message, message_capacity, "utext_openUTF8", status); return status; }
    iterator->setText(utext, status);
    if (U_FAILURE(status)) {
        utext_close(utext);
        write_message(message, message_capacity, "setText", status);
        return status;
    }
    std::vector<int64_t> offsets;
    offsets.reserve(static_cast<size_t>(length / 60 + 4));
    for (int32_t b = iterator->first(); b != icu::BreakIterator::DONE; b = iterator->next()) {
        offsets.push_back(b);
    }
    // Detach the iterator from the caller's buffer before it goes away.
    UText *empty = utext_openUTF8(nullptr, "", 0, &status);
    iterator->setText(empty, status);
    utext_close(empty);
    utext_close(utext);

    out->offsets = static_cast<int64_t *>(std::malloc(sizeof(int64_t) * (offsets.size() + 1)));
    if (out->offsets == nullptr) {
        status = U_MEMORY_ALLOCATION_ERROR;
        write_message(message, message_capacity, "allocation", status);
        return status;
    }
    if (!offsets.empty()) std::memcpy(out->offsets, offsets.data(), sizeof(int64_t) * offsets.size());
    out->count = static_cast<int64_t>(offsets.size());
    return 0;
}

extern "C" void cp_boundaries_free(cp_boundaries *boundaries) {
    if (boundaries == nullptr) return;
    std::free(boundaries->offsets);
    boundaries->offsets = nullptr;
    boundaries->count = 0;
}

extern "C" int32_t cp_sentence_break_class(int32_t codepoint) {
    switch (u_getIntPropertyValue(codepoint, UCHAR_SENTENCE_BREAK)) {
    case U_SB_CR: return CP_SENTENCE_BREAK_CR;
    case U_SB_LF: return CP_SENTENCE_BREAK_LF;
    case U_SB_SEP: return CP_SENTENCE_BREAK_SEP;
    case U_SB_SP: return CP_SENTENCE_BREAK_SP;
    case U_SB_LOWER: return CP_SENTENCE_BREAK_LOWER;
    case U_SB_UPPER: return CP_SENTENCE_BREAK_UPPER;
    case U_SB_OLETTER: return CP_SENTENCE_BREAK_OLETTER;
    case U_SB_NUMERIC: return CP_SENTENCE_BREAK_NUMERIC;
    case U_SB_ATERM: return CP_SENTENCE_BREAK_ATERM;
    case U_SB_STERM: return CP_SENTENCE_BREAK_STERM;
    case U_SB_CLOSE: return CP_SENTENCE_BREAK_CLOSE;
    case U_SB_SCONTINUE: return CP_SENTENCE_BREAK_SCONTINUE;
    case U_SB_EXTEND: return CP_SENTENCE_BREAK_EXTEND;
    case U_SB_FORMAT: return CP_SENTENCE_BREAK_FORMAT;
    default: return CP_SENTENCE_BREAK_OTHER;
    }
}

extern "C" void cp_icu_version(char *buffer, int32_t capacity) {
    UVersionInfo info;
    u_getVersion(info);
    char text[U_MAX_VERSION_STRING_LENGTH];
    u_versionToString(info, text);
    snprintf(buffer, static_cast<size_t>(capacity), "%s", text);
}
