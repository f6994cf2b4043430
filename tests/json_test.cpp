// Tests for selftalk/json.h: always valid JSON, exact numbers, schema fields present.
#include <nlohmann/json.hpp>

#include "test_util.h"

using namespace selftalk;

TEST_CASE("strings are escaped - invalid UTF-8 becomes U+FFFD") {
  std::string out;
  append_json_string(out, std::string("a\"b\\c\n\t\x01\x7f\xc3\xa9\xff", 12));
  CHECK(out == "\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\u00e9\\ufffd\"");
  auto parsed = nlohmann::json::parse(out);
  CHECK(parsed.get<std::string>() == std::string("a\"b\\c\n\t\x01\x7f\u00e9\uFFFD"));
}

TEST_CASE("an analysis serialises to JSON a parser accepts - with the documented fields") {
  Analyzer an(selftalk::test::default_rules());
  std::string text = "I\u2019m such a failure \U0001F622. I want to die.";
  Analysis a = an.analyze(text);
  std::string out;
  append_json(out, a);
  auto j = nlohmann::json::parse(out);
  REQUIRE(j["findings"].size() == a.findings.size());
  CHECK(j["safety"] == true);
  CHECK(j["findings"][0]["category"] == "safety");
  for (const auto& f : j["findings"]) {
    std::size_t s = f["start"], e = f["end"];
    CHECK(text.substr(s, e - s) == f["text"].get<std::string>());
    for (const char* k : {"rule", "category", "pillar", "severity", "line", "column", "cp_start", "cp_end",
                          "utf16_start", "utf16_end", "sentence", "message", "reported", "friend_view", "reframes",
                          "support"})
      CHECK_MESSAGE(f.contains(k), k);
  }
  for (const char* k : {"words", "sentences", "categories", "pillars", "critic_intensity", "absolutist_words",
                        "absolutist_rate"})
    CHECK_MESSAGE(j["scores"].contains(k), k);
  CHECK(j["scores"]["categories"].size() == kCategoryCount);
}
