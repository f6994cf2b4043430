// Tests for selftalk/ruleset.h: compile errors are values with locations; nothing is skipped.
#include "test_util.h"

using namespace selftalk;
using selftalk::test::compile_texts;
using selftalk::test::one_rule_pack;

namespace {
Error compile_error(const std::string& text) {
  auto r = compile_texts({text});
  REQUIRE_MESSAGE(!r.ok(), "expected a compile error");
  return r.error();
}
}  // namespace

TEST_CASE("the default ruleset compiles and knows every category") {
  auto rules = selftalk::test::default_rules();
  std::array<int, kCategoryCount> per{};
  for (const RuleSpec* r : rules->rules()) ++per[static_cast<std::size_t>(r->category)];
  for (std::size_t i = 0; i < kCategoryCount; ++i) {
    CAPTURE(to_string(static_cast<Category>(i)));
    CHECK(per[i] > 0);
  }
  CHECK(rules->language() == "en");
}

TEST_CASE("default rules use the pillar their category opposes") {
  for (const RuleSpec* r : selftalk::test::default_rules()->rules()) {
    CAPTURE(r->id);
    CHECK(r->pillar == default_pillar(r->category));
    CHECK(r->id.rfind(std::string(to_string(r->category)) + ".", 0) == 0);
  }
}

TEST_CASE("a broken regex is an error naming file - line - rule and RE2's reason") {
  Error e = compile_error(one_rule_pack(R"re("I (always")re"));
  CHECK(e.where.file == "test1.json");
  CHECK(e.where.line == 4);
  CHECK(e.rule == "t.rule");
  CHECK(e.pack == "t");
  CHECK(e.message.find("missing )") != std::string::npos);
}

TEST_CASE("a pattern over RE2's memory budget is an error") {
  Error e = compile_error(one_rule_pack(R"("\\pN{1000}\\pN{1000}\\pN{1000}")"));
  CHECK(e.rule == "t.rule");
  CHECK(e.where.line == 4);
  CHECK(e.message.find("exceeds RE2's memory budget") != std::string::npos);
}

TEST_CASE("macros expand - may nest - and errors are reported") {
  auto ok = compile_texts({one_rule_pack(R"("{{A}} x")", "", R"("macros": {"A": "{{B}}y", "B": "z"},)")});
  REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? "" : ok.error().to_string()));
  Analyzer an(*ok);
  CHECK(an.analyze("zy x").findings.size() == 1);
  CHECK(an.analyze("y x").findings.empty());

  Error unknown = compile_error(one_rule_pack(R"("{{NOPE}}")"));
  CHECK(unknown.message.find("unknown macro {{NOPE}}") != std::string::npos);
  Error cycle = compile_error(one_rule_pack(R"("{{A}}")", "", R"("macros": {"A": "{{B}}", "B": "{{A}}"},)"));
  CHECK(cycle.message.find("cycle") != std::string::npos);
  auto twice = compile_texts({one_rule_pack(R"("x")", "", R"("macros": {"A": "1"},)"),
                              R"({"name": "u", "version": "1", "language": "en", "macros": {"A": "2"}, "rules": []})"});
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().message.find("already defined") != std::string::npos);
}

TEST_CASE("duplicate rule ids across packs are an error") {
  std::string a = one_rule_pack(R"("x")");
  std::string b = a;
  b.replace(b.find(R"("name": "t")"), 11, R"("name": "u")");
  auto r = compile_texts({a, b});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("duplicate rule id 't.rule'") != std::string::npos);
  CHECK(r.error().where.file == "test2.json");
}

TEST_CASE("templates: unknown slots and filters are errors with their location") {
  std::string t = one_rule_pack(R"re("(?P<label>idiot)")re");
  t.replace(t.find(R"("text": "one")"), std::string(R"("text": "one")").size(), R"("text": "not a {lable}")");
  Error e = compile_error(t);
  CHECK(e.message.find("unknown slot {lable}") != std::string::npos);
  CHECK(e.where.line == 7);
  CHECK(e.rule == "t.rule");

  std::string f = one_rule_pack(R"("x")");
  f.replace(f.find(R"("text": "one")"), std::string(R"("text": "one")").size(), R"("text": "{match|shout}")");
  CHECK(compile_error(f).message.find("unknown filter 'shout'") != std::string::npos);

  std::string g = one_rule_pack(R"re("(?P<label>idiot)")re");
  g.replace(g.find(R"("text": "one")"), std::string(R"("text": "one")").size(), R"("text": "a {label}")");
  CHECK(compile_texts({g}).ok());
}

TEST_CASE("reframe requirements: safety has none - others have two") {
  std::string safety = one_rule_pack(R"("x")", "", R"("support_message": "help",)");
  safety.replace(safety.find(R"("category": "absolute", "pillar": "mindfulness")"),
                 std::string(R"("category": "absolute", "pillar": "mindfulness")").size(),
                 R"("category": "safety", "pillar": "none")");
  CHECK(compile_error(safety).message.find("must not have reframes") != std::string::npos);

  std::string one = one_rule_pack(R"("x")");
  one.erase(one.find(R"(, {"strategy": "evidence", "text": "two"})"),
            std::string(R"(, {"strategy": "evidence", "text": "two"})").size());
  CHECK(compile_error(one).message.find("at least two") != std::string::npos);
}

TEST_CASE("apostrophes in patterns match straight and curly ones alike") {
  auto r = compile_texts({one_rule_pack(R"("\\bi'm useless", "can[’]t win")")});
  REQUIRE(r.ok());
  Analyzer an(*r);
  CHECK(an.analyze("I'm useless").findings.size() == 1);
  CHECK(an.analyze("I\u2019m useless").findings.size() == 1);
  CHECK(an.analyze("I CAN'T WIN").findings.size() == 1);
  CHECK(an.analyze("Im useless").findings.empty());
}

TEST_CASE("no packs is an error") { CHECK_FALSE(Ruleset::compile({}).ok()); }

TEST_CASE("find_rule") {
  auto rules = selftalk::test::default_rules();
  const RuleSpec* first = rules->rules().front();
  CHECK(rules->find_rule(first->id) == first);
  CHECK(rules->find_rule("no.such-rule") == nullptr);
}
