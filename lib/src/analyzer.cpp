// The analysis pipeline: sentences (UAX #29) -> literal prefilter for each -> each candidate
// pattern over its sentences (RE2) -> per sentence: context checks -> de-duplication -> reframes;
// then scores.
#include "selftalk/analyzer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

#include "context.h"
#include "reframe.h"
#include "ruleset_impl.h"
#include "search.h"
#include "text.h"

namespace selftalk {
namespace {


struct Candidate {
  std::size_t rule = 0;
  std::size_t pattern = 0;
  std::size_t begin = 0;  // within the sentence
  std::size_t end = 0;
  bool reported = false;
  bool excepted = false;  // the rule's exceptions match in the sentence
};

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// Walks the text forward once, turning byte offsets into line, column, code point and UTF-16
// positions. Queries must not go backwards.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : t_(text) {}

  void advance(std::size_t target) {
#if defined(__SSE2__)
    while (target - pos_ >= 64) block64();
#endif
    while (pos_ < target) {
      // Eight bytes at once while they hold no line break.
      if (pos_ + 8 <= target) {
        const std::uint64_t x = load8(pos_);
        if (!has_byte(x, '\n') && !has_byte(x, '\r')) {
          const Counts c = counts(x);
          column_ += c.code_points;
          cp_ += c.code_points;
          utf16_ += c.units;
          pos_ += 8;
          continue;
        }
      }
      const unsigned char c = static_cast<unsigned char>(t_[pos_]);
      if (c == '\n' || (c == '\r' && (pos_ + 1 == t_.size() || t_[pos_ + 1] != '\n'))) {
        ++line_;
        column_ = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++column_;
      }
      if ((c & 0xC0) != 0x80) {
        ++cp_;
        utf16_ += c >= 0xF0 ? 2 : 1;
      }
      ++pos_;
    }
  }
  std::size_t line() const { return line_; }
  std::size_t column() const { return column_; }
  std::size_t cp() const { return cp_; }
  std::size_t utf16() const { return utf16_; }

  // Code points and UTF-16 units in t[begin, end), without moving the cursor.
  void measure(std::size_t begin, std::size_t end, std::size_t& cps, std::size_t& units) const {
    cps = units = 0;
    std::size_t i = begin;
    for (; i + 8 <= end; i += 8) {
      const Counts c = counts(load8(i));
      cps += c.code_points;
      units += c.units;
    }
    for (; i < end; ++i) {
      const unsigned char c = static_cast<unsigned char>(t_[i]);
      if ((c & 0xC0) != 0x80) {
        ++cps;
        units += c >= 0xF0 ? 2 : 1;
      }
    }
  }

 private:
  static constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  struct Counts {
    std::size_t code_points, units;
  };

  std::uint64_t load8(std::size_t at) const {
    std::uint64_t x;
    std::memcpy(&x, t_.data() + at, sizeof x);
    return x;
  }
  static bool has_byte(std::uint64_t x, unsigned char b) {
    const std::uint64_t v = x ^ (kOnes * b);
    return ((v - kOnes) & ~v & kHigh) != 0;
  }
  // The number of bytes of `high` (only their top bits set) with that bit set; the multiply sums
  // them into the top byte (std::popcount is a library call without -mpopcnt).
  static std::size_t count_high(std::uint64_t high) { return static_cast<std::size_t>(((high >> 7) * kOnes) >> 56); }
  // In eight bytes: the code points that start there (bytes other than 10xxxxxx), and their
  // UTF-16 units (two for a byte from 0xF0 on, a four-byte lead).
  static Counts counts(std::uint64_t x) {
    const std::size_t continuation = count_high(x & ~(x << 1) & kHigh);
    const std::size_t four = count_high(x & (x << 1) & (x << 2) & (x << 3) & kHigh);
    return {8 - continuation, 8 - continuation + four};
  }

#if defined(__SSE2__)
  // advance() over the next 64 bytes, line breaks and all, with masks.
  void block64() {
    const detail::Bytes64 b(t_.data() + pos_);
    const std::uint64_t lf = b.equal('\n'), cr = b.equal('\r');
    // Signed, below 0xC0 (-64): 10xxxxxx; from 0xF0 (-16) to 0xFF (-1): a four-byte lead.
    auto continuation = [](__m128i x) { return _mm_cmplt_epi8(x, _mm_set1_epi8(-64)); };
    auto four = [](__m128i x) { return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(-17)), _mm_cmplt_epi8(x, _mm_setzero_si128())); };
    const bool lf_next = pos_ + 64 < t_.size() && t_[pos_ + 64] == '\n';
    // LF, and CR but before LF (CRLF is one break, at its LF).
    const std::uint64_t breaks = lf | (cr & ~(lf >> 1 | static_cast<std::uint64_t>(lf_next) << 63));
    const std::size_t code_points = 64 - b.count(continuation);
    cp_ += code_points;
    utf16_ += code_points + b.count(four);
    if (breaks == 0) {
      column_ += code_points;
    } else {
      const std::uint64_t starts = ~b.mask(continuation);
      line_ += static_cast<std::size_t>(std::popcount(breaks));
      const int last = 63 - std::countl_zero(breaks);
      column_ = 1 + static_cast<std::size_t>(std::popcount(starts >> last >> 1));
    }
    pos_ += 64;
  }
