// Private text utilities: UTF-8 checking and segmentation over UTF-8, by hand where the rules
// are simple and by ICU (via UText, so no UTF-16 copy of the input is made) for the rest. The
// only file that includes ICU is text.cpp.
#ifndef SELFTALK_SRC_TEXT_H
#define SELFTALK_SRC_TEXT_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace selftalk::detail {

#if defined(__SSE2__)
// Sixty-four bytes as four SSE2 vectors, for masks over them: bit k of a mask is byte k's.
struct Bytes64 {
  __m128i v[4];

  explicit Bytes64(const char* p) {
    for (int k = 0; k < 4; ++k) v[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
  }
  // The top bits of the bytes of the four vectors.
  static std::uint64_t mask(__m128i a, __m128i b, __m128i c, __m128i d) {
    return static_cast<std::uint64_t>(static_cast<std::uint16_t>(_mm_movemask_epi8(a))) |
           static_cast<std::uint64_t>(static_cast<std::uint16_t>(_mm_movemask_epi8(b))) << 16 |
           static_cast<std::uint64_t>(static_cast<std::uint16_t>(_mm_movemask_epi8(c))) << 32 |
           static_cast<std::uint64_t>(static_cast<std::uint16_t>(_mm_movemask_epi8(d))) << 48;
  }
  // The bytes for which f (from a vector to one of 0xFF or 0 bytes) is 0xFF.
  template <class F>
  std::uint64_t mask(F&& f) const {
    return mask(f(v[0]), f(v[1]), f(v[2]), f(v[3]));
  }
  std::uint64_t equal(char c) const {
    return mask([&](__m128i x) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(c)); });
  }
  // The number of bytes for which f is 0xFF (a sum of bytes, where std::popcount of the mask
  // would be a library call without -mpopcnt).
  template <class F>
  std::size_t count(F&& f) const {
    __m128i sum = _mm_setzero_si128();  // 0 to 4 in each byte
    for (const __m128i& x : v) sum = _mm_sub_epi8(sum, f(x));
    sum = _mm_sad_epu8(sum, _mm_setzero_si128());  // two sums of eight bytes
    return static_cast<std::size_t>(_mm_cvtsi128_si32(sum) + _mm_cvtsi128_si32(_mm_unpackhi_epi64(sum, sum)));
  }
};
#endif

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Replacement for each byte that is not part of a valid UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
inline constexpr char kSubstitute = '\x1A';

// Returns the number of invalid bytes in `text`. With `unfolded`, also appends to it the offsets
// (ascending) of the valid characters other than ASCII letters that case folding changes: a span
// of `text` between characters folds to itself (folds_to_itself) exactly when it holds none.
std::size_t count_invalid_utf8(std::string_view text, std::vector<std::size_t>* unfolded = nullptr);

// Copies `text` with every invalid byte replaced by kSubstitute (same length, same offsets).
std::string replace_invalid_utf8(std::string_view text);

// Length of the valid UTF-8 sequence starting at p[0] (1..4), or 0 if it is invalid.
std::size_t utf8_sequence_length(const unsigned char* p, std::size_t available);

// Where the last character of `text` (valid UTF-8) that ends the look-ahead of ICU's sentence
// rules starts, or npos: a letter, a sentence terminator or a paragraph separator. A sentence break
// before such a character is final whatever text follows (UAX #29 SB8 looks past anything else for
// a lower-case letter).
std::size_t last_sentence_anchor(std::string_view text);

// Shortest line Segmenter::sentences takes for a hard-wrapped paragraph line rather than a line of
// its own (a list item, a one-word line, a short text message), in bytes from the line's start:
// after the last LF (a CR alone does not start a line here).
inline constexpr std::size_t kMinWrappedLine = 40;

// Longest sentence analysed as one: a longer one (text without sentence ends, as dictation gives)
// is taken in pieces, so that a rule's exceptions and context speak for the words near a match
// rather than for kilobytes around it. Each piece ends at the white space holding the last white
// space character that starts in its first kMaxSentenceBytes bytes (with none there, at the first
// one after them); a sentence of kMaxSentenceBytes bytes or more is cut. The cuts of a sentence's
// first pieces do not depend on the text after them, so a stream may analyse them as they come.
inline constexpr std::size_t kMaxSentenceBytes = 500;

// Sentence and word segmentation with ICU for one locale. Not thread-safe; cheap to reuse.
class Segmenter {
 public:
  explicit Segmenter(const std::string& language);
  ~Segmenter();
  Segmenter(const Segmenter&) = delete;
  Segmenter& operator=(const Segmenter&) = delete;

