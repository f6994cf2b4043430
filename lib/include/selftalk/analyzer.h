// Analysis of UTF-8 text into findings with exact byte spans, reframes and scores.
//
//   auto rules = selftalk::Ruleset::default_ruleset();
//   selftalk::Analyzer analyzer(*rules);
//   selftalk::Analysis a = analyzer.analyze("I always ruin everything.");
//   for (const auto& f : a.findings) { text.substr(f.begin, f.end - f.begin) ... }
//
// Analysis never fails: invalid UTF-8 is reported in Analysis::invalid_utf8_bytes and treated as
// U+001A (SUBSTITUTE) internally, one byte for one byte, so offsets always index the input.
#ifndef SELFTALK_ANALYZER_H
#define SELFTALK_ANALYZER_H

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "selftalk/category.h"
#include "selftalk/ruleset.h"

namespace selftalk {

// One reframe: a kinder sentence in the writer's own voice, and the strategy it follows.
struct Reframe {
  std::string strategy;
  std::string text;
};

// One place where the critic speaks.
struct Finding {
  std::string rule;  // rule id
  Category category = Category::kAbsolute;
  Pillar pillar = Pillar::kNone;
  Severity severity = Severity::kMedium;
  std::size_t begin = 0;  // UTF-8 byte offset of the match in the analysed text
  std::size_t end = 0;    // one past the last byte
  std::size_t line = 0;    // 1-based line of begin (LF, CRLF and lone CR end a line)
  std::size_t column = 0;  // 1-based column of begin, in code points
  std::size_t cp_begin = 0;     // begin and end counted in code points from the text's start
  std::size_t cp_end = 0;
  std::size_t utf16_begin = 0;  // begin and end counted in UTF-16 code units (JavaScript, editors)
  std::size_t utf16_end = 0;
  // Byte span of the sentence holding the match. A sentence of 500 bytes or more (text without
  // full stops, as dictation gives) is analysed in pieces of under 500 bytes cut at white space,
  // and the span is the piece's: a rule's exceptions and context then speak for nearby words.
  std::size_t sentence_begin = 0;
  std::size_t sentence_end = 0;
  std::string text;     // the matched text (valid UTF-8)
  std::string message;  // the rule's message
  // True when the words are someone else's (reported or quoted speech). Such findings are only
  // returned when AnalyzeOptions::include_reported is set.
  bool reported = false;
  std::string friend_view;         // what you might tell a friend who said this; empty for safety
  std::vector<Reframe> reframes;   // in the writer's voice; never for safety
  std::string support;             // safety only: the pack's support message
};

// Per-text scores.
struct Scores {
  std::size_t words = 0;      // ICU word-break words with letters or digits
  std::size_t sentences = 0;  // non-blank sentences (a long one's pieces counted one by one)
  std::array<std::size_t, kCategoryCount> by_category{};  // indexed by Category
  std::array<std::size_t, kPillarCount> by_pillar{};      // indexed by Pillar
  double critic_intensity = 0;  // sum of severity weights per 100 words (0 for no words)
  std::size_t absolutist_words = 0;  // words from the pack's absolutist dictionary
  double absolutist_rate = 0;        // absolutist_words / words (0 for no words)

  // Adds another text's scores: counts add up, and the rates become those of both texts taken
  // together (for batches and streams).
  void add(const Scores& other);
};

struct Analysis {
  // Safety findings first, then the rest by position (begin, then rule order).
  std::vector<Finding> findings;
  Scores scores;
  // The pack's Self-Compassion Break when the entry is dense with findings; otherwise empty.
  std::string self_compassion_break;
  std::size_t invalid_utf8_bytes = 0;

  bool has_safety() const;
};

struct AnalyzeOptions {
  // Categories to report; all by default.
  std::array<bool, kCategoryCount> categories = [] {
    std::array<bool, kCategoryCount> a{};
    a.fill(true);
    return a;
  }();
  Severity min_severity = Severity::kLow;
  bool include_reported = false;  // also return findings in someone else's voice
  bool reframes = true;           // fill friend_view and reframes
  bool all_reframes = false;      // every applicable reframe rather than two
  bool scores = true;             // compute word-based scores (costs a word-break pass)
};

// Turns text into findings. Cheap to keep, not to create: it owns ICU break iterators and
// scratch buffers. Not thread-safe: use one Analyzer per thread; all may share one Ruleset.
class Analyzer {
 public:
  // REQUIRES: rules is not null.
  explicit Analyzer(std::shared_ptr<const Ruleset> rules);
  ~Analyzer();
  Analyzer(Analyzer&&) noexcept;
  Analyzer& operator=(Analyzer&&) noexcept;

  // Analyses one text. Offsets in the result index `utf8`. Deterministic: the same text and
  // options give the same result.
  Analysis analyze(std::string_view utf8, const AnalyzeOptions& options = {});

  const Ruleset& ruleset() const;

  struct State;

 private:
  friend class StreamAnalyzer;
  // `line_before`: bytes of the first line of `utf8` that came before it (a stream's cut).
  Analysis analyze(std::string_view utf8, const AnalyzeOptions& options, std::size_t line_before);

  std::unique_ptr<State> state_;
};

}  // namespace selftalk

#endif  // SELFTALK_ANALYZER_H