#endif

  std::string_view t_;
  std::size_t pos_ = 0, line_ = 1, column_ = 1, cp_ = 0, utf16_ = 0;
};

}  // namespace

void Scores::add(const Scores& other) {
  const double weight = critic_intensity * static_cast<double>(words) / 100.0 +
                        other.critic_intensity * static_cast<double>(other.words) / 100.0;
  words += other.words;
  sentences += other.sentences;
  for (std::size_t i = 0; i < kCategoryCount; ++i) by_category[i] += other.by_category[i];
  for (std::size_t i = 0; i < kPillarCount; ++i) by_pillar[i] += other.by_pillar[i];
  absolutist_words += other.absolutist_words;
  if (words > 0) {
    critic_intensity = weight * 100.0 / static_cast<double>(words);
    absolutist_rate = static_cast<double>(absolutist_words) / static_cast<double>(words);
  }
}

bool Analysis::has_safety() const {
  return std::any_of(findings.begin(), findings.end(), [](const Finding& f) { return f.category == Category::kSafety; });
}

struct Analyzer::State {
  explicit State(std::shared_ptr<const Ruleset> r) : rules(std::move(r)), segmenter(rules->language()) {
    std::size_t size = 16;
    while (size < 2 * impl().absolutist_words.size()) size *= 2;
    dict_slots.resize(size);
    for (const std::string& w : impl().absolutist_words) {
      if (w.empty() || w.size() > kMaxDictWord) continue;
      dict_lengths |= 1U << w.size();
      detail::Segmenter::admit(word_sieve, w);
      if (const std::size_t p = prefix_index(w); p != kNoPrefix) dict_prefixes[p / 64] |= std::uint64_t{1} << (p % 64);
      std::size_t at = fold_hash(w) & (size - 1);
      while (!dict_slots[at].empty() && dict_slots[at] != w) at = (at + 1) & (size - 1);
      dict_slots[at] = w;
    }
  }

  // Words longer than this are never looked up among the absolutist words.
  static constexpr std::size_t kMaxDictWord = 16;

