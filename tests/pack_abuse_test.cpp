// Rule pack abuse (docs/reliability.md): each bad pack is one clear error naming file, line and
// rule, and never a partial load: no Ruleset, and on the command line exit 3 with no analysis.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "app.h"
#include "test_util.h"

namespace {

using selftalk::Error;
using selftalk::test::compile_texts;
using selftalk::test::one_rule_pack;

// Parses and compiles one pack named "abuse.json"; returns the error (failing the test if none).
Error abuse_error(const std::string& json) {
  auto pack = selftalk::parse_pack(json, "abuse.json");
  if (!pack) return pack.error();
  std::vector<selftalk::RulePack> packs;
  packs.push_back(std::move(pack).value());
  auto rules = selftalk::Ruleset::compile(std::move(packs));
  REQUIRE_MESSAGE(!rules.ok(), "the pack was accepted");
  return rules.error();
}

// 1-based line of the first occurrence of `needle` in `text`.
int line_of(const std::string& text, const std::string& needle) {
  std::size_t at = text.find(needle);
  REQUIRE_MESSAGE(at != std::string::npos, needle);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  std::size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

// A rule object, one per line, with its own id and pattern.
std::string rule_json(const std::string& id, const std::string& pattern) {
  return R"({"id": ")" + id + R"(", "category": "absolute", "pillar": "mindfulness", "severity": "low", "patterns": [")" +
         pattern + R"("], "message": "m", "friend": "friend {match}", "reframes": [{"strategy": "specific", "text": "one"}, )"
         R"({"strategy": "evidence", "text": "two"}], "examples": {"match": ["x"], "no_match": ["y"]}})";
}

std::string pack_of(const std::vector<std::string>& rules) {
  std::string out = "{\"name\": \"many\", \"version\": \"1\", \"language\": \"en\",\n\"rules\": [\n";
  for (std::size_t i = 0; i < rules.size(); ++i) out += rules[i] + (i + 1 < rules.size() ? ",\n" : "\n");
  return out + "]}\n";
}

// The command line with `--rules pack`: exit 3, the error on stderr, nothing analysed.
void check_cli_refuses(const std::string& json, const std::string& expected_message) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("selftalk-abuse-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path file = dir / "abuse.json";
  std::ofstream(file, std::ios::binary) << json;
  std::string arg_rules = file.string();
  std::vector<std::string> args = {"selftalk", "--rules", arg_rules, "--format", "json"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  std::istringstream in("I always ruin everything. I'm such a failure.");
  std::ostringstream out, err;
  int code = selftalk::cli::run(static_cast<int>(argv.size()), argv.data(), in, out, err);
  fs::remove_all(dir);
  CHECK(code == selftalk::cli::kExitRulePack);
  CHECK(out.str().empty());
  CHECK(err.str().find("abuse.json:") != std::string::npos);
  CHECK(err.str().find(expected_message) != std::string::npos);
}

}  // namespace

// \pN (any number) compiles to about 80 RE2 instructions; 3,000 of them exceed the 8 MiB budget.
TEST_CASE("pack abuse: a pattern over RE2's memory budget names its rule and line") {
  std::string json = pack_of({rule_json("ok.one", "fine"), rule_json("too.big", "\\\\pN{1000}\\\\pN{1000}\\\\pN{1000}")});
  Error e = abuse_error(json);
  CHECK(e.where.file == "abuse.json");
  CHECK(e.where.line == line_of(json, "too.big"));
  CHECK(e.rule == "too.big");
  CHECK(e.pack == "many");
  CHECK(e.message.find("exceeds RE2's memory budget") != std::string::npos);
  check_cli_refuses(json, "exceeds RE2's memory budget");
}

