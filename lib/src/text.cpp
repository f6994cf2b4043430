#include "text.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <stdexcept>

namespace selftalk::detail {

std::size_t utf8_sequence_length(const unsigned char* p, std::size_t available) {
  const unsigned char c = p[0];
  if (c < 0x80) return 1;
  auto cont = [&](std::size_t i) { return i < available && (p[i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (available < 3 || !cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0;   // overlong
    if (c == 0xED && p[1] >= 0xA0) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (available < 4 || !cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && p[1] < 0x90) return 0;   // overlong
    if (c == 0xF4 && p[1] >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

namespace {
// The first byte of p[i, n) that is not ASCII, or n: sixteen bytes at a time, the last ones read
// as the last sixteen of p[0, n) (those before i shifted out).
std::size_t skip_ascii(const unsigned char* p, std::size_t i, std::size_t n) {
#if defined(__SSE2__)
  if (n >= 16) {
    for (; n - i >= 16; i += 16) {
      const auto m = static_cast<unsigned>(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i))));
      if (m != 0) return i + static_cast<std::size_t>(std::countr_zero(m));
    }
    if (i == n) return n;
    const std::size_t last = n - 16;
    const auto m = static_cast<unsigned>(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + last)))) >> (i - last);
    return m != 0 ? i + static_cast<std::size_t>(std::countr_zero(m)) : n;
  }
#endif
  for (; n - i >= 8; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (const std::uint64_t high = w & 0x8080808080808080ULL; high != 0)
      return i + static_cast<std::size_t>(std::endian::native == std::endian::little ? std::countr_zero(high)
                                                                                     : std::countl_zero(high)) / 8;
  }
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

// Calls on_invalid(i) for each invalid byte p[i] and on_valid(i, len) for each valid sequence
// p[i, i + len) that is not ASCII.
template <typename OnInvalid, typename OnValid>
void scan_utf8(std::string_view text, OnInvalid on_invalid, OnValid on_valid) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    i = skip_ascii(p, i, n);
    if (i >= n) break;
    std::size_t len = utf8_sequence_length(p + i, n - i);
    if (len == 0) {
      on_invalid(i);
      len = 1;
    } else {
      on_valid(i, len);
    }
    i += len;
  }
}

// Whether case folding leaves the character p[0, len) (valid UTF-8, not ASCII) as it is.
bool char_folds_to_itself(const unsigned char* p, std::size_t len) {
  // Without asking ICU: U+0080-U+00BF but µ, the lower-case Latin-1 letters and ×, the
  // punctuation U+2000-U+207F, and the pictographs U+1F000-U+1FFFF.
  if (len == 2 && ((p[0] == 0xC2 && p[1] != 0xB5) || (p[0] == 0xC3 && (p[1] >= 0x9F || p[1] == 0x97)))) return true;
  if (len == 3 && p[0] == 0xE2 && (p[1] == 0x80 || p[1] == 0x81)) return true;
  if (len == 4 && p[0] == 0xF0 && p[1] == 0x9F) return true;
  UChar32 c = 0;
  int32_t i = 0;
  U8_NEXT(p, i, static_cast<int32_t>(len), c);
  return c >= 0 && u_foldCase(c, U_FOLD_CASE_DEFAULT) == c;
}
}  // namespace

std::size_t count_invalid_utf8(std::string_view text, std::vector<std::size_t>* unfolded) {
  std::size_t count = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  if (unfolded == nullptr) {
    scan_utf8(text, [&](std::size_t) { ++count; }, [](std::size_t, std::size_t) {});
  } else {
    scan_utf8(text, [&](std::size_t) { ++count; }, [&](std::size_t i, std::size_t len) {
      if (!char_folds_to_itself(p + i, len)) unfolded->push_back(i);
    });
  }
  return count;
}

std::string replace_invalid_utf8(std::string_view text) {
  std::string out(text);
  scan_utf8(text, [&](std::size_t i) { out[i] = kSubstitute; }, [](std::size_t, std::size_t) {});
  return out;
}

void ascii_lower(std::string_view in, std::string& out) {
  out.resize(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    out[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
}

char32_t fold_case(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
  return static_cast<char32_t>(u_foldCase(static_cast<UChar32>(c), U_FOLD_CASE_DEFAULT));
}

bool folds_to_itself(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    i = skip_ascii(p, i, n);
    if (i == n) break;
    const std::size_t len = utf8_sequence_length(p + i, n - i);
    if (len == 0 || !char_folds_to_itself(p + i, len)) return false;
    i += len;
  }
  return true;
}

void fold_case_utf8(std::string_view in, std::string& out) {
  out.reserve(out.size() + in.size() + 8);
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  const auto n = static_cast<int32_t>(in.size());
  for (int32_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      int32_t end = i + 1;
      while (end < n && p[end] < 0x80) ++end;
      const std::size_t at = out.size();
      out.resize(at + static_cast<std::size_t>(end - i));
      for (char* o = out.data() + at; i < end; ++i, ++o) {
        const uint8_t c = p[i];
        *o = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      }
      continue;
    }
    UChar32 c = 0;
    U8_NEXT(p, i, n, c);
    if (c < 0) {
      out += static_cast<char>(kSubstitute);
      continue;
    }
    c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
    char buf[4];
    int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, c);
    out.append(buf, static_cast<std::size_t>(len));
  }
}