  std::shared_ptr<const Ruleset> rules;
  detail::Segmenter segmenter;
  std::vector<detail::Span> sentences;
  // Where the text has characters other than ASCII letters that case folding changes
  // (count_invalid_utf8), and per sentence whether it holds one: the prefilter's to know.
  std::vector<std::size_t> unfolded_at;
  std::vector<char> unfolded;
  std::vector<std::string_view> batch;    // sentences handed to the prefilter together
  std::vector<int> text_hits;             // the prefilter's answer for every sentence, one after another
  std::vector<std::size_t> hits_at;       // sentence k's answer: text_hits[hits_at[k], hits_at[k + 1])
  // The cue prefilter's answer for each sentence with a match, in order (find_cues):
  // cue_hits[cue_at[j], cue_at[j + 1]) for the j-th; and for the sentence being judged.
  std::vector<detail::Span> judged_spans;
  std::vector<char> judged_unfolded;
  std::vector<int> cue_hits;
  std::vector<std::size_t> cue_at;
  std::size_t judged_rank = 0;
  std::span<const int> sentence_cues;
  detail::Prefilter::Scratch cue_scratch;
  std::vector<std::size_t> pattern_at;    // pattern p's candidate sentences: pattern_sentences[...]
  std::vector<std::size_t> pattern_sentences;
  std::vector<std::pair<std::size_t, Candidate>> found;  // (sentence, match), pattern by pattern
  std::vector<Candidate> found_by_sentence;              // the same, sentence by sentence
  std::vector<std::size_t> found_at;                     // sentence k's: [found_at[k], found_at[k + 1])
  detail::Prefilter::Scratch prefilter_scratch;
  std::vector<signed char> joinable;  // per pattern: context_free(), once known (-1 before)
  detail::PatternSearch search;
  std::vector<detail::PatternSearch::Match> matches;
  std::vector<re2::StringPiece> groups;
  std::vector<Candidate> candidates;
  std::vector<Candidate> kept;
  std::vector<detail::Span> quotes;     // sorted by begin
  std::vector<std::size_t> quote_ends;  // quote_ends[i]: the furthest end among quotes[0..i]
  // Per rule with exceptions, the sentences it has a match in: exception_sentences[exception_at[r],
  // exception_at[r + 1]); and those of them where its exceptions match.
  std::vector<std::size_t> exception_at, exception_sentences, excepted;
  std::vector<signed char> exceptions_joinable;  // per rule: context_free(), once known (-1 before)
  std::optional<std::uint64_t> sentence_hash;
  detail::SlotValues slots;
  // A quick no for most words: the first two bytes of the absolutist words, either case (the
  // segmenter reports only words that begin so), and their lengths.
  detail::Segmenter::WordSieve word_sieve{};
  std::uint32_t dict_lengths = 0;
  // The absolutist words up to kMaxDictWord bytes, open addressing by fold_hash; "" is free.
  std::vector<std::string_view> dict_slots;
  // A quicker no for most words the sieve lets through: a bit per first three ASCII letters
  // (either case) of the absolutist words that begin so. Words that do not are looked up.
  static constexpr std::size_t kNoPrefix = SIZE_MAX;
  std::array<std::uint64_t, (26 * 26 * 26 + 63) / 64> dict_prefixes{};
  static std::size_t prefix_index(std::string_view w) {
    if (w.size() < 3) return kNoPrefix;
    std::size_t index = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      const char c = fold(w[i]);
      if (c < 'a' || c > 'z') return kNoPrefix;
      index = index * 26 + static_cast<std::size_t>(c - 'a');
    }
    return index;
  }

  static char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
  static std::size_t fold_hash(std::string_view w) {
    std::size_t h = 0;
    for (char c : w) h = h * 31 + static_cast<unsigned char>(fold(c));
    return h ^ (h >> 7);
  }
  // Whether `word`, with ASCII letters lower-cased, is an absolutist word.
  bool absolutist(std::string_view word) const {
    if (word.size() > kMaxDictWord || (dict_lengths >> word.size() & 1U) == 0) return false;
    if (const std::size_t p = prefix_index(word); p != kNoPrefix && (dict_prefixes[p / 64] >> (p % 64) & 1) == 0) return false;
    const std::size_t mask = dict_slots.size() - 1;
    for (std::size_t at = fold_hash(word) & mask; !dict_slots[at].empty(); at = (at + 1) & mask) {
      std::string_view entry = dict_slots[at];
      if (entry.size() != word.size()) continue;
      std::size_t i = 0;
      while (i < word.size() && fold(word[i]) == entry[i]) ++i;
      if (i == word.size()) return true;
    }
    return false;
  }

  const Ruleset::Impl& impl() const { return rules->impl(); }

  bool enabled(const detail::CompiledRule& rule, const AnalyzeOptions& o) const {
    return o.categories[static_cast<std::size_t>(rule.spec->category)] && rule.spec->severity >= o.min_severity;
  }

  // Finds the matches of every candidate pattern in every sentence. Each pattern is run over all
  // the sentences the prefilter let it through in one go, so that its RE2 automaton stays in the
  // cache (run sentence by sentence, thousands of patterns evict each other's).
  void find_matches(std::string_view text, const AnalyzeOptions& o) {
    const std::size_t patterns = impl().entries.size();
    text_hits.clear();
    hits_at.assign(1, 0);
    pattern_at.assign(patterns + 1, 0);
    unfolded.assign(sentences.size(), 0);
    for (std::size_t k = 0, u = 0; k < sentences.size() && u < unfolded_at.size(); ++k) {
      while (u < unfolded_at.size() && unfolded_at[u] < sentences[k].begin) ++u;
      unfolded[k] = u < unfolded_at.size() && unfolded_at[u] < sentences[k].end;
    }
    // A batch of sentences at a time: the prefilter walks several at once.
    for (std::size_t k = 0; k < sentences.size();) {
      const std::size_t first = k;
      k = detail::next_batch(text, sentences, k, batch);
      impl().prefilter.candidates(batch, prefilter_scratch, text_hits, hits_at, std::span(unfolded).subspan(first, batch.size()));
    }
    for (int hit : text_hits) ++pattern_at[static_cast<std::size_t>(hit) + 1];
    for (std::size_t p = 0; p < patterns; ++p) pattern_at[p + 1] += pattern_at[p];
    pattern_sentences.resize(pattern_at[patterns]);
    {
      std::vector<std::size_t>& next = found_at;  // borrowed as the fill cursor per pattern
      next.assign(pattern_at.begin(), pattern_at.end() - 1);
      for (std::size_t k = 0; k < sentences.size(); ++k)
        for (std::size_t h = hits_at[k]; h < hits_at[k + 1]; ++h)
          pattern_sentences[next[static_cast<std::size_t>(text_hits[h])]++] = k;
    }
    found.clear();
    joinable.resize(patterns, -1);
    for (std::size_t p = 0; p < patterns; ++p) {
      if (pattern_at[p] == pattern_at[p + 1]) continue;
      const auto& entry = impl().entries[p];
      const detail::CompiledRule& rule = impl().rules[entry.rule];
      if (!enabled(rule, o)) continue;
      const RE2* re = rule.patterns[entry.pattern].re->get();
      if (re == nullptr) continue;
      if (joinable[p] < 0) joinable[p] = detail::context_free(re->pattern()) ? 1 : 0;
      matches.clear();
      search.find(*re, joinable[p] != 0, text, sentences,
                  std::span(pattern_sentences.data() + pattern_at[p], pattern_at[p + 1] - pattern_at[p]), matches);
      for (const auto& m : matches) found.emplace_back(m.sentence, Candidate{entry.rule, entry.pattern, m.begin, m.end, false});
    }
    // Sentence by sentence, keeping the pattern order within each (a stable counting sort).
    found_at.assign(sentences.size() + 1, 0);
    for (const auto& [k, c] : found) ++found_at[k + 1];
    for (std::size_t k = 0; k < sentences.size(); ++k) found_at[k + 1] += found_at[k];
    found_by_sentence.resize(found.size());
    std::vector<std::size_t>& next = pattern_sentences;  // no longer needed: the fill cursor
    next.assign(found_at.begin(), found_at.end() - 1);
    for (const auto& [k, c] : found) found_by_sentence[next[k]++] = c;
    find_exceptions(text);
  }

  // Marks the matches whose rule's exceptions match in their sentence: each rule's exceptions
  // are searched once over all the sentences it has a match in.
  void find_exceptions(std::string_view text) {
    const std::size_t rule_count = impl().rules.size();
    exception_at.assign(rule_count + 1, 0);
    exceptions_joinable.resize(rule_count, -1);
    // Counted, then filled (a sentence once per rule, however many matches it has there).
    auto each = [&](auto&& fn) {
      for (std::size_t k = 0; k < sentences.size(); ++k)
        for (std::size_t i = found_at[k]; i < found_at[k + 1]; ++i) {
          const std::size_t r = found_by_sentence[i].rule;
          bool first = impl().rules[r].exceptions != nullptr;
          for (std::size_t j = found_at[k]; j < i && first; ++j) first = found_by_sentence[j].rule != r;
          if (first) fn(r, k);
        }
    };
    each([&](std::size_t r, std::size_t) { ++exception_at[r + 1]; });
    for (std::size_t r = 0; r < rule_count; ++r) exception_at[r + 1] += exception_at[r];
    exception_sentences.resize(exception_at[rule_count]);
    excepted.assign(exception_at.begin(), exception_at.end() - 1);  // borrowed as the fill cursor
    each([&](std::size_t r, std::size_t k) { exception_sentences[excepted[r]++] = k; });
    for (std::size_t rule = 0; rule < rule_count; ++rule) {
      if (exception_at[rule] == exception_at[rule + 1]) continue;
      const RE2* exceptions = impl().rules[rule].exceptions->get();
      if (exceptions == nullptr) continue;
      if (exceptions_joinable[rule] < 0) exceptions_joinable[rule] = detail::context_free(exceptions->pattern()) ? 1 : 0;
      excepted.clear();
      search.matching(*exceptions, exceptions_joinable[rule] != 0, text, sentences,
                      std::span(exception_sentences).subspan(exception_at[rule], exception_at[rule + 1] - exception_at[rule]),
                      excepted);
      for (std::size_t k : excepted)
        for (std::size_t j = found_at[k]; j < found_at[k + 1]; ++j)
          if (found_by_sentence[j].rule == rule) found_by_sentence[j].excepted = true;
    }
  }

  // The cue prefilter's answer for every sentence find_matches found a match in (those
  // analyze_sentence judges), a batch of them at a time.
  void find_cues(std::string_view text) {
    judged_spans.clear();
    judged_unfolded.clear();
    for (std::size_t k = 0; k < sentences.size(); ++k) {
      if (found_at[k] == found_at[k + 1]) continue;
      judged_spans.push_back(sentences[k]);
      judged_unfolded.push_back(unfolded[k]);
    }
    cue_hits.clear();
    cue_at.assign(1, 0);
    for (std::size_t j = 0; j < judged_spans.size();) {
      const std::size_t first = j;
      j = detail::next_batch(text, judged_spans, j, batch);
      impl().cue_prefilter.candidates(batch, cue_scratch, cue_hits, cue_at, std::span(judged_unfolded).subspan(first, batch.size()));
    }
    judged_rank = 0;
  }

  // Whether a cue of `set` matches in `clause`, a part of the sentence being judged (cues the
  // cue prefilter rules out for the sentence cannot match in the clause).
  bool cue_in(const detail::CueSet& set, std::string_view clause) const {
    auto hit = std::lower_bound(sentence_cues.begin(), sentence_cues.end(), static_cast<int>(set.first));
    for (; hit != sentence_cues.end() && static_cast<std::size_t>(*hit) < set.first + set.cues.size(); ++hit) {
      const RE2* cue = set.cues[static_cast<std::size_t>(*hit) - set.first]->get();
      if (cue && RE2::PartialMatch(clause, *cue)) return true;
    }
    return false;
  }

  void find_quotes(std::string_view s) {
    quotes.clear();
    detail::quoted_spans(s, quotes);
    std::sort(quotes.begin(), quotes.end(),
              [](const detail::Span& a, const detail::Span& b) { return a.begin < b.begin; });
    quote_ends.clear();
    for (const detail::Span& q : quotes) quote_ends.push_back(std::max(q.end, quote_ends.empty() ? 0 : quote_ends.back()));
  }

  // Whether a quote found by find_quotes holds all of c.
  bool quoted(const Candidate& c) const {
    auto after = std::upper_bound(quotes.begin(), quotes.end(), c.begin,
                                  [](std::size_t pos, const detail::Span& q) { return pos < q.begin; });
    if (after == quotes.begin()) return false;
    return quote_ends[static_cast<std::size_t>(after - quotes.begin()) - 1] >= c.end;
  }

  // Applies the context engine; drops denied matches and marks other voices as reported.
  void judge(std::string_view s) {
    bool quotes_known = false;
    auto keep = candidates.begin();
    for (Candidate& c : candidates) {
      const detail::CompiledRule& rule = impl().rules[c.rule];
      bool drop = c.excepted;
      if (!drop && rule.check_negation) {
        std::size_t from = detail::clause_begin(s, c.begin, /*weak=*/true);
        drop = cue_in(impl().negation, s.substr(from, c.begin - from));
      }
      std::optional<std::size_t> strong_from;  // the clause start both past and reported voice read
      auto strong_clause = [&] {
        if (!strong_from) strong_from = detail::clause_begin(s, c.begin, /*weak=*/false);
        return s.substr(*strong_from, c.begin - *strong_from);
      };
      if (!drop && rule.check_past) drop = cue_in(impl().past, strong_clause());
      if (drop) continue;
      if (rule.check_reported) c.reported = cue_in(impl().reported, strong_clause());
      if (!c.reported && rule.check_quoted) {
        if (!quotes_known) {
          find_quotes(s);
          quotes_known = true;
        }
        c.reported = quoted(c);
      }
      *keep++ = c;
    }
    candidates.erase(keep, candidates.end());
  }

  // One finding per category and voice for overlapping matches: the earliest, then longest.
  void deduplicate() {
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      if (a.begin != b.begin) return a.begin < b.begin;
      if (a.end != b.end) return a.end > b.end;
      return a.rule < b.rule;
    });
    kept.clear();
    // Every kept candidate begins at or before c (sorted), so one overlaps c exactly when it
    // ends after c begins: the furthest end kept per voice and category decides.
    std::array<std::array<std::size_t, kCategoryCount>, 2> furthest{};
    for (const Candidate& c : candidates) {
      std::size_t& end = furthest[c.reported ? 1 : 0][static_cast<std::size_t>(impl().rules[c.rule].spec->category)];
      if (end > c.begin) continue;
      end = c.end;
      kept.push_back(c);
    }
  }

  // The match fill_reframes() is for, whose groups set_groups() finds when a template asks.
  struct GroupMatch {
    const detail::CompiledPattern* pattern = nullptr;
    std::string_view sentence;
    std::size_t begin = 0, end = 0;
  } group_match;

  // Sets the named groups of group_match in `out`. RE2 itself finds a match's groups by
  // searching its span anchored at both ends, with the sentence around it; so does this.
  static void set_groups(void* state, detail::SlotValues& out) {
    const GroupMatch& m = static_cast<State*>(state)->group_match;
    std::vector<re2::StringPiece>& groups = static_cast<State*>(state)->groups;
    const RE2& re = *m.pattern->re->get();
    const auto& names = m.pattern->group_name;
    groups.resize(std::min(names.size(), static_cast<std::size_t>(re.NumberOfCapturingGroups()) + 1));
    if (!re.Match(m.sentence, m.begin, m.end, RE2::ANCHOR_BOTH, groups.data(), static_cast<int>(groups.size()))) return;
    for (std::size_t g = 1; g < groups.size(); ++g)
      if (!names[g].empty() && groups[g].data() != nullptr)
        out.set(names[g], m.sentence.substr(static_cast<std::size_t>(groups[g].data() - m.sentence.data()), groups[g].size()));
  }

  void fill_reframes(Finding& f, const detail::CompiledRule& rule, std::string_view sentence, const Candidate& c,
                     const AnalyzeOptions& o) {
    const detail::CompiledPattern& pattern = rule.patterns[c.pattern];
    slots.clear();
    slots.set("match", sentence.substr(c.begin, c.end - c.begin));
    std::size_t cb = detail::clause_begin(sentence, c.begin, /*weak=*/true);
    std::size_t ce = std::max(detail::clause_end(sentence, c.end), c.end);
    while (cb < c.begin && sentence[cb] == ' ') ++cb;
    slots.set("clause", sentence.substr(cb, ce - cb));
    slots.set("sentence", sentence);
    group_match = {&pattern, sentence, c.begin, c.end};
    slots.defer(&State::set_groups, this);
    if (auto friend_view = detail::render_template(rule.friend_view->text, slots)) f.friend_view = *friend_view;
    const std::size_t n = rule.reframes.size();
    if (!sentence_hash) sentence_hash = fnv1a(sentence);
    const std::size_t start = static_cast<std::size_t>(fnv1a(rule.spec->id, *sentence_hash) % n);
    const std::size_t want = o.all_reframes ? n : 2;
    f.reframes.reserve(std::min(want, n));
    for (int pass = 0; pass < 2 && f.reframes.size() < want; ++pass) {
      for (std::size_t k = 0; k < n && f.reframes.size() < want; ++k) {
        const ReframeTemplate* t = rule.reframes[(start + k) % n];
        bool used = std::any_of(f.reframes.begin(), f.reframes.end(), [&](const Reframe& r) {
          return pass == 0 ? r.strategy == t->strategy : false;
        });
        bool same_text = false;
        if (used) continue;
        auto text = detail::render_template(t->text.text, slots);
        if (!text) continue;
        for (const Reframe& r : f.reframes) same_text |= r.text == *text;
        if (!same_text) f.reframes.push_back({t->strategy, std::move(*text)});
      }
    }
  }

  // The findings of sentence k, one find_matches found a match in, from those matches.
  void analyze_sentence(std::string_view text, std::size_t k, const AnalyzeOptions& o, Cursor& cursor,
                        std::vector<Finding>& out) {
    const detail::Span span = sentences[k];
    std::string_view s = text.substr(span.begin, span.end - span.begin);
    sentence_hash.reset();
    sentence_cues = std::span<const int>(cue_hits.data() + cue_at[judged_rank], cue_at[judged_rank + 1] - cue_at[judged_rank]);
    ++judged_rank;
    candidates.assign(found_by_sentence.begin() + found_at[k], found_by_sentence.begin() + found_at[k + 1]);
    judge(s);
    deduplicate();
    for (const Candidate& c : kept) {
      if (c.reported && !o.include_reported) continue;
      const detail::CompiledRule& rule = impl().rules[c.rule];
      Finding f;
      f.rule = rule.spec->id;
      f.category = rule.spec->category;
      f.pillar = rule.spec->pillar;
      f.severity = rule.spec->severity;
      f.begin = span.begin + c.begin;
      f.end = span.begin + c.end;
      cursor.advance(f.begin);
      f.line = cursor.line();
      f.column = cursor.column();
      std::size_t cps = 0, units = 0;
      cursor.measure(f.begin, f.end, cps, units);
      f.cp_begin = cursor.cp();
      f.cp_end = f.cp_begin + cps;
      f.utf16_begin = cursor.utf16();
      f.utf16_end = f.utf16_begin + units;
      f.sentence_begin = span.begin;
      f.sentence_end = span.end;
      f.text = std::string(s.substr(c.begin, c.end - c.begin));
      f.message = rule.spec->message;
      f.reported = c.reported;
      if (f.category == Category::kSafety) f.support = impl().support_message;
      else if (o.reframes) fill_reframes(f, rule, s, c, o);
      out.push_back(std::move(f));
    }
  }

  // The scores' words and absolutist words, counted while the text is still in the cache from
  // the sentence pass (the rest of the analysis moves megabytes of its own through it).
  void count_words(std::string_view text, Analysis& a, const AnalyzeOptions& o) {
    if (!o.scores) return;
    Scores& sc = a.scores;
    sc.words += segmenter.words(text, word_sieve, [&](std::size_t b, std::size_t e) {
      if (absolutist(text.substr(b, e - b))) ++sc.absolutist_words;
    });
  }

  // The rest of the scores, from the findings and count_words().
  void score(Analysis& a, const AnalyzeOptions& o) {
    Scores& sc = a.scores;
    sc.sentences = sentences.size();
    detail::FindingTotals totals;
    for (const Finding& f : a.findings) {
      totals.add(f);
      if (f.reported) continue;
      ++sc.by_category[static_cast<std::size_t>(f.category)];
      ++sc.by_pillar[static_cast<std::size_t>(f.pillar)];
    }
    if (o.scores) detail::set_rates(sc, totals.weight);
    a.self_compassion_break = detail::self_compassion_break(impl(), totals, sc);
  }
};

