// The literal prefilter (lib/src/prefilter.h) decides which patterns RE2 runs on a sentence, so
// one wrong "no" is a missed finding. These tests hold it to RE2 itself.
#include <doctest/doctest.h>
#include <re2/re2.h>

#include <algorithm>
#include <map>

#include "corpus_texts.h"
#include "generator.h"
#include "prefilter.h"
#include "ruleset_impl.h"
#include "selftalk/pack.h"
#include "selftalk/ruleset.h"
#include "text.h"

namespace {

using selftalk::detail::Prefilter;
using selftalk::detail::PrefilterBuilder;
using Macros = std::map<std::string, std::string, std::less<>>;

// Candidates among `patterns` for `text`.
std::vector<int> run(const std::vector<std::string>& patterns, std::string_view text, const Macros& macros = {},
                     std::vector<std::string>* names = nullptr) {
  PrefilterBuilder b(&macros);
  for (const std::string& p : patterns) b.add(p, names);
  Prefilter pf = b.build();
  Prefilter::Scratch scratch;
  std::vector<int> out;
  pf.candidates(text, scratch, out);
  return out;
}

bool passes(const std::string& pattern, std::string_view text, const Macros& macros = {}) {
  return !run({pattern}, text, macros).empty();
}

#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kGeneratedBytes = 20'000;
#else
constexpr std::size_t kGeneratedBytes = 200'000;
#endif

}  // namespace

TEST_CASE("prefilter: a pattern needs its literal words in any case") {
  CHECK(passes("\\bi\\s+never\\s+win", "I NEVER win"));
  CHECK_FALSE(passes("\\bi\\s+never\\s+win", "I always win"));
  CHECK_FALSE(passes("\\bi\\s+never\\s+win", "I never lose"));  // both words are needed
  CHECK(passes("(?:always|never)\\s+fail", "we never fail"));
  CHECK_FALSE(passes("(?:always|never)\\s+fail", "we seldom fail"));
}

TEST_CASE("prefilter: apostrophes in a pattern stand for both ' and the curly one") {
  CHECK(passes("can't\\s+cope", "I can’t cope"));
  CHECK(passes("can’t\\s+cope", "I can't cope"));
  CHECK_FALSE(passes("can't\\s+cope", "I cant cope"));
  CHECK(passes("can'?t\\s+cope", "I cant cope"));
}

TEST_CASE("prefilter: non-ASCII text is case-folded as RE2 matches it") {
  CHECK(passes("\\bcafé\\b", "THE CAFÉ WAS SHUT"));
  CHECK(passes("\\bnaïve\\b", "so Naïve"));
  CHECK_FALSE(passes("\\bcafé\\b", "the cafe was shut"));
}

TEST_CASE("prefilter: optional and repeated pieces are not required") {
  CHECK(passes("colou?r", "the color"));
  CHECK(passes("colou?r", "the colour"));
  CHECK(passes("(?:very\\s+)*tired", "tired"));
  CHECK(passes("(?:so\\s+){0,3}tired", "tired"));
  CHECK(passes("(?:so\\s+){1,3}tired", "so so tired"));
  CHECK_FALSE(passes("(?:really\\s+){1,3}tired", "so tired"));  // at least one "really"
  CHECK(passes("[ck]ould", "I kould"));
  CHECK(passes("[^x]ould", "could"));
  CHECK(passes("a{2}rgh", "aargh"));
}

TEST_CASE("prefilter: macros are read once and their groups counted where they are used") {
  Macros macros{{"NEG", "(?P<neg>never|not)"}, {"TWICE", "{{NEG}}\\s+{{NEG}}"}};
  std::vector<std::string> names;
  CHECK(run({"\\bi\\s+{{NEG}}\\s+(win)", "(?P<a>x)({{TWICE}})"}, "I never win", macros, &names) ==
        std::vector<int>{0, 1});  // a necessary condition: "never" may be there twice
  CHECK(run({"\\bi\\s+{{NEG}}\\s+(win)", "(?P<a>x)({{TWICE}})"}, "I always win", macros).empty());
  CHECK(names == std::vector<std::string>{"neg", "", "a", "", "neg", "neg"});
}

TEST_CASE("prefilter: syntax it does not follow makes the pattern run on every sentence") {
  CHECK(passes("\\Qa.b\\E", "nothing alike"));
  CHECK(passes("{{MISSING}}", "nothing alike"));
  CHECK(passes("(?P=back)", "nothing alike"));
  CHECK(passes(std::string(5000, '(') + "x" + std::string(5000, ')'), "nothing alike"));
}