TEST_CASE("pack abuse: a pattern over the budget in an exception or a context cue is an error too") {
  std::string big = R"("\\pN{1000}\\pN{1000}\\pN{1000}")";
  Error in_exception = abuse_error(one_rule_pack(R"("x")", R"("exceptions": [)" + big + "],"));
  CHECK(in_exception.rule == "t.rule");
  CHECK(in_exception.message.find("memory budget") != std::string::npos);

  std::string cue = one_rule_pack(R"("x")", "", R"("context": {"negation": [)" + big + "]},\n");
  Error in_cue = abuse_error(cue);
  CHECK(in_cue.where.line == line_of(cue, "\"negation\""));
  CHECK(in_cue.message.find("memory budget") != std::string::npos);
}

TEST_CASE("pack abuse: 10 000 rules compile - and the last one still fires") {
  std::vector<std::string> rules;
  for (int i = 0; i < 10'000; ++i) {
    std::string n = std::to_string(i);
    rules.push_back(rule_json("many.r" + n, "\\\\bzq" + n + "x\\\\b"));
  }
  std::string json = pack_of(rules);
  auto pack = selftalk::parse_pack(json, "many.json");
  REQUIRE_MESSAGE(pack.ok(), (pack.ok() ? "" : pack.error().to_string()));
  CHECK(pack->rules.back().where.line == line_of(json, "many.r9999\""));
  std::vector<selftalk::RulePack> packs;
  packs.push_back(std::move(pack).value());
  auto compiled = selftalk::Ruleset::compile(std::move(packs));
  REQUIRE_MESSAGE(compiled.ok(), (compiled.ok() ? "" : compiled.error().to_string()));
  CHECK((*compiled)->rules().size() == 10'000);
  selftalk::Analyzer analyzer(*compiled);
  auto a = analyzer.analyze("Today zq9999x and zq0x, but not zq10000x.");
  REQUIRE(a.findings.size() == 2);
  CHECK(a.findings[0].rule == "many.r9999");
  CHECK(a.findings[1].rule == "many.r0");
}

TEST_CASE("pack abuse: a bad rule among 10 000 fails the whole pack - naming the rule and its line") {
  std::vector<std::string> rules;
  for (int i = 0; i < 10'000; ++i) rules.push_back(rule_json("many.r" + std::to_string(i), "zq" + std::to_string(i)));
  rules[7'777] = rule_json("many.r7777", "(unclosed");
  std::string json = pack_of(rules);
  Error e = abuse_error(json);
  CHECK(e.rule == "many.r7777");
  CHECK(e.where.line == line_of(json, "many.r7777\""));
  CHECK(e.message.find("missing )") != std::string::npos);
}

TEST_CASE("pack abuse: duplicate ids - in one pack or across two - name the second one") {
  std::string json = pack_of({rule_json("dup.id", "one"), rule_json("other", "two"), rule_json("dup.id", "three")});
  Error e = abuse_error(json);
  CHECK(e.message.find("duplicate rule id 'dup.id'") != std::string::npos);
  CHECK(e.rule == "dup.id");
  CHECK(e.where.line == 5);  // the second "dup.id", not the first (line 3)
  check_cli_refuses(json, "duplicate rule id 'dup.id'");

  std::string other = replace(one_rule_pack(R"("x")"), R"("name": "t")", R"("name": "u")");
  auto r = compile_texts({one_rule_pack(R"("y")"), other});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().where.file == "test2.json");
  CHECK(r.error().pack == "u");
}

TEST_CASE("pack abuse: unknown fields are errors at every level - with their location") {
  std::string rule_level = one_rule_pack(R"("x")", R"("exeptions": ["x"],)");
  Error r = abuse_error(rule_level);
  CHECK(r.message.find("unknown field 'exeptions'") != std::string::npos);
  CHECK(r.rule == "t.rule");
  CHECK(r.where.line == line_of(rule_level, "\"t.rule\""));

  std::string pack_level = "{\"name\": \"p\", \"version\": \"1\", \"language\": \"en\",\n\"colour\": \"red\",\n\"rules\": []}";
  Error p = abuse_error(pack_level);
  CHECK(p.message.find("unknown field 'colour'") != std::string::npos);
  CHECK(p.where.line == 2);

  Error reframe = abuse_error(replace(one_rule_pack(R"("x")"), R"("text": "one")", R"("text": "one", "tone": "warm")"));
  CHECK(reframe.message.find("unknown field 'tone'") != std::string::npos);
  Error examples = abuse_error(replace(one_rule_pack(R"("x")"), R"("no_match": ["y"])", R"("no_match": ["y"], "maybe": [])"));
  CHECK(examples.message.find("unknown field 'maybe'") != std::string::npos);
  check_cli_refuses(rule_level, "unknown field 'exeptions'");
}

TEST_CASE("pack abuse: wrong types are errors naming the field and the type found") {
  struct Case {
    const char* from;
    const char* to;
    const char* message;
  };
  const Case cases[] = {
      {R"("severity": "medium")", R"("severity": 2)", "'severity' must be a string, not number"},
      {R"("message": "m")", R"("message": null)", "'message' must be a string, not null"},
      {R"("patterns": ["x"])", R"("patterns": "x")", "'patterns' must be an array of strings"},
      {R"("patterns": ["x"])", R"("patterns": [["x"]])", "'patterns' must be an array of strings"},
      {R"("reframes": [{"strategy": "specific", "text": "one"}, {"strategy": "evidence", "text": "two"}])",
       R"("reframes": {"a": 1})", "'reframes' must be an array"},
      {R"("reframes": [{"strategy": "specific", "text": "one"}, )", R"("reframes": ["one", )", "reframe must be an object"},
      {R"("examples": {"match": ["x"], "no_match": ["y"]})", R"("examples": [])", "examples must be an object"},
      {R"("id": "t.rule")", R"("id": 7)", "'id'"},
      {R"("version": "1")", R"("version": 1)", "'version' must be a string, not number"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.to);
    std::string json = replace(one_rule_pack(R"("x")"), c.from, c.to);
    Error e = abuse_error(json);
    CHECK(e.message.find(c.message) != std::string::npos);
    CHECK(e.where.file == "abuse.json");
  }
  Error rules_object = abuse_error(R"({"name": "p", "version": "1", "language": "en", "rules": {}})");
  CHECK(rules_object.message.find("'rules' must be an array") != std::string::npos);
  check_cli_refuses(replace(one_rule_pack(R"("x")"), R"("severity": "medium")", R"("severity": 2)"),
                    "'severity' must be a string");
}

TEST_CASE("pack abuse: a template with an unknown slot names the slot - the rule and the template's line") {
  std::string json = replace(one_rule_pack(R"re("(?P<label>idiot)")re"), R"("text": "two")", R"("text": "you are not {lable}")");
  Error e = abuse_error(json);
  CHECK(e.message.find("unknown slot {lable}") != std::string::npos);
  CHECK(e.rule == "t.rule");
  CHECK(e.where.line == line_of(json, "{lable}"));
  check_cli_refuses(json, "unknown slot {lable}");

  // A slot only some patterns capture is unknown too: the template could not always be filled.
  std::string partial = replace(one_rule_pack(R"re("(?P<label>idiot)", "fool")re"), R"("text": "two")", R"("text": "not {label}")");
  CHECK(abuse_error(partial).message.find("unknown slot {label}") != std::string::npos);

  std::string friend_view = replace(one_rule_pack(R"("x")"), R"("friend {match|you}")", R"("friend {who}")");
  Error f = abuse_error(friend_view);
  CHECK(f.message.find("unknown slot {who}") != std::string::npos);
  CHECK(f.where.line == line_of(friend_view, "{who}"));
}

TEST_CASE("pack abuse: a broken pack among good ones loads nothing") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("selftalk-abuse-dir-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "a-good.json", std::ios::binary) << one_rule_pack(R"("x")");
  std::ofstream(dir / "b-bad.json", std::ios::binary)
      << replace(replace(one_rule_pack(R"("y")"), R"("name": "t")", R"("name": "u")"), R"("t.rule")", R"("u.rule", "colour": 1)");
  auto packs = selftalk::load_packs(dir.string());
  REQUIRE_FALSE(packs.ok());
  CHECK(packs.error().where.file == (dir / "b-bad.json").string());
  CHECK(packs.error().rule == "u.rule");
  fs::remove_all(dir);
}