Analyzer::Analyzer(std::shared_ptr<const Ruleset> rules) : state_(std::make_unique<State>(std::move(rules))) {}
Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

const Ruleset& Analyzer::ruleset() const { return *state_->rules; }

Analysis Analyzer::analyze(std::string_view input, const AnalyzeOptions& options) { return analyze(input, options, 0); }

Analysis Analyzer::analyze(std::string_view input, const AnalyzeOptions& options, std::size_t line_before) {
  State& st = *state_;
  Analysis a;
  std::string repaired;
  std::string_view text = input;
  st.unfolded_at.clear();
  a.invalid_utf8_bytes = detail::count_invalid_utf8(input, &st.unfolded_at);  // the same offsets in `repaired`
  if (a.invalid_utf8_bytes > 0) {
    repaired = detail::replace_invalid_utf8(input);
    text = repaired;
  }
  st.sentences.clear();
  st.segmenter.sentences(text, st.sentences, line_before);
  st.count_words(text, a, options);
  st.find_matches(text, options);
  st.find_cues(text);
  a.findings.reserve(st.found.size());  // at most one finding a match
  Cursor cursor(text);
  for (std::size_t k = 0; k < st.sentences.size(); ++k)
    if (st.found_at[k] != st.found_at[k + 1]) st.analyze_sentence(text, k, options, cursor, a.findings);
  st.score(a, options);
  // Safety findings first (a stable partition takes a buffer as large as the findings; most
  // texts have none, and then nothing moves).
  auto safety = [](const Finding& f) { return f.category == Category::kSafety; };
  if (!std::is_partitioned(a.findings.begin(), a.findings.end(), safety))
    std::stable_partition(a.findings.begin(), a.findings.end(), safety);
  return a;
}

}  // namespace selftalk
