// Private: the compiled form of a Ruleset, shared by ruleset.cpp and the analyzer.
#ifndef SELFTALK_SRC_RULESET_IMPL_H
#define SELFTALK_SRC_RULESET_IMPL_H

#include <re2/re2.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "prefilter.h"
#include "selftalk/analyzer.h"
#include "selftalk/ruleset.h"

namespace selftalk {

namespace detail {

// A template ready to render: the text plus where it came from.
struct CompiledTemplate {
  const ReframeTemplate* source = nullptr;  // null for friend views
  const Located* text = nullptr;
};

using Macros = MacroMap;

// A regular expression compiled on first use, so a Ruleset is ready at once and pays only for
// the patterns some text reaches (packs from the library itself are checked by its tests; other
// packs are compiled while loading, so their errors are reported with a location). Thread-safe.
class LazyRegex {
 public:
  // The alternation of `parts` (pack patterns, expanded with `macros` when first used); both
  // must outlive this object.
  LazyRegex(std::vector<std::string_view> parts, const Macros* macros, int64_t max_mem)
      : parts_(std::move(parts)), macros_(macros), max_mem_(max_mem) {}
  // Takes an already compiled expression (the checked path).
  explicit LazyRegex(std::unique_ptr<RE2> re) : re_(std::move(re)) {}

  // The compiled expression, or null if it does not compile (it then matches nothing).
  const RE2* get() const;

 private:
  std::vector<std::string_view> parts_;
  const Macros* macros_ = nullptr;
  int64_t max_mem_ = 0;
  mutable std::once_flag once_;
  mutable std::unique_ptr<RE2> re_;
};

struct CompiledPattern {
  std::unique_ptr<LazyRegex> re;
  std::vector<std::string> group_name;  // index = group number (0 = the match, ""); "" for unnamed
};

// The cues of one kind of context ("negation", "reported", "past"), each its own expression,
// numbered in the cue prefilter from `first` on, so a clause is searched only for the cues whose
// literals its sentence holds.
struct CueSet {
  std::size_t first = 0;
  std::vector<std::unique_ptr<LazyRegex>> cues;
};

struct CompiledRule {
  const RuleSpec* spec = nullptr;
  const RulePack* pack = nullptr;
  std::vector<CompiledPattern> patterns;
  std::unique_ptr<LazyRegex> exceptions;  // alternation of the rule's exceptions, or null
  bool check_negation = true;
  bool check_reported = true;
  bool check_past = true;
  bool check_quoted = true;
  const Located* friend_view = nullptr;  // null only for safety rules
  std::vector<const ReframeTemplate*> reframes;
};

// Every rule pattern source of `packs` (as written, macros unexpanded), in the order a Ruleset
// numbers them for its prefilter (Impl::entries).
std::vector<std::string_view> pattern_sources(const std::vector<RulePack>& packs);
// Every context cue of `packs` in the order a Ruleset numbers them for its cue prefilter: the
// negation, reported and past cues.
std::vector<std::string_view> cue_sources(const std::vector<RulePack>& packs);

// The built-in packs' rule patterns and cues, read at build time (save_reading's bytes, under
// the key of the embedded packs' macros and those sources), so a Ruleset of them starts without
// reading them; empty in the program that generates them.
std::string_view embedded_reading();
std::string_view embedded_cue_reading();

}  // namespace detail

struct Ruleset::Impl {
  std::vector<RulePack> packs;
  detail::Macros macros;  // of all packs
  std::vector<detail::CompiledRule> rules;
  std::unordered_map<std::string_view, std::size_t> by_id;
  struct PatternEntry {
    std::size_t rule;
    std::size_t pattern;
  };
  std::vector<PatternEntry> entries;  // prefilter index -> rule/pattern
  detail::Prefilter prefilter;
  detail::Prefilter cue_prefilter;  // over the cues of negation, reported and past, in that order
  detail::CueSet negation;
  detail::CueSet reported;
  detail::CueSet past;
  std::string support_message;
  std::string self_compassion_break;
  std::vector<std::string> absolutist_words;  // lower case, sorted, unique
  std::string language;
};

namespace detail {

// What Analyzer::analyze concludes from a text's findings beyond the findings themselves, kept
// as sums so that a stream of parts reaches exactly what the whole text gives.
struct FindingTotals {
  std::size_t critic = 0;  // findings in the writer's own voice, other than safety
  double weight = 0;       // severity weights of the findings in the writer's own voice

  void add(const Finding& f) {
    if (f.reported) return;
    weight += static_cast<int>(f.severity);
    if (f.category != Category::kSafety) ++critic;
  }
};

// Sets the rates of `s` from its counts and the findings' weight (zero when there are no words).
inline void set_rates(Scores& s, double weight) {
  if (s.words == 0) return;
  s.critic_intensity = weight * 100.0 / static_cast<double>(s.words);
  s.absolutist_rate = static_cast<double>(s.absolutist_words) / static_cast<double>(s.words);
}

// The Self-Compassion Break for a text dense with findings in the writer's voice (at least three,
// and a critic intensity of at least 5), else empty.
inline std::string_view self_compassion_break(const Ruleset::Impl& impl, const FindingTotals& totals,
                                              const Scores& scores) {
  if (totals.critic >= 3 && scores.critic_intensity >= 5.0) return impl.self_compassion_break;
  return {};
}

}  // namespace detail
}  // namespace selftalk

#endif  // SELFTALK_SRC_RULESET_IMPL_H
