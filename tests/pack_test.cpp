// Tests for selftalk/pack.h: parsing is strict and every error says where.
#include <filesystem>

#include "test_util.h"

using namespace selftalk;
using selftalk::test::one_rule_pack;

TEST_CASE("a valid pack parses into plain data - comments allowed") {
  std::string text = "// a comment\n" + one_rule_pack(R"("\\balways\\b")", R"("exceptions": ["tea"],)");
  auto pack = parse_pack(text, "mine.json");
  REQUIRE_MESSAGE(pack.ok(), (pack.ok() ? "" : pack.error().to_string()));
  CHECK(pack->name == "t");
  CHECK(pack->source == "mine.json");
  REQUIRE(pack->rules.size() == 1);
  const RuleSpec& r = pack->rules[0];
  CHECK(r.id == "t.rule");
  CHECK(r.category == Category::kAbsolute);
  CHECK(r.pillar == Pillar::kMindfulness);
  CHECK(r.severity == Severity::kMedium);
  REQUIRE(r.patterns.size() == 1);
  CHECK(r.patterns[0].text == "\\balways\\b");
  CHECK(r.exceptions.at(0).text == "tea");
  CHECK(r.reframes.size() == 2);
  CHECK(r.where.file == "mine.json");
  CHECK(r.where.line == 4);  // the line of the rule's id
}

TEST_CASE("JSON syntax errors name file - line and column") {
  auto pack = parse_pack("{\n  \"name\": \"x\",\n  \"version\": 1,,\n}", "broken.json");
  REQUIRE_FALSE(pack.ok());
  CHECK(pack.error().where.file == "broken.json");
  CHECK(pack.error().where.line == 3);
  CHECK(pack.error().where.column > 0);
  CHECK(pack.error().message.find("invalid JSON") == 0);
}

TEST_CASE("a missing required field names the rule and the field") {
  std::string text = one_rule_pack(R"("x")");
  std::string without = text;
  without.erase(without.find(R"("message": "m",)"), std::string(R"("message": "m",)").size());
  auto pack = parse_pack(without, "f.json");
  REQUIRE_FALSE(pack.ok());
  CHECK(pack.error().rule == "t.rule");
  CHECK(pack.error().message.find("'message'") != std::string::npos);
  CHECK(pack.error().where.file == "f.json");
  CHECK(pack.error().where.line == 3);
  CHECK(pack.error().to_string().find("f.json:3:") == 0);
}

TEST_CASE("unknown fields - wrong types and unknown ids are errors") {
  SUBCASE("unknown rule field") {
    auto p = parse_pack(one_rule_pack(R"("x")", R"("exeptions": ["x"],)"), "f.json");
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().message.find("unknown field 'exeptions'") != std::string::npos);
    CHECK(p.error().rule == "t.rule");
  }
  SUBCASE("unknown pack field") {
    auto p = parse_pack(one_rule_pack(R"("x")", "", R"("colour": "red",)"), "f.json");
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().message.find("unknown field 'colour'") != std::string::npos);
    CHECK(p.error().where.line == 1);
  }
  SUBCASE("wrong type") {
    std::string t = one_rule_pack(R"("x")");
    t.replace(t.find(R"("severity": "medium")"), std::string(R"("severity": "medium")").size(), R"("severity": 2)");
    auto p = parse_pack(t, "f.json");
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().message.find("'severity' must be a string") != std::string::npos);
  }
  SUBCASE("patterns not an array of strings") {
    auto p = parse_pack(one_rule_pack(R"("x", 3)"), "f.json");
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().message.find("'patterns' must be an array of strings") != std::string::npos);
  }
  SUBCASE("unknown category") {
    std::string t = one_rule_pack(R"("x")");
    t.replace(t.find(R"("absolute")"), 10, R"("grumpy")");
    auto p = parse_pack(t, "f.json");
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().message.find("unknown category 'grumpy'") != std::string::npos);
  }
  SUBCASE("unknown context check") {
    auto p = parse_pack(one_rule_pack(R"("x")", R"("ignore_context": ["tense"],)"), "f.json");
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().message.find("unknown check 'tense'") != std::string::npos);
  }
  SUBCASE("examples are required on both sides") {
    std::string t = one_rule_pack(R"("x")");
    t.replace(t.find(R"("no_match": ["y"])"), std::string(R"("no_match": ["y"])").size(), R"("no_match": [])");
    auto p = parse_pack(t, "f.json");
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().message.find("no_match") != std::string::npos);
  }
  SUBCASE("the root must be an object") {
    auto p = parse_pack("[1, 2]", "f.json");
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().message.find("must be an object") != std::string::npos);
  }
}

TEST_CASE("load_pack_file and load_packs read files and directories") {
  auto missing = load_pack_file("/nonexistent/pack.json");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().where.file == "/nonexistent/pack.json");

  auto dir = load_packs(selftalk::test::source_path("rules/en"));
  REQUIRE_MESSAGE(dir.ok(), (dir.ok() ? "" : dir.error().to_string()));
  CHECK(dir->size() >= 3);
  for (std::size_t i = 1; i < dir->size(); ++i) CHECK((*dir)[i - 1].source < (*dir)[i].source);
}

TEST_CASE("default_packs are the files of rules/en - embedded") {
  auto embedded = default_packs();
  REQUIRE_MESSAGE(embedded.ok(), (embedded.ok() ? "" : embedded.error().to_string()));
  auto on_disk = load_packs(selftalk::test::source_path("rules/en"));
  REQUIRE(on_disk.ok());
  REQUIRE(embedded->size() == on_disk->size());
  for (std::size_t i = 0; i < embedded->size(); ++i) {
    CHECK((*embedded)[i].name == (*on_disk)[i].name);
    CHECK((*embedded)[i].rules.size() == (*on_disk)[i].rules.size());
    CHECK((*embedded)[i].source.rfind("rules/en/", 0) == 0);
  }
}

TEST_CASE("merge_packs replaces a pack of the same name and adds the others") {
  RulePack a, b, c;
  a.name = "one";
  a.version = "1";
  b.name = "two";
  c.name = "one";
  c.version = "2";
  auto merged = merge_packs({a, b}, {c});
  REQUIRE(merged.size() == 2);
  CHECK(merged[0].version == "2");
  CHECK(merged[1].name == "two");
}
