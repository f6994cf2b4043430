// Tests for the command line (cli/src/app.h): outputs, formats, exit codes.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "app.h"
#include "cli_util.h"
#include "test_util.h"

namespace {

using selftalk::test::Run;
using selftalk::test::run_cli;

// A file in a fresh temporary directory, removed with the object.
struct TempFile {
  selftalk::test::TempDir dir;
  std::filesystem::path path;
  explicit TempFile(const std::string& name, const std::string& content) : path(dir.write(name, content)) {}
  std::string str() const { return path.string(); }
};

}  // namespace

TEST_CASE("cli: the README example names absolute - should and self_label with reframes") {
  Run r = run_cli({}, "I always ruin everything. I should have known better. I'm such a failure.\n");
  CHECK(r.code == 0);
  CHECK(r.out.find("<stdin>:1:1: absolute: ") != std::string::npos);
  CHECK(r.out.find(": should: ") != std::string::npos);
  CHECK(r.out.find(": self_label: ") != std::string::npos);
  std::size_t tries = 0;
  for (std::size_t p = r.out.find("try: "); p != std::string::npos; p = r.out.find("try: ", p + 1)) ++tries;
  CHECK(tries >= 6);
  CHECK(r.out.find("a friend: ") != std::string::npos);
  CHECK(r.out.find("\x1b[") == std::string::npos);  // not a terminal: no colour
}

TEST_CASE("cli: --color always colours - the text has no escapes otherwise") {
  Run r = run_cli({"--color", "always"}, "I'm such a failure.");
  CHECK(r.out.find("\x1b[") != std::string::npos);
}

TEST_CASE("cli: --format json parses and its spans cut the input exactly") {
  std::string input = "Caf\u00e9 \U0001F600 it\u2019s fine. I\u2019m such a failure. na\u00efve \U0001F622 I always ruin everything.";
  Run r = run_cli({"--format", "json"}, input);
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["documents"].size() == 1);
  const auto& findings = j["documents"][0]["findings"];
  REQUIRE(findings.size() >= 2);
  for (const auto& f : findings) {
    std::size_t s = f["start"], e = f["end"];
    CHECK(input.substr(s, e - s) == f["text"].get<std::string>());
  }
  CHECK(j["summary"]["words"].get<int>() > 0);
}

