// Private: the compiled form of a Ruleset, shared by ruleset.cpp and the analyzer.
#ifndef SELFTALK_SRC_RULESET_IMPL_H
#define SELFTALK_SRC_RULESET_IMPL_H

#include <re2/re2.h>
#include <re2/set.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "selftalk/ruleset.h"

namespace selftalk {

namespace detail {

// A template ready to render: the text plus where it came from.
struct CompiledTemplate {
  const ReframeTemplate* source = nullptr;  // null for friend views
  const Located* text = nullptr;
};

struct CompiledPattern {
  std::unique_ptr<RE2> re;
  int groups = 0;                       // number of capturing groups
  std::vector<std::string> group_name;  // index = group number; "" for unnamed
};

struct CompiledRule {
  const RuleSpec* spec = nullptr;
  const RulePack* pack = nullptr;
  std::vector<CompiledPattern> patterns;
  std::unique_ptr<RE2> exceptions;  // alternation of the rule's exceptions, or null
  bool check_negation = true;
  bool check_reported = true;
  bool check_past = true;
  bool check_quoted = true;
  const Located* friend_view = nullptr;  // null only for safety rules
  std::vector<const ReframeTemplate*> reframes;
};

}  // namespace detail

struct Ruleset::Impl {
  std::vector<RulePack> packs;
  std::vector<detail::CompiledRule> rules;
  std::unordered_map<std::string_view, std::size_t> by_id;
  struct SetEntry {
    std::size_t rule;
    std::size_t pattern;
  };
  std::vector<SetEntry> set_entries;  // prefilter index -> rule/pattern
  // The prefilter: RE2::Sets over every pattern, each holding a bounded amount of program so
  // its DFA stays small and fast (one Set over everything thrashed its DFA cache).
  struct PrefilterChunk {
    std::unique_ptr<RE2::Set> set;
    int first = 0;  // set_entries index of the Set's pattern 0
  };
  std::vector<PrefilterChunk> prefilter;

  // Replaces `hits` with the set_entries indexes (ascending) whose pattern matches somewhere in
  // `sentence`. If a Set runs out of DFA memory, every index is returned and false. Thread-safe.
  bool match_prefilter(std::string_view sentence, std::vector<int>& hits, std::vector<int>& scratch) const;
  std::unique_ptr<RE2> negation;      // null when the packs give no cues
  std::unique_ptr<RE2> reported;
  std::unique_ptr<RE2> past;
  std::string support_message;
  std::string self_compassion_break;
  std::vector<std::string> absolutist_words;  // lower case, sorted, unique
  std::string language;
};

}  // namespace selftalk

#endif  // SELFTALK_SRC_RULESET_IMPL_H