struct Segmenter::Icu {
  std::unique_ptr<icu::BreakIterator> sentence;
  std::unique_ptr<icu::BreakIterator> word;
  UText* text = nullptr;

  ~Icu() {
    if (text != nullptr) utext_close(text);
  }

  // Points `it` at `s` through a UTF-8 UText (no UTF-16 copy).
  void set(icu::BreakIterator& it, std::string_view s) {
    UErrorCode status = U_ZERO_ERROR;
    text = utext_openUTF8(text, s.data(), static_cast<int64_t>(s.size()), &status);
    if (U_SUCCESS(status)) it.setText(text, status);
    if (U_FAILURE(status)) throw std::runtime_error(u_errorName(status));
  }
};

Segmenter::Segmenter(const std::string& language) : icu_(std::make_unique<Icu>()) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale(language.c_str());
  // ICU splits English sentences by the untailored rules of UAX #29, which sentence_breaks
  // follows; another language may have its own tailoring, so ICU splits it.
  sentences_by_hand_ = std::string_view(locale.getLanguage()) == "en";
  icu_->sentence.reset(icu::BreakIterator::createSentenceInstance(locale, status));
  icu_->word.reset(icu::BreakIterator::createWordInstance(locale, status));
  if (U_FAILURE(status) || !icu_->sentence || !icu_->word)
    throw std::runtime_error(std::string("ICU break iterator: ") + u_errorName(status));
}

Segmenter::~Segmenter() = default;

namespace {
bool is_space_at(std::string_view s, std::size_t i, std::size_t* len) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
    *len = 1;
    return true;
  }
  // U+00A0 NBSP, U+2028/2029 separators, U+3000, U+FEFF (BOM), U+200B.
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
    *len = 2;
    return true;
  }
  if (i + 2 < s.size()) {
    std::string_view t = s.substr(i, 3);
    if (t == "\u2028" || t == "\u2029" || t == "\u3000" || t == "\uFEFF" || t == "\u200B") {
      *len = 3;
      return true;
    }
  }
  return false;
}
// Length of the white space character that ends `s`, or 0.
std::size_t trailing_space_length(std::string_view s) {
  if (s.empty()) return 0;
  const auto last = static_cast<unsigned char>(s.back());
  if (last < 0x80) return last == ' ' || (last >= '\t' && last <= '\r') ? 1 : 0;  // the rest end in 10xxxxxx
  for (std::size_t len = 2; len <= 3 && len <= s.size(); ++len) {
    std::size_t n = 0;
    if (is_space_at(s, s.size() - len, &n) && n == len) return len;
  }
  return 0;
}
// True when the sentence `prev` ends at a single line break inside a paragraph and the next one,
// starting at `next`, continues it in lower case.
bool soft_wrapped(std::string_view text, Span prev, std::size_t next, std::size_t line_before) {
  const unsigned char last = static_cast<unsigned char>(text[prev.end - 1]);
  if (last == '.' || last == '!' || last == '?' || last == ':' || last == ';') return false;
  const std::size_t lf = text.rfind('\n', prev.end - 1);
  const std::size_t line = lf == std::string_view::npos ? line_before + prev.end : prev.end - lf - 1;
  if (line < kMinWrappedLine) return false;
  std::size_t newlines = 0;
  for (std::size_t i = prev.end; i < next; ++i) newlines += text[i] == '\n' ? 1 : 0;
  const unsigned char first = static_cast<unsigned char>(text[next]);
  return newlines == 1 && first >= 'a' && first <= 'z';
}
}  // namespace

namespace {

// Sentence break classes (Unicode UAX #29), as ICU's data gives them.
enum SentenceClass : std::uint8_t {
  kOther, kCR, kLF, kSep, kSp, kLower, kUpper, kOLetter, kNumeric, kATerm, kSTerm, kClose, kSContinue, kExtend,
  kFormat
};

SentenceClass sentence_class_of(UChar32 c) {
  switch (u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK)) {
    case U_SB_CR: return kCR;
    case U_SB_LF: return kLF;
    case U_SB_SEP: return kSep;
    case U_SB_SP: return kSp;
    case U_SB_LOWER: return kLower;
    case U_SB_UPPER: return kUpper;
    case U_SB_OLETTER: return kOLetter;
    case U_SB_NUMERIC: return kNumeric;
    case U_SB_ATERM: return kATerm;
    case U_SB_STERM: return kSTerm;
    case U_SB_CLOSE: return kClose;
    case U_SB_SCONTINUE: return kSContinue;
    case U_SB_EXTEND: return kExtend;
    case U_SB_FORMAT: return kFormat;
    default: return kOther;
  }
}

const std::array<SentenceClass, 128>& ascii_sentence_classes() {
  static const std::array<SentenceClass, 128> table = [] {
    std::array<SentenceClass, 128> t{};
    for (UChar32 c = 0; c < 128; ++c) t[static_cast<std::size_t>(c)] = sentence_class_of(c);
    return t;
  }();
  return table;
}

