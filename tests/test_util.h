// Helpers shared by the tests.
#ifndef SELFTALK_TESTS_TEST_UTIL_H
#define SELFTALK_TESTS_TEST_UTIL_H

#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <thread>
#include <string>

#include "selftalk/selftalk.h"

namespace selftalk::test {

inline std::string source_path(const std::string& relative) { return std::string(SELFTALK_SOURCE_DIR) + "/" + relative; }

inline std::string read_source_file(const std::string& relative) {
  std::ifstream in(source_path(relative), std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << relative);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The compiled default ruleset; fails the test if it does not compile.
inline std::shared_ptr<const Ruleset> default_rules() {
  auto rules = Ruleset::default_ruleset();
  REQUIRE_MESSAGE(rules.ok(), (rules.ok() ? std::string() : rules.error().to_string()));
  return *rules;
}

// Compiles packs given as JSON text (named test1.json, test2.json, ...).
inline Result<std::shared_ptr<const Ruleset>> compile_texts(std::initializer_list<std::string_view> jsons) {
  std::vector<RulePack> packs;
  int n = 0;
  for (std::string_view j : jsons) {
    auto p = parse_pack(j, "test" + std::to_string(++n) + ".json");
    if (!p) return p.error();
    packs.push_back(std::move(p).value());
  }
  return Ruleset::compile(std::move(packs));
}

// Categories found in text by the default rules, as "absolute,should" (sorted by category id).
inline std::string categories_of(const std::string& text) {
  static thread_local Analyzer analyzer(default_rules());
  Analysis a = analyzer.analyze(text);
  std::array<bool, kCategoryCount> seen{};
  for (const Finding& f : a.findings) seen[static_cast<std::size_t>(f.category)] = true;
  std::string out;
  for (std::size_t i = 0; i < kCategoryCount; ++i) {
    if (!seen[i]) continue;
    if (!out.empty()) out += ',';
    out += to_string(static_cast<Category>(i));
  }
  return out;
}

// A minimal valid pack with one rule; `rule_extra` is spliced into the rule object.
inline std::string one_rule_pack(const std::string& pattern_json, const std::string& rule_extra = "",
                                 const std::string& pack_extra = "") {
  return R"({"name": "t", "version": "1", "language": "en", )" + pack_extra + R"(
  "rules": [{
    "id": "t.rule", "category": "absolute", "pillar": "mindfulness", "severity": "medium",
    "patterns": [)" + pattern_json + R"(],
    "message": "m",
    "friend": "friend {match|you}",
    "reframes": [{"strategy": "specific", "text": "one"}, {"strategy": "evidence", "text": "two"}],
    )" + rule_extra + R"(
    "examples": {"match": ["x"], "no_match": ["y"]}
  }]})";
}

}  // namespace selftalk::test

#endif  // SELFTALK_TESTS_TEST_UTIL_H
