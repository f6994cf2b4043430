// One pattern over many sentences (lib/src/search.h). A wrong match here is a wrong or missed
// finding, so every answer is held to RE2 run on each sentence alone.
#include <doctest/doctest.h>
#include <re2/re2.h>

#include <random>
#include <string>
#include <vector>

#include "corpus_texts.h"
#include "generator.h"
#include "ruleset_impl.h"
#include "search.h"
#include "text.h"

namespace {

using selftalk::detail::context_free;
using selftalk::detail::PatternSearch;
using selftalk::detail::Span;

#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kJournalBytes = 6'000;
#else
constexpr std::size_t kJournalBytes = 40'000;
#endif

// The reference: RE2 on each sentence alone, every non-empty leftmost-first match, each search
// from where the last match ended (a byte on after an empty one).
std::vector<PatternSearch::Match> alone(const RE2& re, std::string_view text, const std::vector<Span>& spans,
                                        const std::vector<std::size_t>& ks) {
  std::vector<PatternSearch::Match> out;
  for (std::size_t k : ks) {
    const std::string_view s = text.substr(spans[k].begin, spans[k].end - spans[k].begin);
    re2::StringPiece m;
    for (std::size_t pos = 0; pos <= s.size() && re.Match(s, pos, s.size(), RE2::UNANCHORED, &m, 1);) {
      const auto b = static_cast<std::size_t>(m.data() - s.data());
      if (!m.empty()) out.push_back({k, b, b + m.size()});
      pos = m.empty() ? b + 1 : b + m.size();
    }
  }
  return out;
}

std::vector<PatternSearch::Match> found(PatternSearch& search, const RE2& re, bool joinable, std::string_view text,
                                        const std::vector<Span>& spans, const std::vector<std::size_t>& ks) {
  std::vector<PatternSearch::Match> out;
  search.find(re, joinable, text, spans, ks, out);
  return out;
}

// The reference for matching(): the sentences where RE2 finds a match alone, empty or not.
std::vector<std::size_t> matching_alone(const RE2& re, std::string_view text, const std::vector<Span>& spans,
                                        const std::vector<std::size_t>& ks) {
  std::vector<std::size_t> out;
  for (std::size_t k : ks)
    if (RE2::PartialMatch(text.substr(spans[k].begin, spans[k].end - spans[k].begin), re)) out.push_back(k);
  return out;
}

std::vector<std::size_t> matched(PatternSearch& search, const RE2& re, bool joinable, std::string_view text,
                                 const std::vector<Span>& spans, const std::vector<std::size_t>& ks) {
  std::vector<std::size_t> out{99999};  // appended to
  search.matching(re, joinable, text, spans, ks, out);
  return {out.begin() + 1, out.end()};
}

bool same(const std::vector<PatternSearch::Match>& a, const std::vector<PatternSearch::Match>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].sentence != b[i].sentence || a[i].begin != b[i].begin || a[i].end != b[i].end) return false;
  return true;
}

RE2::Options options() {
  RE2::Options o;
  o.set_case_sensitive(false);
  o.set_log_errors(false);
  return o;
}

// Sentences of `text` as the analysis cuts them.
std::vector<Span> sentences_of(std::string_view text) {
  selftalk::detail::Segmenter seg("en");
  std::vector<Span> spans;
  seg.sentences(text, spans);
  return spans;
}

// Every corpus text, and a generated journal.
std::vector<std::string> corpus_and_journal() {
  std::vector<std::string> texts = selftalk::test::corpus_texts();
  texts.push_back(selftalk::bench::generate_journal(kJournalBytes));
  return texts;
}

std::vector<std::size_t> every(std::size_t n) {
  std::vector<std::size_t> ks(n);
  for (std::size_t k = 0; k < n; ++k) ks[k] = k;
  return ks;
}

}  // namespace

TEST_CASE("context_free - anchors make a pattern depend on where the text ends") {
  for (const char* p : {"^i", "i$", "\\Ai", "i\\z", "(?m)^i", "a|^b", "[a^]", "[$]", "\\[^a]", "x\\\\^"}) {
    CAPTURE(p);
    CHECK_FALSE(context_free(p));
  }
  for (const char* p : {"i always", "\\bi\\b", "[^a]+", "[^\\s]", "\\^", "\\$5", "\\bno\\B", "(?:a|b)*", "\\\\[^x]"}) {
    CAPTURE(p);
    CHECK(context_free(p));
  }
}