// The classes of U+0000-U+07FF (two bytes in UTF-8) and of U+2000-U+207F (E2 80 xx and E2 81 xx:
// general punctuation, ’ “ ” — …), as ICU's data gives them: the non-ASCII characters most
// journals hold, each looked up without decoding it.
struct CommonSentenceClasses {
  std::array<SentenceClass, 0x800> two{};
  std::array<SentenceClass, 0x80> punctuation{};
};
const CommonSentenceClasses& common_sentence_classes() {
  static const CommonSentenceClasses table = [] {
    CommonSentenceClasses t;
    for (UChar32 c = 0; c < 0x800; ++c) t.two[static_cast<std::size_t>(c)] = sentence_class_of(c);
    for (UChar32 c = 0; c < 0x80; ++c) t.punctuation[static_cast<std::size_t>(c)] = sentence_class_of(0x2000 + c);
    return t;
  }();
  return table;
}

// The characters of a text with their sentence break classes, one at a time.
class SentenceChars {
 public:
  explicit SentenceChars(std::string_view text) : text_(text) {}
  bool done(std::size_t i) const { return i >= text_.size(); }
  // The class of the character at byte i; *next is where the following one starts.
  SentenceClass at(std::size_t i, std::size_t* next) const {
    const auto c = static_cast<unsigned char>(text_[i]);
    if (c < 0x80) {
      *next = i + 1;
      return ascii_[c];
    }
    auto tail = [&](std::size_t k) { return k < text_.size() && (static_cast<unsigned char>(text_[k]) & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF && tail(i + 1)) {
      *next = i + 2;
      return common_.two[(c & 0x1Fu) << 6 | (static_cast<unsigned char>(text_[i + 1]) & 0x3Fu)];
    }
    if (c == 0xE2 && i + 2 < text_.size() && (static_cast<unsigned char>(text_[i + 1]) & 0xFE) == 0x80 && tail(i + 2)) {
      *next = i + 3;
      return common_.punctuation[(static_cast<unsigned char>(text_[i + 1]) & 1u) << 6 | (static_cast<unsigned char>(text_[i + 2]) & 0x3Fu)];
    }
    const auto* p = reinterpret_cast<const std::uint8_t*>(text_.data());
    const auto n = static_cast<std::int32_t>(text_.size());
    auto k = static_cast<std::int32_t>(i);
    UChar32 cp = 0;
    U8_NEXT(p, k, n, cp);
    *next = static_cast<std::size_t>(k);
    return cp < 0 ? kOther : sentence_class_of(cp);
  }

 private:
  std::string_view text_;
  const std::array<SentenceClass, 128>& ascii_ = ascii_sentence_classes();
  const CommonSentenceClasses& common_ = common_sentence_classes();
};

bool para_sep(SentenceClass k) { return k == kSep || k == kCR || k == kLF; }
bool sa_term(SentenceClass k) { return k == kATerm || k == kSTerm; }
// Where SB8's look-ahead for a lower-case letter stops: no rule looks past these.
bool ends_look_ahead(SentenceClass k) {
  return k == kOLetter || k == kUpper || k == kLower || para_sep(k) || sa_term(k);
}

// Bytes that are a whole ASCII character of a class no rule acts on unless a terminator came
// before it: neither a terminator nor a paragraph separator (nor Extend or Format, which no
// ASCII character is).
const std::array<bool, 256>& quiet_bytes() {
  static const std::array<bool, 256> table = [] {
    std::array<bool, 256> t{};
    const auto& ascii = ascii_sentence_classes();
    for (std::size_t c = 0; c < 128; ++c)
      t[c] = !sa_term(ascii[c]) && !para_sep(ascii[c]) && ascii[c] != kExtend && ascii[c] != kFormat;
    return t;
  }();
  return table;
}

#if defined(__SSE2__)
// Whether the ASCII bytes quiet_bytes() leaves out are exactly those quiet_blocks() looks for (so
// ICU's data says), and it may be used.
bool loud_ascii_known() {
  static const bool known = [] {
    const std::array<bool, 256>& quiet = quiet_bytes();
    for (std::size_t c = 0; c < 128; ++c)
      if (quiet[c] != (c != '\n' && c != '\r' && c != '!' && c != '.' && c != '?')) return false;
    return true;
  }();
  return known;
}

// The first byte from i on, of the whole 16-byte blocks of p[i, n), that is not quiet (not ASCII,
// or LF, CR, '!', '.', '?'), or where the last whole block ends.
std::size_t quiet_blocks(const unsigned char* p, std::size_t i, std::size_t n) {
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), bang = _mm_set1_epi8('!'), stop = _mm_set1_epi8('.'),
                ask = _mm_set1_epi8('?');
  for (; n - i >= 16; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i loud = _mm_or_si128(_mm_or_si128(_mm_or_si128(v, _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, cr)),
                                      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, bang), _mm_cmpeq_epi8(v, stop)),
                                                   _mm_cmpeq_epi8(v, ask)));
    if (const auto m = static_cast<unsigned>(_mm_movemask_epi8(loud)); m != 0)
      return i + static_cast<std::size_t>(std::countr_zero(m));
  }
  return i;
}
#endif

