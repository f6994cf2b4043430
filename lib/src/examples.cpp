#include "selftalk/examples.h"

#include <algorithm>

#include "selftalk/analyzer.h"

namespace selftalk {

std::vector<ExampleFailure> check_examples(const std::shared_ptr<const Ruleset>& rules) {
  std::vector<ExampleFailure> failures;
  Analyzer analyzer(rules);
  AnalyzeOptions options;
  options.reframes = true;  // templates get rendered too, so a broken one shows up
  options.scores = false;
  for (const RuleSpec* rule : rules->rules()) {
    auto fired = [&](const Located& example) {
      Analysis a = analyzer.analyze(example.text, options);
      return std::any_of(a.findings.begin(), a.findings.end(), [&](const Finding& f) { return f.rule == rule->id; });
    };
    for (const Located& e : rule->match_examples)
      if (!fired(e)) failures.push_back({rule->id, true, e});
    for (const Located& e : rule->no_match_examples)
      if (fired(e)) failures.push_back({rule->id, false, e});
  }
  return failures;
}

}  // namespace selftalk