TEST_CASE("a pattern with an anchor cannot be searched joined - context_free() is what keeps it alone") {
  const std::string text = "I fail. I fail.";
  const std::vector<Span> spans = {{0, 8}, {8, 15}};
  RE2 re("^i fail", options());
  REQUIRE(re.ok());
  PatternSearch search;
  const auto want = alone(re, text, spans, every(2));
  REQUIRE(want.size() == 2);
  CHECK_FALSE(context_free(re.pattern()));
  CHECK(same(found(search, re, false, text, spans, every(2)), want));
  CHECK_FALSE(same(found(search, re, true, text, spans, every(2)), want));  // the second is missed
}

TEST_CASE("joined search: what RE2 finds in each sentence alone - also across the joins") {
  // Sentences that end where a pattern could run on into the next one, empty matches, and
  // characters of several bytes at the edges.
  const std::string text =
      "I always\nfail. Fail always. é always é. always\n always. I always  fail?\r\n"
      "x. xx. . I am always, always late’ always fail\tnow. Always";
  const std::vector<Span> spans = sentences_of(text);
  REQUIRE(spans.size() > 5);
  PatternSearch search;
  for (const char* p : {"always\\s+\\w+", "\\w+\\s+\\w+", "x*", "\\b", "\\B", "[^.]+", ".+", "\\s", "\\S+\\s+\\S+",
                        "always\\W+always", "(?:always|fail)\\b", "\\bfail", "(?s).{3}", "é\\s*\\p{L}+", "’\\s"}) {
    RE2 re(p, options());
    REQUIRE(re.ok());
    REQUIRE(context_free(p));
    for (std::size_t skip = 0; skip < 3; ++skip) {  // every sentence, then sentences left out
      std::vector<std::size_t> ks;
      for (std::size_t k = 0; k < spans.size(); ++k)
        if (skip == 0 || k % (skip + 1) != 0) ks.push_back(k);
      CAPTURE(p);
      CAPTURE(skip);
      const auto want = alone(re, text, spans, ks);
      CHECK(same(found(search, re, true, text, spans, ks), want));
      CHECK(same(found(search, re, false, text, spans, ks), want));
      const auto want_matching = matching_alone(re, text, spans, ks);
      CHECK(matched(search, re, true, text, spans, ks) == want_matching);
      CHECK(matched(search, re, false, text, spans, ks) == want_matching);
    }
  }
}

TEST_CASE("joined search: random sentences and patterns agree with RE2 alone - also across the 16 KB pieces") {
  const std::vector<std::string> pieces = {"I", "always", "fail", " ", "  ", "\n", "\t", ".", "é", "’", "x", "xx", "!", "🙂"};
  const std::vector<std::string> patterns = {"always\\s+fail",  "i\\s+always",  "x+\\s*x", "\\bx\\b", "[^.!]+", "\\s+",
                                             "fail\\W*i",       "\\w*",         "(?:x|i)\\s", "é\\S*",   "\\S\\s\\S", "x?"};
  std::mt19937 rng(7);
  PatternSearch search;
  for (int round = 0; round < 40; ++round) {
    std::string text;
    std::vector<Span> spans;
    // Mostly short sentences, some long, so some rounds need several pieces of about 16 KB.
    const std::size_t count = 20 + rng() % (round % 4 == 0 ? 3000 : 60);
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t begin = text.size();
      for (std::size_t n = 1 + rng() % 12; n > 0; --n) text += pieces[rng() % pieces.size()];
      spans.push_back({begin, text.size()});
    }
    std::vector<std::size_t> ks;
    for (std::size_t k = 0; k < count; ++k)
      if (rng() % 3 != 0) ks.push_back(k);
    for (const std::string& p : patterns) {
      RE2 re(p, options());
      REQUIRE(re.ok());
      CAPTURE(round);
      CAPTURE(p);
      CHECK(same(found(search, re, true, text, spans, ks), alone(re, text, spans, ks)));
      CHECK(matched(search, re, true, text, spans, ks) == matching_alone(re, text, spans, ks));
    }
  }
}