// Appends the sentence breaks of `text` after its start, and its end: the rules of UAX #29
// (SB3-SB11, with SB5's Extend and Format characters taken with the one before), in one forward
// pass.
void sentence_breaks(std::string_view text, std::vector<std::size_t>& breaks) {
  const SentenceChars chars(text);
  if (text.empty()) return;
  std::size_t i = 0;
  SentenceClass a = chars.at(0, &i);  // the last character not taken with the one before it
  SentenceClass before_a = kOther;    // ... and the one before that (SB7)
  // The left context "SATerm Close* Sp*" of the current position, if it holds.
  bool after_term = false, term_is_aterm = false, spaces = false;
  SentenceClass before_term = kOther;
  // SB8's look-ahead: from any position in [ahead_from, ahead_to], the first character that is
  // not skipped starts at ahead_to; ahead_lower says whether it is Lower.
  std::size_t ahead_from = 1, ahead_to = 0;
  bool ahead_lower = false;
  auto update_context = [&](SentenceClass c, SentenceClass before) {
    if (sa_term(c)) {
      after_term = true;
      term_is_aterm = c == kATerm;
      spaces = false;
      before_term = before;
    } else if (after_term && c == kClose && !spaces) {
    } else if (after_term && c == kSp) {
      spaces = true;
    } else {
      after_term = false;
    }
  };
  auto lower_ahead = [&](std::size_t from) {  // SB8
    if (from < ahead_from || from > ahead_to) {
      std::size_t j = from, next = 0;
      SentenceClass k = kOther;
      while (!chars.done(j)) {
        k = chars.at(j, &next);
        if (ends_look_ahead(k)) break;
        j = next;
      }
      ahead_from = from;
      ahead_to = j;
      ahead_lower = !chars.done(j) && k == kLower;
    }
    return ahead_lower;
  };
  update_context(a, kOther);
  const std::array<bool, 256>& quiet = quiet_bytes();
#if defined(__SSE2__)
  const bool blocks = loud_ascii_known();
#endif
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const auto& ascii = ascii_sentence_classes();
  while (!chars.done(i)) {
    if (!after_term && !para_sep(a)) {
      // Until a terminator or a paragraph separator nothing splits and nothing is remembered
      // but the last class (before_a is read only as a terminator is taken): a run of quiet
      // bytes leaves its last byte's class.
      std::size_t j = i;
#if defined(__SSE2__)
      if (blocks) j = quiet_blocks(bytes, j, text.size());
#endif
      while (j < text.size() && quiet[bytes[j]]) ++j;
      if (j > i) {
        a = ascii[bytes[j - 1]];
        i = j;
        continue;
      }
    }
    // The commonest ends of a sentence, taken without the rules below: a terminator at a line's
    // end has no break before the LF (SB9; the one after it is SB4's, which the rules then take);
    // a terminator, spaces and a capital have SB11's break before the capital (SB6 and SB7 need
    // no space after the terminator, SB8 a lower-case letter before any capital), and nothing
    // is remembered past the capital but its class.
    if (!after_term && !para_sep(a) && i + 1 < text.size() && (bytes[i] == '.' || bytes[i] == '!' || bytes[i] == '?')) {
      if (bytes[i + 1] == '\n') {
        a = kLF;
        i += 2;
        continue;
      }
      std::size_t k = i + 1;
      while (k < text.size() && bytes[k] == ' ') ++k;
      if (k > i + 1 && k < text.size() && bytes[k] >= 'A' && bytes[k] <= 'Z') {
        breaks.push_back(k);
        a = kUpper;
        i = k + 1;
        continue;
      }
    }
    std::size_t next = 0;
    const SentenceClass b = chars.at(i, &next);
    if ((b == kExtend || b == kFormat) && !para_sep(a)) {  // SB5
      i = next;
      continue;
    }
    bool split = false;
    if (a == kCR && b == kLF) split = false;  // SB3
    else if (para_sep(a)) split = true;       // SB4
    else if (after_term) {
      const bool right_after = sa_term(a);
      if (right_after && a == kATerm && b == kNumeric) split = false;  // SB6
      else if (right_after && a == kATerm && (before_term == kUpper || before_term == kLower) && b == kUpper)
        split = false;  // SB7
      else if (term_is_aterm && lower_ahead(i)) split = false;                      // SB8
      else if (b == kSContinue || sa_term(b)) split = false;                        // SB8a
      else if (!spaces && (b == kClose || b == kSp || para_sep(b))) split = false;  // SB9
      else if (b == kSp || para_sep(b)) split = false;                              // SB10
      else split = true;                                                            // SB11
    }
    if (split) breaks.push_back(i);
    before_a = a;
    a = b;
    update_context(a, before_a);
    i = next;
  }
  breaks.push_back(text.size());
}

}  // namespace