TEST_CASE("cli: a broken rule pack exits 3 naming the file and the rule") {
  TempFile bad_regex("bad.json", selftalk::test::one_rule_pack(R"re("I (always")re"));
  Run r = run_cli({"--rules", bad_regex.str()}, "text");
  CHECK(r.code == 3);
  CHECK(r.err.find(bad_regex.str() + ":4:") != std::string::npos);
  CHECK(r.err.find("t.rule") != std::string::npos);
  CHECK(r.err.find("missing )") != std::string::npos);

  std::string pack = selftalk::test::one_rule_pack(R"("x")");
  pack.erase(pack.find(R"("message": "m",)"), std::string(R"("message": "m",)").size());
  TempFile missing("missing.json", pack);
  Run m = run_cli({"--rules", missing.str()}, "text");
  CHECK(m.code == 3);
  CHECK(m.err.find(missing.str() + ":3:") != std::string::npos);
  CHECK(m.err.find("t.rule") != std::string::npos);
  CHECK(m.err.find("'message'") != std::string::npos);
}

TEST_CASE("cli: --rules adds a pack - --no-default-rules uses only it") {
  TempFile pack("extra.json", selftalk::test::one_rule_pack(R"("\\bbanana\\b")"));
  auto categories = [](const std::string& jsonl) {
    std::set<std::string> out;
    const nlohmann::json doc = nlohmann::json::parse(jsonl);
    for (const auto& f : doc["findings"]) out.insert(f["category"].get<std::string>() + ":" + f["rule"].get<std::string>());
    return out;
  };
  Run both = run_cli({"--rules", pack.str(), "--format", "jsonl"}, "banana. I'm such a failure.");
  auto b = categories(both.out);
  CHECK(b.count("absolute:t.rule") == 1);
  CHECK(std::any_of(b.begin(), b.end(), [](const std::string& c) { return c.rfind("self_label:", 0) == 0; }));
  Run only = run_cli({"--no-default-rules", "--rules", pack.str(), "--format", "jsonl"}, "banana. I'm such a failure.");
  auto o = categories(only.out);
  CHECK(o == std::set<std::string>{"absolute:t.rule"});
}

TEST_CASE("cli: JSONL records round-trip their ids for 1 000 records") {
  std::string input;
  for (int i = 0; i < 1000; ++i) {
    nlohmann::json rec;
    if (i % 3 == 0) rec["id"] = i;
    else rec["id"] = "rec-" + std::to_string(i) + (i % 7 == 0 ? "-\u00e9\"q" : "");
    rec["text"] = i % 2 ? "I'm such a failure." : "We walked the dog.";
    input += rec.dump() + "\n";
  }
  Run r = run_cli({"--input-format", "jsonl", "--format", "jsonl"}, input);
  REQUIRE(r.code == 0);
  std::istringstream lines(r.out), want(input);
  std::string got_line, want_line;
  int n = 0;
  while (std::getline(want, want_line)) {
    REQUIRE(std::getline(lines, got_line));
    auto got = nlohmann::json::parse(got_line);
    auto expected = nlohmann::json::parse(want_line);
    CHECK(got["id"] == expected["id"]);
    CHECK(got["findings"].size() == (n % 2 ? 1u : 0u));
    for (const auto& f : got["findings"])
      for (const char* k : {"category", "rule", "start", "end", "reframes"}) CHECK(f.contains(k));
    ++n;
  }
  CHECK(n == 1000);
  CHECK_FALSE(std::getline(lines, got_line));
}

TEST_CASE("cli: a broken JSONL line becomes an error record - the rest are analysed - exit 4") {
  Run r = run_cli({"--input-format", "jsonl", "--format", "jsonl"},
                  "{\"id\": 1, \"text\": \"I'm such a failure.\"}\n{\"id\": 2, \"text\": \n{\"id\": 3, \"text\": \"ok\"}\n"
                  "{\"text\": \"no id\"}\n");
  CHECK(r.code == 4);
  std::istringstream lines(r.out);
  std::string l1, l2, l3, l4;
  REQUIRE(std::getline(lines, l1));
  REQUIRE(std::getline(lines, l2));
  REQUIRE(std::getline(lines, l3));
  REQUIRE(std::getline(lines, l4));
  CHECK(nlohmann::json::parse(l1)["id"] == 1);
  CHECK(nlohmann::json::parse(l2).contains("error"));
  CHECK(nlohmann::json::parse(l3)["id"] == 3);
  CHECK(nlohmann::json::parse(l4).contains("error"));
  CHECK(r.err.find("line 2") != std::string::npos);
}

TEST_CASE("cli: files - unreadable files and directories") {
  TempFile a("a.txt", "I'm such a failure.");
  Run r = run_cli({a.str(), "/nonexistent/file.txt", a.path.parent_path().string()});
  CHECK(r.code == 4);
  CHECK(r.out.find(a.str() + ":1:1: self_label") != std::string::npos);
  CHECK(r.err.find("/nonexistent/file.txt: cannot open file") != std::string::npos);
  CHECK(r.err.find("is a directory") != std::string::npos);
}

TEST_CASE("cli: exit codes for --fail-on - usage - --version - --help") {
  CHECK(run_cli({"--fail-on", "any"}, "I'm such a failure.").code == 1);
  CHECK(run_cli({"--fail-on", "should"}, "I'm such a failure.").code == 0);
  CHECK(run_cli({"--fail-on", "self_label,should"}, "I'm such a failure.").code == 1);
  CHECK(run_cli({"--fail-on", "any"}, "We had soup.").code == 0);
  CHECK(run_cli({"--fail-on", "grumpy"}, "x").code == 2);
  CHECK(run_cli({"--no-such-flag"}).code == 2);
  CHECK(run_cli({"--format", "xml"}).code == 2);
  Run v = run_cli({"--version"});
  CHECK(v.code == 0);
  CHECK(v.out.find(std::string("selftalk ") + SELFTALK_VERSION_STRING) != std::string::npos);
  Run h = run_cli({"--help"});
  CHECK(h.code == 0);
  CHECK(h.out.find("--format") != std::string::npos);
  CHECK(h.out.find("Exit codes") != std::string::npos);
}

TEST_CASE("cli: --list-rules and --explain") {
  Run l = run_cli({"--list-rules"});
  CHECK(l.code == 0);
  std::string first = l.out.substr(0, l.out.find('\t'));
  CHECK_FALSE(first.empty());
  Run e = run_cli({"--explain", first});
  CHECK(e.code == 0);
  CHECK(e.out.find("patterns:") != std::string::npos);
  CHECK(e.out.find("matches:") != std::string::npos);
  CHECK(run_cli({"--explain", "no.such"}).code == 2);
}

TEST_CASE("cli: --only and --min-severity filter") {
  Run r = run_cli({"--only", "should", "--format", "jsonl"}, "I'm such a failure. I should have known better.");
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].size() == 1);
  CHECK(j["findings"][0]["category"] == "should");
}

TEST_CASE("cli: eval prints precision and recall - check runs the examples") {
  TempFile gold("gold.jsonl",
                "{\"id\": \"a\", \"text\": \"I'm such a failure.\", \"categories\": [\"self_label\"]}\n"
                "{\"id\": \"b\", \"text\": \"We had soup.\", \"categories\": []}\n");
  Run r = run_cli({"eval", gold.str(), "--format", "json"});
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["records"] == 2);
  CHECK(j["detection"]["tp"] == 1);
  CHECK(j["detection"]["fp"] == 0);
  CHECK(j["categories"]["self_label"]["recall"] == 1.0);
  TempFile bad("bad.jsonl", "{\"text\": \"x\", \"categories\": [\"grumpy\"]}\n");
  CHECK(run_cli({"eval", bad.str()}).code == 4);
  // An id nested 100,000 deep is refused, not written back (which would overflow the stack).
  TempFile deep("deep.jsonl", "{\"id\": " + std::string(100000, '[') + std::string(100000, ']') +
                                  ", \"text\": \"x\", \"categories\": []}\n");
  Run d = run_cli({"eval", deep.str()});
  CHECK(d.code == 4);
  CHECK(d.err.find("must be a string or a number") != std::string::npos);
  Run c = run_cli({"check"});
  CHECK(c.out.find(" 0 failed") != std::string::npos);
  CHECK(c.code == 0);
}
