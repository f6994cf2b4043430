// The context engine's clauses and quotes (lib/src/context.h): where a cue may stand before a
// match, and what a reframe's {clause} holds.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "context.h"

using selftalk::detail::clause_begin;
using selftalk::detail::clause_end;

namespace {
// The weak clause around the first occurrence of `match` in `s`.
std::string weak_clause(std::string_view s, std::string_view match) {
  const std::size_t at = s.find(match);
  REQUIRE(at != std::string_view::npos);
  const std::size_t b = clause_begin(s, at, /*weak=*/true), e = clause_end(s, at + match.size());
  std::string_view clause = s.substr(b, e - b);
  while (!clause.empty() && clause.front() == ' ') clause.remove_prefix(1);
  return std::string(clause);
}
}  // namespace

TEST_CASE("clauses: weak ones end at commas - colons - brackets - quotes and dashes - strong ones do not") {
  CHECK(weak_clause("I tried, I failed again. Then", "failed") == "I failed again");
  CHECK(weak_clause("Honestly: I failed (again) today", "failed") == "I failed");
  CHECK(weak_clause("He said \"I failed\" and left", "failed") == "I failed");
  // Em and en dashes and curly double quotes, on either side; other characters of three bytes
  // beginning 0xE2 (’ … ‘) do not end a clause.
  CHECK(weak_clause("It went wrong \u2014 I failed again \u2014 as always", "failed") == "I failed again");
  CHECK(weak_clause("It went wrong \u2013 I failed again \u2013 as always", "failed") == "I failed again");
  CHECK(weak_clause("She wrote \u201CI failed again\u201D to me", "failed") == "I failed again");
  CHECK(weak_clause("I\u2019m sure I failed again\u2026 as always", "failed") == "I\u2019m sure I failed again\u2026 as always");
  CHECK(weak_clause("\u2018Well\u2019 I failed", "failed") == "\u2018Well\u2019 I failed");
  // Strong clauses end only at ; . ! ? and contrast words.
  const std::string_view s = "It went wrong \u2014 but I failed";
  CHECK(clause_begin(s, s.find("I failed"), /*weak=*/false) == s.find("but") + 4);
  CHECK(clause_begin("Fine, I failed", 6, /*weak=*/false) == 0);
  CHECK(clause_begin("Fine; I failed", 6, /*weak=*/false) == 5);
}

TEST_CASE("clauses: strong ones end after a contrast word in any case - not after words that end so") {
  for (const char* word : {"but", "though", "although", "however", "yet", "BUT", "However", "YET"}) {
    const std::string s = std::string("It was fine ") + word + " I failed";
    CAPTURE(s);
    CHECK(clause_begin(s, s.find("I failed"), /*weak=*/false) == s.find("I failed"));
    CHECK(clause_begin(s, s.find("I failed"), /*weak=*/true) == s.find("I failed"));
  }
  for (const char* word : {"abut", "hut", "cloth", "ever", "whoever", "bet", "ahowever"}) {
    const std::string s = std::string("It was fine ") + word + " I failed";
    CAPTURE(s);
    CHECK(clause_begin(s, s.find("I failed"), /*weak=*/false) == 0);
  }
}

TEST_CASE("clauses: at most kCueWindow bytes each way - cut at a whole word") {
  std::string words;
  while (words.size() < 3 * selftalk::detail::kCueWindow) words += "and then ";
  const std::string s = words + "I failed " + words;
  const std::size_t at = s.find("I failed");
  const std::size_t b = clause_begin(s, at, /*weak=*/true), e = clause_end(s, at + 8);
  CHECK(at - b <= selftalk::detail::kCueWindow);
  CHECK(e - (at + 8) <= selftalk::detail::kCueWindow);
  CHECK(s[b - 1] == ' ');  // a whole word first
  CHECK(s[e] == ' ');      // and last
}