std::size_t last_sentence_anchor(std::string_view text) {
  const SentenceChars chars(text);
  for (std::size_t end = text.size(); end > 0;) {
    std::size_t i = end - 1;
    while (i > 0 && end - i < 4 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
    end = i;
    std::size_t next = 0;
    if (ends_look_ahead(chars.at(i, &next))) return i;
  }
  return std::string_view::npos;
}

void Segmenter::icu_sentence_breaks(std::string_view text) {
  if (text.empty()) return;
  icu::BreakIterator& it = *icu_->sentence;
  icu_->set(it, text);
  it.first();
  for (int32_t b = it.next(); b != icu::BreakIterator::DONE; b = it.next())
    breaks_.push_back(static_cast<std::size_t>(b));
}

void Segmenter::sentences(std::string_view text, std::vector<Span>& out, std::size_t line_before) {
  breaks_.clear();
  if (sentences_by_hand_) sentence_breaks(text, breaks_);
  else icu_sentence_breaks(text);
  emit_sentences(text, out, line_before);
}

void Segmenter::sentences_icu(std::string_view text, std::vector<Span>& out) {
  breaks_.clear();
  icu_sentence_breaks(text);
  emit_sentences(text, out, 0);
}

namespace {

// Where the run of white space holding the character at `at` begins and ends, within [from, to).
Span space_run(std::string_view text, std::size_t from, std::size_t at, std::size_t to) {
  Span run{at, at};
  std::size_t len = 0;
  while (run.end < to && is_space_at(text, run.end, &len)) run.end += len;
  while (run.begin > from) {
    const std::size_t tail = trailing_space_length(text.substr(from, run.begin - from));
    if (tail == 0) break;
    run.begin -= tail;
  }
  return run;
}

// The white space run that ends the piece of `s` starting at `p` (see kMaxSentenceBytes), or an
// empty span when the piece runs to the sentence's end.
Span piece_end(std::string_view text, Span s, std::size_t p) {
  if (s.end - p < kMaxSentenceBytes) return {};
  std::size_t len = 0;
  for (std::size_t i = p + kMaxSentenceBytes; i-- > p + 1;)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && is_space_at(text, i, &len))
      return space_run(text, p, i, s.end);
  for (std::size_t i = p + kMaxSentenceBytes; i < s.end; ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && is_space_at(text, i, &len))
      return space_run(text, p, i, s.end);
  return {};
}

// Splits the spans of out[first..] that are too long into pieces (see kMaxSentenceBytes).
void split_long_sentences(std::string_view text, std::vector<Span>& out, std::size_t first) {
  auto long_one = [](const Span& s) { return s.end - s.begin >= kMaxSentenceBytes; };
  if (std::none_of(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(), long_one)) return;
  const std::vector<Span> whole(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
  out.resize(first);
  for (const Span& s : whole) {
    std::size_t p = s.begin;
    for (Span cut = piece_end(text, s, p); cut.end > cut.begin; cut = piece_end(text, s, p)) {
      out.push_back({p, cut.begin});
      p = cut.end;
    }
    out.push_back({p, s.end});
  }
}

}  // namespace

void Segmenter::emit_sentences(std::string_view text, std::vector<Span>& out, std::size_t line_before) const {
  const std::size_t first = out.size();
  std::size_t begin = 0;
  for (std::size_t end : breaks_) {
    std::size_t s = begin, e = end, len = 0;
    while (s < e && is_space_at(text, s, &len)) s += len;
    while (e > s) {
      std::size_t tail = trailing_space_length(text.substr(s, e - s));
      if (tail == 0) break;
      e -= tail;
    }
    if (s < e) {
      // A hard-wrapped line ("...and now I\ncan't stop replaying it.") is one sentence: a break
      // at a bare line end, with no closing punctuation before it and a lower-case letter after,
      // joins the two pieces.
      if (!out.empty() && soft_wrapped(text, out.back(), s, line_before)) out.back().end = e;
      else out.push_back({s, e});
    }
    begin = end;
  }
  split_long_sentences(text, out, first);
}

void Segmenter::icu_words(std::string_view text, std::size_t offset, const Callback& cb) {
  if (text.empty()) return;
  icu::BreakIterator& it = *icu_->word;
  icu_->set(it, text);
  int32_t begin = it.first();
  for (int32_t end = it.next(); end != icu::BreakIterator::DONE; begin = end, end = it.next()) {
    if (it.getRuleStatus() >= UBRK_WORD_NUMBER)
      cb.call(cb.fn, offset + static_cast<std::size_t>(begin), offset + static_cast<std::size_t>(end));
  }
}

namespace {

// Word break classes (Unicode UAX #29) of the characters the fast path handles.
enum class WordClass : std::uint8_t { kOther, kLetter, kNumber, kMidNumLet, kMidNum, kExtendNumLet };

// The class of the character at s[i] and its length; 0 when the fast path does not know it.
std::size_t word_class(std::string_view s, std::size_t i, WordClass* cls) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    // ICU's word rules count '@' among the letters (e-mail addresses), as UAX #29 does not.
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@') *cls = WordClass::kLetter;
    else if (c >= '0' && c <= '9') *cls = WordClass::kNumber;
    else if (c == '.' || c == '\'') *cls = WordClass::kMidNumLet;
    else if (c == ',' || c == ';') *cls = WordClass::kMidNum;
    else if (c == '_') *cls = WordClass::kExtendNumLet;
    else if (c == ':' || c < 0x20 || c == 0x7F) return 0;  // MidLetter in some ICU versions; controls
    else *cls = WordClass::kOther;
    return 1;
  }
  if (i + 1 >= s.size()) return 0;
  const auto d = static_cast<unsigned char>(s[i + 1]);
  // U+00C0-U+024F (Latin-1 letters and Latin Extended-A/B), except × and ÷.
  if ((c == 0xC3 && d != 0x97 && d != 0xB7) || (c >= 0xC4 && c <= 0xC8) || (c == 0xC9 && d <= 0x8F)) {
    *cls = WordClass::kLetter;
    return 2;
  }
  if (c == 0xE2 && i + 2 < s.size() && d == 0x80) {
    const auto e = static_cast<unsigned char>(s[i + 2]);
    if (e == 0x99) *cls = WordClass::kMidNumLet;  // ’ U+2019
    else if (e == 0x9C || e == 0x9D || e == 0x93 || e == 0x94 || e == 0xA6) *cls = WordClass::kOther;  // “ ” – — …
    else return 0;
    return 3;
  }
  // € U+20AC, and the symbols and dingbats U+2600-U+27BF (☕ ✨): Other.
  if (c == 0xE2 && i + 2 < s.size() &&
      ((d == 0x82 && static_cast<unsigned char>(s[i + 2]) == 0xAC) || (d >= 0x98 && d <= 0x9E))) {
    *cls = WordClass::kOther;
    return 3;
  }
  // Pictographs U+1F300-U+1F3FA and U+1F400-U+1FAFF (emoji without their modifiers U+1F3FB-U+1F3FF,
  // which are Extend): Other.
  if (c == 0xF0 && d == 0x9F && i + 3 < s.size()) {
    const char32_t cp = 0x1F000 | (static_cast<char32_t>(static_cast<unsigned char>(s[i + 2]) & 0x3F) << 6) |
                        (static_cast<unsigned char>(s[i + 3]) & 0x3F);
    if ((cp >= 0x1F300 && cp <= 0x1F3FA) || (cp >= 0x1F400 && cp <= 0x1FAFF)) {
      *cls = WordClass::kOther;
      return 4;
    }
  }
  return 0;
}