TEST_CASE("joined search: the default patterns on a journal and the corpus agree with RE2 alone") {
  auto rules = selftalk::Ruleset::default_ruleset();
  REQUIRE(rules.ok());
  const auto& impl = (*rules)->impl();
  const std::vector<std::string> texts = corpus_and_journal();
  std::size_t joined = 0, matches = 0;
  PatternSearch search;
  for (const std::string& text : texts) {
    const std::vector<Span> spans = sentences_of(text);
    const std::vector<std::size_t> ks = every(spans.size());
    for (const auto& entry : impl.entries) {
      const RE2* re = impl.rules[entry.rule].patterns[entry.pattern].re->get();
      REQUIRE(re != nullptr);
      if (!context_free(re->pattern())) continue;
      ++joined;
      const auto want = alone(*re, text, spans, ks);
      matches += want.size();
      CAPTURE(re->pattern());
      CHECK(same(found(search, *re, true, text, spans, ks), want));
    }
  }
  CHECK(joined > 100 * texts.size());  // most default patterns are searched joined
  CHECK(matches > 200);
}

TEST_CASE("joined search: the default rules' exceptions on their examples - a journal - the corpus agree with RE2 alone") {
  // The analysis asks each rule's exceptions once over every sentence the rule has a match in.
  auto rules = selftalk::Ruleset::default_ruleset();
  REQUIRE(rules.ok());
  const auto& impl = (*rules)->impl();
  std::vector<std::string> texts = corpus_and_journal();
  std::string examples;  // every rule's examples, one a line
  for (const auto& rule : impl.rules)
    for (const auto* list : {&rule.spec->match_examples, &rule.spec->no_match_examples})
      for (const auto& e : *list) examples += e.text + "\n";
  texts.push_back(examples);
  std::size_t searched = 0, matches = 0;
  PatternSearch search;
  for (const std::string& text : texts) {
    const std::vector<Span> spans = sentences_of(text);
    const std::vector<std::size_t> ks = every(spans.size());
    for (const auto& rule : impl.rules) {
      if (!rule.exceptions) continue;
      const RE2* re = rule.exceptions->get();
      REQUIRE(re != nullptr);
      ++searched;
      const auto want = matching_alone(*re, text, spans, ks);
      matches += want.size();
      CAPTURE(rule.spec->id);
      CHECK(matched(search, *re, context_free(re->pattern()), text, spans, ks) == want);
      CHECK(matched(search, *re, false, text, spans, ks) == want);
    }
  }
  CHECK(searched > 20 * texts.size());
  CHECK(matches > 50);
}

TEST_CASE("a match's groups are those RE2 finds searching its span anchored at both ends") {
  // Analyzer finds a finding's groups this way, only when a reframe asks for one.
  auto rules = selftalk::Ruleset::default_ruleset();
  REQUIRE(rules.ok());
  const auto& impl = (*rules)->impl();
  const std::vector<std::string> texts = corpus_and_journal();
  std::size_t compared = 0;
  for (const auto& entry : impl.entries) {
    const RE2* re = impl.rules[entry.rule].patterns[entry.pattern].re->get();
    REQUIRE(re != nullptr);
    const int n = re->NumberOfCapturingGroups() + 1;
    if (n == 1) continue;
    std::vector<re2::StringPiece> unanchored(static_cast<std::size_t>(n)), anchored(static_cast<std::size_t>(n));
    for (const std::string& text : texts) {
      for (const Span& span : sentences_of(text)) {
        const std::string_view s = std::string_view(text).substr(span.begin, span.end - span.begin);
        for (std::size_t pos = 0; pos <= s.size() && re->Match(s, pos, s.size(), RE2::UNANCHORED, unanchored.data(), n);) {
          const auto b = static_cast<std::size_t>(unanchored[0].data() - s.data());
          const std::size_t e = b + unanchored[0].size();
          REQUIRE(re->Match(s, b, e, RE2::ANCHOR_BOTH, anchored.data(), n));
          for (int g = 0; g < n; ++g) {
            CAPTURE(re->pattern());
            CHECK(anchored[static_cast<std::size_t>(g)].data() == unanchored[static_cast<std::size_t>(g)].data());
            CHECK(anchored[static_cast<std::size_t>(g)].size() == unanchored[static_cast<std::size_t>(g)].size());
          }
          ++compared;
          pos = e > b ? e : e + 1;
        }
      }
    }
  }
  CHECK(compared > 200);
}
