// Running the examples that every rule carries: each "match" example must produce a finding of
// its rule, each "no_match" example must not.
#ifndef SELFTALK_EXAMPLES_H
#define SELFTALK_EXAMPLES_H

#include <memory>
#include <string>
#include <vector>

#include "selftalk/pack.h"
#include "selftalk/ruleset.h"

namespace selftalk {

struct ExampleFailure {
  std::string rule;
  bool expected_match = false;  // true: a "match" example that did not match
  Located example;
};

// Analyses every example of every rule of `rules` with the whole ruleset (context checks
// included) and returns those that do not behave as declared. Empty means all pass.
std::vector<ExampleFailure> check_examples(const std::shared_ptr<const Ruleset>& rules);

}  // namespace selftalk

#endif  // SELFTALK_EXAMPLES_H
