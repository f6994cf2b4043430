// Fuzzes analysis with the default packs: any bytes in, findings whose offsets agree with
// OffsetMap and cut the input, JSON that parses, and default options giving exactly the findings
// of include_reported less the reported ones.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "check.h"
#include "selftalk/selftalk.h"

namespace {

selftalk::Analyzer& analyzer() {
  static selftalk::Analyzer a = [] {
    auto rules = selftalk::Ruleset::default_ruleset();
    FUZZ_CHECK(rules.ok());
    return selftalk::Analyzer(*rules);
  }();
  return a;
}

void check_findings(std::string_view text, const selftalk::Analysis& a, bool include_reported) {
  selftalk::OffsetMap map(text);
  bool safety_done = false;
  for (const selftalk::Finding& f : a.findings) {
    FUZZ_CHECK(f.begin < f.end && f.end <= text.size());
    FUZZ_CHECK(f.sentence_begin <= f.begin && f.end <= f.sentence_end && f.sentence_end <= text.size());
    FUZZ_CHECK(f.text.size() == f.end - f.begin);
    for (std::size_t i = 0; i < f.text.size(); ++i)
      FUZZ_CHECK(f.text[i] == text[f.begin + i] || f.text[i] == '\x1A');  // invalid bytes are substituted
    auto lc = map.line_column(f.begin);
    FUZZ_CHECK(f.line == lc.line && f.column == lc.column);
    FUZZ_CHECK(f.cp_begin == map.code_point(f.begin) && f.cp_end == map.code_point(f.end));
    FUZZ_CHECK(f.utf16_begin == map.utf16(f.begin) && f.utf16_end == map.utf16(f.end));
    FUZZ_CHECK(include_reported || !f.reported);
    bool safety = f.category == selftalk::Category::kSafety;
    FUZZ_CHECK(!safety || (f.reframes.empty() && f.friend_view.empty() && !f.support.empty()));
    if (!safety) safety_done = true;
    FUZZ_CHECK(!(safety && safety_done));  // safety findings come first
  }
}

}  // namespace

// Compiles the default packs before the first input, so no input is charged for it.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)analyzer();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  selftalk::AnalyzeOptions everything;
  everything.include_reported = true;
  everything.all_reframes = true;
  selftalk::Analysis all = analyzer().analyze(text, everything);
  check_findings(text, all, true);
  std::string json;
  selftalk::append_json(json, all);
  FUZZ_CHECK(nlohmann::json::accept(json));  // rejects invalid UTF-8 too

  // The default options give the same findings less those in someone else's voice.
  selftalk::Analysis mine = analyzer().analyze(text);
  check_findings(text, mine, false);
  std::size_t k = 0;
  for (const selftalk::Finding& f : all.findings) {
    if (f.reported) continue;
    FUZZ_CHECK(k < mine.findings.size());
    FUZZ_CHECK(mine.findings[k].rule == f.rule && mine.findings[k].begin == f.begin && mine.findings[k].end == f.end);
    ++k;
  }
  FUZZ_CHECK(k == mine.findings.size());
  return 0;
}