  // Appends the sentences of `text` (valid UTF-8) to out, trimmed of surrounding white space;
  // sentences that are only white space are skipped, long ones split (kMaxSentenceBytes).
  // Offsets are bytes into `text`. Breaks are those of ICU's sentence rules; for English (UAX #29
  // without tailoring) they are applied by hand in one pass, with each character's class from
  // ICU's data.
  // `line_before`: bytes of the first line of `text` that came before it (text a stream cut
  // inside a line), so that a hard-wrapped line is measured from where it starts.
  void sentences(std::string_view text, std::vector<Span>& out, std::size_t line_before = 0);

  // The same with ICU alone (the reference the fast path is tested against).
  void sentences_icu(std::string_view text, std::vector<Span>& out);

  // Which words words() reports, by their first two bytes: bit c of sieve[b] admits a word whose
  // first byte is b and whose second is the ASCII letter 'a' + c or 'A' + c; bit kOtherSecond, a
  // word whose second byte is anything else, or that has only one.
  using WordSieve = std::array<std::uint32_t, 256>;
  static constexpr std::uint32_t kOtherSecond = 1U << 26;
  static constexpr WordSieve kEveryWord = [] {
    WordSieve every{};
    every.fill(~0U);
    return every;
  }();
  // Lets through `sieve` the words that begin as `word` does, in either case of its letters.
  static void admit(WordSieve& sieve, std::string_view word);

  // Counts the words of `text` (valid UTF-8) holding a letter or a digit, as ICU's word break
  // rules find them, and calls on_word(begin, end) for those `sieve` admits (a caller that looks
  // for a few words is then not called for every word). Runs of plain Latin text are split by a
  // hand-written equivalent of those rules; anything else goes to ICU.
  template <typename F>
  std::size_t words(std::string_view text, const WordSieve& sieve, F&& on_word) {
    using Fn = std::remove_reference_t<F>;
    Callback cb{&on_word, [](void* f, std::size_t b, std::size_t e) { (*static_cast<Fn*>(f))(b, e); }};
    return words_impl(text, sieve, cb, /*icu_only=*/false);
  }
  // Every word.
  template <typename F>
  std::size_t words(std::string_view text, F&& on_word) {
    return words(text, kEveryWord, on_word);
  }

  // The same with ICU alone (the reference the fast path is tested against).
  template <typename F>
  std::size_t words_icu(std::string_view text, F&& on_word) {
    using Fn = std::remove_reference_t<F>;
    Callback cb{&on_word, [](void* f, std::size_t b, std::size_t e) { (*static_cast<Fn*>(f))(b, e); }};
    return words_impl(text, kEveryWord, cb, /*icu_only=*/true);
  }

 private:
  struct Callback {
    void* fn;
    void (*call)(void*, std::size_t, std::size_t);
  };
  std::size_t words_impl(std::string_view text, const WordSieve& sieve, const Callback& cb, bool icu_only);
  // Appends ICU's sentence breaks inside `text` (and its end) to breaks_.
  void icu_sentence_breaks(std::string_view text);
  // Turns the breaks in breaks_ into trimmed, joined sentences (see sentences()).
  void emit_sentences(std::string_view text, std::vector<Span>& out, std::size_t line_before) const;
  void icu_words(std::string_view text, std::size_t offset, const Callback& cb);

  struct Icu;
  std::unique_ptr<Icu> icu_;
  std::vector<std::uint8_t> classes_;  // words_impl's scratch: the word class of each character
  std::vector<std::size_t> offsets_;   // ... and where it starts
  std::vector<std::size_t> breaks_;    // sentences' scratch: sentence breaks, ascending
  bool sentences_by_hand_ = false;     // the language's sentence rules are those sentence_breaks has
};

// ASCII-lowercases `in` into `out` (other bytes unchanged).
void ascii_lower(std::string_view in, std::string& out);

// Unicode simple case folding of one code point (as RE2's case-insensitive matching pairs them).
char32_t fold_case(char32_t c);

// Appends valid UTF-8 `in` case-folded to `out`, code point by code point (lengths may change).
void fold_case_utf8(std::string_view in, std::string& out);

// Whether fold_case_utf8 would change `text` (UTF-8) in nothing but ASCII letters: every other
// character folds to itself (ill-formed UTF-8 answers no).
bool folds_to_itself(std::string_view text);

}  // namespace selftalk::detail

#endif  // SELFTALK_SRC_TEXT_H