// What the word fast lane asks of a byte, one table lookup each.
enum : std::uint8_t { kSpaceByte = 1, kLetterByte = 2, kEndsWordByte = 4, kWordishByte = 8 };
constexpr std::array<std::uint8_t, 256> kByteKinds = [] {
  std::array<std::uint8_t, 256> t{};
  for (unsigned char c : std::string_view(" \n\t\r\f\v")) t[c] |= kSpaceByte;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] |= kLetterByte;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] |= kLetterByte;
  // Marks that end a word when they end a run: Other (WB999) or Mid* with nothing after them.
  for (unsigned char c : std::string_view(".,;:!?)\"")) t[c] |= kEndsWordByte;
  // Bytes that may belong to a word: ASCII letters and '@' (a letter to ICU), digits, '_'
  // (ExtendNumLet), anything not ASCII.
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] |= kWordishByte;
  for (int c = 0; c < 256; ++c)
    if ((t[static_cast<std::size_t>(c)] & kLetterByte) != 0 || c == '@' || c == '_' || c >= 0x80)
      t[static_cast<std::size_t>(c)] |= kWordishByte;
  return t;
}();
bool byte_is(char c, std::uint8_t kind) { return (kByteKinds[static_cast<unsigned char>(c)] & kind) != 0; }
bool is_ascii_letter(char c) { return byte_is(c, kLetterByte); }
bool ends_word(char c) { return byte_is(c, kEndsWordByte); }
bool is_ascii_space(char c) { return byte_is(c, kSpaceByte); }

// The length of the apostrophe (' or ’, U+2019) at text[i] when an ASCII letter follows it, else 0.
std::size_t apostrophe_before_letter(std::string_view text, std::size_t i) {
  std::size_t len = 0;
  if (i < text.size() && text[i] == '\'') len = 1;
  else if (text.substr(i, 3) == "\u2019") len = 3;
  return len > 0 && i + len < text.size() && is_ascii_letter(text[i + len]) ? len : 0;
}

// The bit of a WordSieve entry for a word whose second byte is c ('\0': none).
constexpr std::uint32_t second_bit(char c) {
  const auto lower = static_cast<unsigned char>(c | 0x20);
  return lower >= 'a' && lower <= 'z' ? 1U << (lower - 'a') : Segmenter::kOtherSecond;
}
// The same for every byte, for the plain lane.
constexpr std::array<std::uint32_t, 256> kSecondBits = [] {
  std::array<std::uint32_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[static_cast<std::size_t>(c)] = second_bit(static_cast<char>(c));
  return t;
}();

#if defined(__SSE2__)
// The plain lane of words_impl reads 64 bytes at p (p[-1], when there is one, is white space)
// as masks, bit k for p[k]: the bytes of words, ASCII white space, and what the lane does not
// take. Letters (ASCII, and U+00C0-U+00FF but × and ÷) and digits join each other (WB5, WB8-10);
// an apostrophe (' or ’) or a full stop joins two letters (WB6, WB7), and these or ',' ';' two
// digits (WB11, WB12). Every other ASCII mark, “ ” – — … €, and the symbols U+2600-U+27BF are
// Other (WB999) and only separate words. Not taken: '_' and '@' (they join in other ways), ':'
// between letters (MidLetter in some ICU versions), controls, and any other non-ASCII character.
struct PlainMasks {
  std::uint64_t word, space, bad;
};

// Bytes of v in [lo, lo + n), unsigned: 0xFF each, else 0.
[[gnu::always_inline]] inline __m128i in_range(__m128i v, unsigned char lo, unsigned char n) {
  const __m128i t = _mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(lo))), _mm_set1_epi8(static_cast<char>(0x80)));
  return _mm_cmplt_epi8(t, _mm_set1_epi8(static_cast<char>(n ^ 0x80)));
}
[[gnu::always_inline]] inline __m128i equal(__m128i v, unsigned char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(c))); }
[[gnu::always_inline]] inline __m128i either(__m128i a, __m128i b) { return _mm_or_si128(a, b); }

