// Every example of every rule in every default pack behaves as declared.
#include "test_util.h"

using namespace selftalk;

TEST_CASE("every rule example of the default packs passes") {
  auto rules = selftalk::test::default_rules();
  std::size_t examples = 0;
  for (const RuleSpec* r : rules->rules()) {
    CHECK_MESSAGE(!r->match_examples.empty(), r->id);
    CHECK_MESSAGE(!r->no_match_examples.empty(), r->id);
    examples += r->match_examples.size() + r->no_match_examples.size();
  }
  CHECK(examples >= 2 * rules->rules().size());
  for (const ExampleFailure& f : check_examples(rules)) {
    std::string what = f.example.where.file + ":" + std::to_string(f.example.where.line) + ": " + f.rule + ": " +
                       (f.expected_match ? "does not match " : "matches ") + f.example.text;
    FAIL_CHECK(what);
  }
}

TEST_CASE("check_examples reports a failing example with its location") {
  auto rules = selftalk::test::compile_texts({selftalk::test::one_rule_pack(R"("\\bx\\b")")});
  REQUIRE(rules.ok());
  CHECK(check_examples(*rules).empty());
  std::string bad = selftalk::test::one_rule_pack(R"("\\by\\b")");
  auto broken = selftalk::test::compile_texts({bad});
  REQUIRE(broken.ok());
  auto failures = check_examples(*broken);
  REQUIRE(failures.size() == 2);  // "x" does not match, "y" does
  CHECK(failures[0].expected_match);
  CHECK_FALSE(failures[1].expected_match);
  CHECK(failures[0].example.where.line > 0);
}
