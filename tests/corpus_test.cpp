// The default packs measured against the project's annotated corpus (corpus/README.md).
#include <nlohmann/json.hpp>

#include "eval.h"
#include "test_util.h"

using namespace selftalk;

namespace {

cli::EvalReport evaluate_file(const std::string& relative) {
  std::vector<cli::GoldRecord> gold;
  std::string error;
  REQUIRE_MESSAGE(cli::parse_gold(selftalk::test::read_source_file(relative), gold, &error), error);
  REQUIRE(gold.size() > 100);
  Analyzer an(selftalk::test::default_rules());
  return cli::evaluate(an, gold);
}

std::string mistakes(const cli::EvalReport& r) {
  std::string out;
  for (const std::string& m : r.mistakes) out += m + "\n";
  return out;
}

}  // namespace

TEST_CASE("corpus/sentences.jsonl: detection precision >= 0.95 - recall >= 0.90 - every category F1 >= 0.85") {
  cli::EvalReport r = evaluate_file("corpus/sentences.jsonl");
  INFO(mistakes(r));
  CHECK(r.detection.precision() >= 0.95);
  CHECK(r.detection.recall() >= 0.90);
  for (std::size_t i = 0; i < kCategoryCount; ++i) {
    CAPTURE(to_string(static_cast<Category>(i)));
    CHECK(r.support[i] >= 15);
    CHECK(r.category[i].f1() >= 0.85);
  }
  // Benign sentences flagged: false positives of detection over the benign half.
  std::size_t benign = r.records - (r.detection.tp + r.detection.fn);
  CHECK(benign * 2 >= r.records);
  CHECK(static_cast<double>(r.detection.fp) / static_cast<double>(benign) < 0.05);
  CHECK(r.category[static_cast<std::size_t>(Category::kSafety)].recall() == 1.0);
  CHECK(r.category[static_cast<std::size_t>(Category::kSafety)].fp == 0);
}

// A regression guard at the level measured when it was written (corpus/README.md, Measurement),
// not a target: generalisation to unseen wording is the catalogue's known weak point.
TEST_CASE("corpus/holdout.jsonl (never read by rule authors): generalisation floor") {
  cli::EvalReport r = evaluate_file("corpus/holdout.jsonl");
  INFO(mistakes(r));
  CHECK(r.detection.precision() >= 0.90);
  CHECK(r.detection.recall() >= 0.60);
  CHECK(r.category[static_cast<std::size_t>(Category::kSafety)].recall() == 1.0);
}

TEST_CASE("corpus/entries: multi-paragraph entries flag exactly the expected sentences") {
  Analyzer an(selftalk::test::default_rules());
  std::size_t expected_total = 0, found = 0, extra = 0;
  for (int n = 1; n <= 12; ++n) {
    char name[32];
    std::snprintf(name, sizeof name, "corpus/entries/entry%02d", n);
    std::string text = selftalk::test::read_source_file(std::string(name) + ".md");
    auto expected = nlohmann::json::parse(selftalk::test::read_source_file(std::string(name) + ".json"))["expected"];
    Analysis a = an.analyze(text);
    std::vector<bool> used(a.findings.size(), false);
    for (const auto& e : expected) {
      std::string want = e["text"].get<std::string>();
      std::size_t at = text.find(want);
      REQUIRE_MESSAGE(at != std::string::npos, name << ": " << want);
      ++expected_total;
      bool hit = false;
      for (std::size_t i = 0; i < a.findings.size(); ++i) {
        const Finding& f = a.findings[i];
        if (f.begin >= at && f.end <= at + want.size()) {
          used[i] = true;
          hit = true;
        }
      }
      if (hit) ++found;
      else MESSAGE(name << ": missed: " << want);
    }
    for (std::size_t i = 0; i < a.findings.size(); ++i)
      if (!used[i]) {
        ++extra;
        MESSAGE(name << ": unexpected " << to_string(a.findings[i].category) << ": " << a.findings[i].text);
      }
    if (n == 9) CHECK(a.has_safety());
  }
  CHECK(static_cast<double>(found) >= 0.9 * static_cast<double>(expected_total));
  CHECK(static_cast<double>(extra) <= 0.05 * static_cast<double>(expected_total) + 1);
}