[[gnu::always_inline]] inline PlainMasks plain_masks(const char* p) {
  const Bytes64 b(p);
  std::uint64_t letters = b.mask([](__m128i x) { return in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 26); });
  const std::uint64_t digits = b.mask([](__m128i x) { return in_range(x, '0', 10); });
  const std::uint64_t spaces = b.mask([](__m128i x) { return either(equal(x, ' '), in_range(x, '\t', 5)); });  // \t-\r
  const std::uint64_t quote = b.equal('\''), stop = b.equal('.');
  const std::uint64_t mid_num = b.mask([](__m128i x) { return either(equal(x, ','), equal(x, ';')); });
  // Signed, below 0x20: controls and every non-ASCII byte; '@', '_', DEL.
  std::uint64_t bads = b.mask([](__m128i x) {
    return either(either(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)), equal(x, '@')), either(equal(x, '_'), equal(x, 0x7F)));
  }) & ~spaces;
  std::uint64_t apostrophe = 0;  // where a ’ starts
  if (b.mask(b.v[0], b.v[1], b.v[2], b.v[3]) != 0) {  // a byte that is not ASCII
    // The bytes after a lead are read only below the last white space of the 64, so within them.
    const std::uint64_t tails = b.mask([](__m128i x) { return _mm_cmplt_epi8(x, _mm_set1_epi8(-64)); });  // 10xxxxxx
    if (const std::uint64_t c3 = b.equal('\xC3'); c3 != 0) {
      // À-ÿ but × (C3 97) and ÷ (C3 B7).
      const std::uint64_t latin = c3 & (tails & ~b.equal('\x97') & ~b.equal('\xB7')) >> 1;
      letters |= latin | latin << 1;
      bads &= ~(latin | latin << 1);
    }
    if (const std::uint64_t e2 = b.equal('\xE2'); e2 != 0) {
      // E2 80 xx: ’ (99), and “ ” – — … (9C 9D 93 94 A6); € (E2 82 AC); U+2600-U+27BF (E2 98-9E xx).
      const std::uint64_t x80 = b.equal('\x80');
      apostrophe = e2 & x80 >> 1 & b.equal('\x99') >> 2;
      const std::uint64_t other = b.mask([](__m128i x) {
        return either(either(equal(x, 0x9C), equal(x, 0x9D)), either(either(equal(x, 0x93), equal(x, 0x94)), equal(x, 0xA6)));
      });
      const std::uint64_t symbols = b.mask([](__m128i x) { return in_range(x, 0x98, 7); });
      const std::uint64_t known = apostrophe | (e2 & x80 >> 1 & other >> 2) |
                                  (e2 & b.equal('\x82') >> 1 & b.equal('\xAC') >> 2) | (e2 & symbols >> 1);
      bads &= ~(known | known << 1 | known << 2);
    }
  }
  // ':' between letters: MidLetter to some ICU versions (elsewhere Other).
  bads |= b.equal(':') & letters << 1 & letters >> 1;
  const std::uint64_t between_letters = letters << 1 & letters >> 1, between_digits = digits << 1 & digits >> 1;
  const std::uint64_t joins = ((quote | stop) & between_letters) | ((quote | stop | mid_num) & between_digits);
  const std::uint64_t curly = apostrophe & ((letters << 1 & letters >> 3) | (digits << 1 & digits >> 3));
  return {letters | digits | joins | curly | curly << 1 | curly << 2, spaces, bads};
}
#endif

}  // namespace

void Segmenter::admit(WordSieve& sieve, std::string_view word) {
  if (word.empty()) return;
  const std::uint32_t second = second_bit(word.size() > 1 ? word[1] : '\0');
  const auto first = static_cast<unsigned char>(word[0]);
  sieve[first] |= second;
  if (is_ascii_letter(word[0])) sieve[first ^ 0x20U] |= second;  // the other case
}