TEST_CASE("prefilter: common words are checked only when a pattern needs them") {
  // "in" is weak (found in most sentences): the pattern still needs it, checked top-down.
  CHECK(passes("\\bin\\b", "in the end"));
  CHECK_FALSE(passes("\\bin\\b", "I am here"));
  CHECK(passes("\\bmessed\\s+up\\s+in\\b", "I messed up in class"));
  CHECK_FALSE(passes("\\bmessed\\s+up\\s+in\\b", "messed up"));
  CHECK(passes("(?:on|at)\\s+(?:failure|ruin)", "at ruin"));
  CHECK_FALSE(passes("(?:on|at)\\s+(?:failure|ruin)", "a ruin"));
}

// Soundness on real patterns: whenever RE2 finds a default pattern in a text, the prefilter
// listed it. Texts: the corpus, every rule example, a generated journal, and their upper-case and
// apostrophe-swapped forms.
TEST_CASE("prefilter: never rules out a default pattern that RE2 finds") {
  auto packs = selftalk::default_packs();
  REQUIRE(packs.ok());
  std::vector<std::string> texts = selftalk::test::corpus_texts();
  for (const auto& pack : *packs)
    for (const auto& rule : pack.rules) {
      for (const auto& e : rule.match_examples) texts.push_back(e.text);
      for (const auto& e : rule.no_match_examples) texts.push_back(e.text);
    }
  {
    const std::string journal = selftalk::bench::generate_journal(kGeneratedBytes);
    selftalk::detail::Segmenter seg("en");
    std::vector<selftalk::detail::Span> spans;
    seg.sentences(journal, spans);
    for (const auto& s : spans) texts.push_back(journal.substr(s.begin, s.end - s.begin));
  }
  const std::size_t originals = texts.size();
  for (std::size_t i = 0; i < originals; ++i) {
    std::string upper = texts[i];
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; });
    texts.push_back(upper);
    std::string swapped;
    for (std::size_t k = 0; k < texts[i].size(); ++k) {
      if (texts[i].compare(k, 3, "\u2019") == 0) {
        swapped += '\'';
        k += 2;
      } else {
        swapped += texts[i][k] == '\'' ? std::string("\u2019") : std::string(1, texts[i][k]);
      }
    }
    texts.push_back(swapped);
  }
  auto rules = selftalk::Ruleset::compile(*packs);
  REQUIRE(rules.ok());
  const auto& impl = (*rules)->impl();
  REQUIRE(impl.prefilter.unfiltered_count() * 20 < impl.entries.size());  // it does filter
  std::vector<const RE2*> compiled;
  for (const auto& e : impl.entries) compiled.push_back(impl.rules[e.rule].patterns[e.pattern].re->get());
  REQUIRE(std::count(compiled.begin(), compiled.end(), nullptr) == 0);
  selftalk::detail::Prefilter::Scratch scratch;
  std::vector<int> candidates;
  std::size_t found = 0, checked = 0;
  for (const std::string& text : texts) {
    impl.prefilter.candidates(text, scratch, candidates);
    for (std::size_t i = 0; i < impl.entries.size(); ++i) {
      const auto& e = impl.entries[i];
      if (!RE2::PartialMatch(text, *compiled[i])) continue;
      ++found;
      const bool listed = std::binary_search(candidates.begin(), candidates.end(), static_cast<int>(i));
      if (!listed) FAIL_CHECK(impl.rules[e.rule].spec->id << " pattern " << e.pattern << " missed in: " << text);
      ++checked;
    }
  }
  CHECK(found > texts.size() / 10);  // the texts do exercise the patterns
  CHECK(checked == found);
}

TEST_CASE("prefilter: group names read from the built-in packs equal RE2's") {
  auto packs = selftalk::default_packs();
  REQUIRE(packs.ok());
  auto lazy = selftalk::Ruleset::compile(*packs);  // built in: names from the prefilter's reading
  for (auto& p : *packs) p.builtin = false;
  auto eager = selftalk::Ruleset::compile(*packs);  // every pattern compiled: names from RE2
  REQUIRE(lazy.ok());
  REQUIRE(eager.ok());  // and so every built-in pattern compiles
  const auto& a = (*lazy)->impl();
  const auto& b = (*eager)->impl();
  REQUIRE(a.entries.size() == b.entries.size());
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    const auto& pa = a.rules[a.entries[i].rule].patterns[a.entries[i].pattern];
    const auto& pb = b.rules[b.entries[i].rule].patterns[b.entries[i].pattern];
    CHECK_MESSAGE(pa.group_name == pb.group_name, a.rules[a.entries[i].rule].spec->id);
  }
}
