// Tests for selftalk/selftalk_c.h: the C API gives what the C++ API gives, errors come back as
// values, filters apply, streams work, handles free cleanly.
#include "selftalk/selftalk_c.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "selftalk/stream.h"
#include "test_util.h"

using namespace selftalk;

namespace {

struct Free {
  void operator()(selftalk_ruleset* p) const { selftalk_ruleset_free(p); }
  void operator()(selftalk_analyzer* p) const { selftalk_analyzer_free(p); }
  void operator()(selftalk_result* p) const { selftalk_result_free(p); }
  void operator()(selftalk_options* p) const { selftalk_options_free(p); }
  void operator()(selftalk_stream* p) const { selftalk_stream_free(p); }
  void operator()(selftalk_error* p) const { selftalk_error_free(p); }
  void operator()(char* p) const { selftalk_string_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

const std::string kText = "I always ruin everything. I should have known better. I\xe2\x80\x99m such a failure \xf0\x9f\x98\x80.";

Owned<selftalk_ruleset> default_c_rules() {
  selftalk_error* error = nullptr;
  Owned<selftalk_ruleset> rules(selftalk_ruleset_default(&error));
  REQUIRE_MESSAGE(rules != nullptr, (error ? selftalk_error_message(error) : "no error"));
  CHECK(error == nullptr);
  return rules;
}

Owned<selftalk_result> analyze(const selftalk_ruleset* rules, const std::string& text,
                               const selftalk_options* options = nullptr) {
  Owned<selftalk_analyzer> an(selftalk_analyzer_new(rules, options, nullptr));
  REQUIRE(an != nullptr);
  Owned<selftalk_result> r(selftalk_analyze(an.get(), text.data(), text.size()));
  REQUIRE(r != nullptr);
  return r;
}

std::string error_of(const char* json) {
  selftalk_error* error = nullptr;
  const char* jsons[] = {json};
  Owned<selftalk_ruleset> rules(selftalk_ruleset_from_json(jsons, 1, 0, &error));
  CHECK(rules == nullptr);
  REQUIRE(error != nullptr);
  std::string message = selftalk_error_message(error);
  CHECK(std::string(selftalk_error_file(error)) == "string1.json");
  selftalk_error_free(error);
  return message;
}

}  // namespace

TEST_CASE("C API: version and the names of categories - pillars and severities") {
  CHECK(std::string(selftalk_version()) == SELFTALK_VERSION_STRING);
  for (int c = 0; c < SELFTALK_CATEGORY_COUNT; ++c) {
    CHECK(std::string(selftalk_category_name(c)) == to_string(static_cast<Category>(c)));
    CHECK(selftalk_category_from_name(selftalk_category_name(c)) == c);
  }
  CHECK(selftalk_category_name(SELFTALK_CATEGORY_COUNT) == nullptr);
  CHECK(selftalk_category_name(-1) == nullptr);
  CHECK(selftalk_category_from_name("no_such_trap") == -1);
  CHECK(std::string(selftalk_category_name(SELFTALK_SELF_LABEL)) == "self_label");
  CHECK(std::string(selftalk_pillar_name(1)) == "self_kindness");
  CHECK(selftalk_pillar_name(SELFTALK_PILLAR_COUNT) == nullptr);
  CHECK(std::string(selftalk_severity_name(SELFTALK_HIGH)) == "high");
  CHECK(selftalk_severity_name(0) == nullptr);
}

TEST_CASE("C API: findings - scores and JSON equal the C++ analysis") {
  auto rules = default_c_rules();
  auto r = analyze(rules.get(), kText);
  Analysis a = Analyzer(test::default_rules()).analyze(kText);
  REQUIRE(a.findings.size() >= 3);
  REQUIRE(selftalk_result_count(r.get()) == a.findings.size());
  CHECK(selftalk_result_finding(r.get(), a.findings.size()) == nullptr);
  for (std::size_t i = 0; i < a.findings.size(); ++i) {
    const Finding& want = a.findings[i];
    const selftalk_finding* f = selftalk_result_finding(r.get(), i);
    REQUIRE(f != nullptr);
    CHECK(std::string(f->rule) == want.rule);
    CHECK(f->category == static_cast<int>(want.category));
    CHECK(f->pillar == static_cast<int>(want.pillar));
    CHECK(f->severity == static_cast<int>(want.severity));
    CHECK(f->begin == want.begin);
    CHECK(f->end == want.end);
    CHECK(f->line == want.line);
    CHECK(f->column == want.column);
    CHECK(f->cp_end == want.cp_end);
    CHECK(f->utf16_end == want.utf16_end);
    CHECK(f->sentence_end == want.sentence_end);
    CHECK(std::string(f->text) == kText.substr(f->begin, f->end - f->begin));
    CHECK(std::string(f->friend_view) == want.friend_view);
    REQUIRE(f->reframe_count == want.reframes.size());
    for (std::size_t k = 0; k < f->reframe_count; ++k) {
      CHECK(std::string(f->reframes[k]) == want.reframes[k].text);
      CHECK(std::string(f->reframe_strategies[k]) == want.reframes[k].strategy);
    }
  }
  const selftalk_scores* s = selftalk_result_scores(r.get());
  CHECK(s->words == a.scores.words);
  CHECK(s->by_category[SELFTALK_SHOULD] == a.scores.by_category[static_cast<std::size_t>(Category::kShould)]);
  CHECK(s->critic_intensity == doctest::Approx(a.scores.critic_intensity));
  std::size_t length = 0;
  Owned<char> json(selftalk_result_to_json(r.get(), &length));
  std::string want;
  append_json(want, a);
  CHECK(std::string(json.get(), length) == want);
}

TEST_CASE("C API: pack errors come back as values with file - line and rule") {
  std::string syntax = error_of("{\"name\": \"t\",\n  oops}");
  CHECK(syntax.rfind("string1.json:2:", 0) == 0);

  std::string bad_regex = test::one_rule_pack(R"("(unclosed")");
  selftalk_error* error = nullptr;
  const char* jsons[] = {bad_regex.c_str()};
  Owned<selftalk_ruleset> rules(selftalk_ruleset_from_json(jsons, 1, 0, &error));
  CHECK(rules == nullptr);
  REQUIRE(error != nullptr);
  CHECK(std::string(selftalk_error_rule(error)) == "t.rule");
  CHECK(selftalk_error_line(error) > 0);
  CHECK(std::string(selftalk_error_message(error)).find("t.rule") != std::string::npos);
  selftalk_error_free(error);

  const char* paths[] = {"/nonexistent/selftalk-pack.json"};
  error = nullptr;
  CHECK(selftalk_ruleset_from_files(paths, 1, 1, &error) == nullptr);
  REQUIRE(error != nullptr);
  CHECK(std::string(selftalk_error_message(error)).find("selftalk-pack.json") != std::string::npos);
  selftalk_error_free(error);
  CHECK(selftalk_ruleset_from_files(paths, 1, 1, nullptr) == nullptr);  // error is optional
}

TEST_CASE("C API: rulesets from JSON strings and from pack files - alone or over the defaults") {
  auto defaults = default_c_rules();
  const std::size_t n = selftalk_ruleset_rule_count(defaults.get());
  CHECK(n == test::default_rules()->rules().size());

  std::string pack = test::one_rule_pack(R"("\\bzebra\\b")");
  const char* jsons[] = {pack.c_str()};
  Owned<selftalk_ruleset> alone(selftalk_ruleset_from_json(jsons, 1, 0, nullptr));
  REQUIRE(alone != nullptr);
  CHECK(selftalk_ruleset_rule_count(alone.get()) == 1);
  auto r = analyze(alone.get(), "A zebra. I always ruin everything.");
  REQUIRE(selftalk_result_count(r.get()) == 1);
  CHECK(std::string(selftalk_result_finding(r.get(), 0)->rule) == "t.rule");

  Owned<selftalk_ruleset> merged(selftalk_ruleset_from_json(jsons, 1, 1, nullptr));
  REQUIRE(merged != nullptr);
  CHECK(selftalk_ruleset_rule_count(merged.get()) == n + 1);

  const std::string path = (std::filesystem::temp_directory_path() / "selftalk_c_api_test_pack.json").string();
  std::ofstream(path) << pack;
  const char* paths[] = {path.c_str()};
  Owned<selftalk_ruleset> from_files(selftalk_ruleset_from_files(paths, 1, 0, nullptr));
  std::filesystem::remove(path);
  REQUIRE(from_files != nullptr);
  CHECK(selftalk_ruleset_rule_count(from_files.get()) == 1);
}

TEST_CASE("C API: category and severity filters") {
  auto rules = default_c_rules();
  Owned<selftalk_options> o(selftalk_options_new());
  CHECK(selftalk_options_set_category(o.get(), SELFTALK_ABSOLUTE, 0) == 0);
  CHECK(selftalk_options_set_category(o.get(), SELFTALK_CATEGORY_COUNT, 0) == -1);
  auto r = analyze(rules.get(), kText, o.get());
  REQUIRE(selftalk_result_count(r.get()) > 0);
  for (std::size_t i = 0; i < selftalk_result_count(r.get()); ++i)
    CHECK(selftalk_result_finding(r.get(), i)->category != SELFTALK_ABSOLUTE);

  CHECK(selftalk_options_set_min_severity(o.get(), 7) == -1);
  CHECK(selftalk_options_set_min_severity(o.get(), SELFTALK_HIGH) == 0);
  r = analyze(rules.get(), kText, o.get());
  for (std::size_t i = 0; i < selftalk_result_count(r.get()); ++i)
    CHECK(selftalk_result_finding(r.get(), i)->severity == SELFTALK_HIGH);

  Owned<selftalk_options> all(selftalk_options_new());
  selftalk_options_set_all_reframes(all.get(), 1);
  auto two = analyze(rules.get(), "I always ruin everything.");
  auto every = analyze(rules.get(), "I always ruin everything.", all.get());
  REQUIRE(selftalk_result_count(every.get()) == 1);
  CHECK(selftalk_result_finding(every.get(), 0)->reframe_count > selftalk_result_finding(two.get(), 0)->reframe_count);

  Owned<selftalk_options> reported(selftalk_options_new());
  selftalk_options_set_include_reported(reported.get(), 1);
  const std::string quoted = "My boss said I'm useless.";
  auto with = analyze(rules.get(), quoted, reported.get());
  auto without = analyze(rules.get(), quoted);
  CHECK(selftalk_result_count(with.get()) == selftalk_result_count(without.get()) + 1);
  CHECK(selftalk_result_finding(with.get(), 0)->reported == 1);
}

TEST_CASE("C API: a stream fed in pieces finds what one analysis finds") {
  auto rules = default_c_rules();
  auto whole = analyze(rules.get(), kText);
  Owned<selftalk_stream> stream(selftalk_stream_new(rules.get(), nullptr, nullptr));
  REQUIRE(stream != nullptr);
  std::vector<std::size_t> begins;
  for (std::size_t at = 0; at < kText.size(); at += 5) {
    Owned<selftalk_result> r(selftalk_stream_feed(stream.get(), kText.data() + at, std::min<std::size_t>(5, kText.size() - at)));
    REQUIRE(r != nullptr);
    for (std::size_t i = 0; i < selftalk_result_count(r.get()); ++i) begins.push_back(selftalk_result_finding(r.get(), i)->begin);
  }
  Owned<selftalk_result> last(selftalk_stream_finish(stream.get()));
  REQUIRE(last != nullptr);
  for (std::size_t i = 0; i < selftalk_result_count(last.get()); ++i) begins.push_back(selftalk_result_finding(last.get(), i)->begin);
  REQUIRE(begins.size() == selftalk_result_count(whole.get()));
  for (std::size_t i = 0; i < begins.size(); ++i) CHECK(begins[i] == selftalk_result_finding(whole.get(), i)->begin);
  CHECK(selftalk_result_scores(last.get())->words == selftalk_result_scores(whole.get())->words);
}

TEST_CASE("C API: free functions accept NULL and a ruleset may go before its analyzers") {
  selftalk_ruleset_free(nullptr);
  selftalk_analyzer_free(nullptr);
  selftalk_result_free(nullptr);
  selftalk_options_free(nullptr);
  selftalk_stream_free(nullptr);
  selftalk_error_free(nullptr);
  selftalk_string_free(nullptr);
  selftalk_ruleset* rules = selftalk_ruleset_default(nullptr);
  REQUIRE(rules != nullptr);
  Owned<selftalk_analyzer> an(selftalk_analyzer_new(rules, nullptr, nullptr));
  selftalk_ruleset_free(rules);
  Owned<selftalk_result> r(selftalk_analyze(an.get(), kText.data(), kText.size()));
  CHECK(selftalk_result_count(r.get()) >= 3);
  Owned<selftalk_result> empty(selftalk_analyze(an.get(), nullptr, 0));
  CHECK(selftalk_result_count(empty.get()) == 0);
}