std::size_t Segmenter::words_impl(std::string_view text, const WordSieve& sieve, const Callback& on_word,
                                  bool icu_only) {
  std::size_t count = 0;
  auto word = [&](std::size_t b, std::size_t e) {
    ++count;
    if ((sieve[static_cast<unsigned char>(text[b])] & second_bit(e - b > 1 ? text[b + 1] : '\0')) != 0)
      on_word.call(on_word.fn, b, e);
  };
  // For the rules' and ICU's words, through a Callback.
  const Callback cb{&word, [](void* f, std::size_t b, std::size_t e) { (*static_cast<decltype(word)*>(f))(b, e); }};
  if (icu_only) {
    icu_words(text, 0, cb);
    return count;
  }
  // ASCII white space separates words, so each run between spaces is segmented alone: by the
  // rules below when every character is one they know, else by ICU (from the space before it,
  // which a ZWJ, Extend or Format character at the run's start would join).
  std::vector<std::uint8_t>& cls = classes_;
  std::vector<std::size_t>& at = offsets_;
  std::size_t spaces = 0;  // where the white space before text[i] begins
#if defined(__SSE2__)
  std::size_t plain_from = 0;  // the plain lane is not tried before this byte
#endif
  for (std::size_t i = 0; i < text.size();) {
#if defined(__SSE2__)
    // The plain lane (plain_masks): the runs of the next 64 bytes that end before the first byte
    // it does not take are split with masks; the run with that byte goes to the rules below.
    if (i >= plain_from && text.size() - i >= 64 && (i == 0 || is_ascii_space(text[i - 1]))) {
      const PlainMasks m = plain_masks(text.data() + i);
      const int bad = m.bad == 0 ? 64 : std::countr_zero(m.bad);
      const std::uint64_t before_bad = bad == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bad) - 1;
      const std::uint64_t spaces_before = m.space & before_bad;
      if (spaces_before == 0) {
        plain_from = i + 64;  // not before the next 64 bytes: text the lane does not take comes in stretches
      } else {
        if (bad < 64) plain_from = i + static_cast<std::size_t>(bad) + 1;
        const int last = 63 - std::countl_zero(spaces_before);  // white space: every run before it ends
        const std::uint64_t taken = (std::uint64_t{1} << last) - 1;
        const std::uint64_t starts = m.word & ~(m.word << 1) & taken;
        count += static_cast<std::size_t>(std::popcount(starts));
        for (std::uint64_t b = starts; b != 0; b &= b - 1) {
          const int k = std::countr_zero(b);  // below 63: `last` follows
          const auto* w = reinterpret_cast<const unsigned char*>(text.data() + i) + k;
          const std::uint32_t second = (m.word >> (k + 1) & 1) != 0 ? kSecondBits[w[1]] : kOtherSecond;
          if ((sieve[w[0]] & second) != 0)
            on_word.call(on_word.fn, i + static_cast<std::size_t>(k), i + static_cast<std::size_t>(k + std::countr_one(m.word >> k)));
        }
        // Where the white space that `last` ends begins.
        const std::uint64_t not_space = ~m.space & taken;
        if (not_space != 0) spaces = i + static_cast<std::size_t>(64 - std::countl_zero(not_space));
        i += static_cast<std::size_t>(last) + 1;
        continue;
      }
    }
#endif
    if (is_ascii_space(text[i])) {
      if (i == 0 || !is_ascii_space(text[i - 1])) spaces = i;
      ++i;
      continue;
    }
    if (i == 0 || !is_ascii_space(text[i - 1])) spaces = i;
    // Most runs are ASCII letters, perhaps with one mark after them that cannot join anything
    // (nothing follows it in the run): one word, whatever the rules below would add.
    std::size_t letters = i;
    while (letters < text.size() && is_ascii_letter(text[letters])) ++letters;
    // An apostrophe between letters joins them (WB6, WB7): "don't", "I’m", "rock'n'roll".
    for (std::size_t len; letters > i && (len = apostrophe_before_letter(text, letters)) > 0;) {
      letters += len;
      while (letters < text.size() && is_ascii_letter(text[letters])) ++letters;
    }
    if (letters > i) {
      std::size_t after = letters;
      if (after < text.size() && ends_word(text[after])) ++after;
      if (after == text.size() || is_ascii_space(text[after])) {
        word(i, letters);
        i = after;
        continue;
      }
    }
    std::size_t end = letters;
    bool may_hold_word = false;
    for (; end < text.size() && !is_ascii_space(text[end]); ++end) may_hold_word |= byte_is(text[end], kWordishByte);
    if (!may_hold_word && letters == i) {  // ASCII marks alone ("-", "...", "#"): no word
      i = end;
      continue;
    }
    cls.clear();
    at.clear();
    bool known = true;
    for (std::size_t k = i; k < end;) {
      WordClass c{};
      const std::size_t len = word_class(text, k, &c);
      if (len == 0 || k + len > end) {
        known = false;
        break;
      }
      cls.push_back(static_cast<std::uint8_t>(c));
      at.push_back(k);
      k += len;
    }
    if (!known) {
      // From the white space before it: a ZWJ, Extend or Format character joins the space (WB4).
      icu_words(text.substr(spaces, end - spaces), spaces, cb);
      i = end;
      continue;
    }
    at.push_back(end);
    // WB5-WB13b for these classes: letters and numbers join; a MidNumLet joins letters to letters
    // and numbers to numbers, a MidNum numbers to numbers; '_' joins to either side.
    auto wordish = [](WordClass c) { return c == WordClass::kLetter || c == WordClass::kNumber; };
    auto class_at = [&](std::size_t k) { return static_cast<WordClass>(cls[k]); };
    const std::size_t n = cls.size();
    for (std::size_t k = 0; k < n;) {
      const WordClass c = class_at(k);
      if (!wordish(c) && c != WordClass::kExtendNumLet) {
        ++k;
        continue;
      }
      std::size_t j = k + 1;
      bool has_word = wordish(c);
      while (j < n) {
        const WordClass prev = class_at(j - 1), cur = class_at(j);
        if ((wordish(prev) || prev == WordClass::kExtendNumLet) && (wordish(cur) || cur == WordClass::kExtendNumLet)) {
          has_word |= wordish(cur);
          ++j;
          continue;
        }
        const bool mid_letter = cur == WordClass::kMidNumLet && prev == WordClass::kLetter && j + 1 < n &&
                                class_at(j + 1) == WordClass::kLetter;
        const bool mid_number = (cur == WordClass::kMidNumLet || cur == WordClass::kMidNum) &&
                                prev == WordClass::kNumber && j + 1 < n && class_at(j + 1) == WordClass::kNumber;
        if (mid_letter || mid_number) {
          j += 2;
          continue;
        }
        break;
      }
      if (has_word || j - k >= 2) word(at[k], at[j]);  // ICU counts "__" but not "_"
      k = j;
    }
    i = end;
  }
  return count;
}

}  // namespace selftalk::detail
