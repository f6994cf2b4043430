// Measuring a ruleset against annotated examples: precision, recall and F1 per category and for
// detection (any finding at all).
#ifndef SELFTALK_CLI_EVAL_H
#define SELFTALK_CLI_EVAL_H

#include <array>
#include <ostream>
#include <string>
#include <vector>

#include "selftalk/analyzer.h"

namespace selftalk::cli {

// One annotated example: {"id": ..., "text": "...", "categories": ["absolute", ...]}.
struct GoldRecord {
  std::string id;
  std::string text;
  std::array<bool, kCategoryCount> gold{};
};

// Parses gold JSONL. Returns false and sets *error ("line N: ...") on the first bad line.
bool parse_gold(const std::string& content, std::vector<GoldRecord>& out, std::string* error);

struct Counts {
  std::size_t tp = 0, fp = 0, fn = 0;
  double precision() const;  // 1 when nothing was predicted
  double recall() const;     // 1 when there was nothing to find
  double f1() const;
};

struct EvalReport {
  std::size_t records = 0;
  Counts detection;                              // any finding vs any gold category
  std::array<Counts, kCategoryCount> category{};
  std::array<std::size_t, kCategoryCount> support{};  // gold examples per category
  std::vector<std::string> mistakes;             // "FP self_label: text" lines
};

EvalReport evaluate(Analyzer& analyzer, const std::vector<GoldRecord>& gold);

void write_eval_text(std::ostream& out, const EvalReport& r, bool show_mistakes);
void write_eval_json(std::ostream& out, const EvalReport& r);

}  // namespace selftalk::cli

#endif  // SELFTALK_CLI_EVAL_H
