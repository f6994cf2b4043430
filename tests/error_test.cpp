// Tests for selftalk/error.h.
#include "test_util.h"

using selftalk::Error;
using selftalk::Result;

TEST_CASE("Error::to_string names file - line - column - pack and rule") {
  Error e{"bad pattern", {"rules/x.json", 12, 7}, "en-x", "x.rule"};
  CHECK(e.to_string() == "rules/x.json:12:7: en-x/x.rule: bad pattern");
  CHECK(Error{"m", {"f.json", 3, 0}, "", ""}.to_string() == "f.json:3: m");
  CHECK(Error{"m", {}, "p", ""}.to_string() == "p: m");
  CHECK(Error{"m", {}, "", "r"}.to_string() == "r: m");
  CHECK(Error{"m", {}, "", ""}.to_string() == "m");
}

TEST_CASE("Result holds a value or an error") {
  Result<int> ok = 5;
  REQUIRE(ok.ok());
  CHECK(*ok == 5);
  Result<int> bad = Error{"nope", {}, "", ""};
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "nope");
}

TEST_CASE("version matches the header") { CHECK(std::string(selftalk::version()) == SELFTALK_VERSION_STRING); }
