// Larger rule packs made from the default ones, to measure how cost grows with the rule count.
#ifndef SELFTALK_BENCH_SYNTHETIC_PACKS_H
#define SELFTALK_BENCH_SYNTHETIC_PACKS_H

#include <cstddef>
#include <string>
#include <vector>

#include "selftalk/pack.h"

namespace selftalk::bench {

// Returns `packs` with every rule present `factor` times: the original plus factor - 1 variants.
// Variant k of rule R has the id "R.xk", the same category, templates and context opt-outs, and
// patterns that differ from the original's: known words are swapped for alternatives chosen by
// k ("always" -> "usually", "failure" -> "flop", ...), and each pattern gains one alternative
// phrase unique to the variant, so no two patterns of the result are equal and RE2 cannot
// merge them. Variants keep no examples (their examples would not hold). Deterministic.
// REQUIRES: factor >= 1.
std::vector<RulePack> scale_packs(std::vector<RulePack> packs, std::size_t factor);

// Variant k (>= 1) of one pattern, as scale_packs makes it. Exposed for tests.
std::string vary_pattern(const std::string& pattern, std::size_t k);

}  // namespace selftalk::bench

#endif  // SELFTALK_BENCH_SYNTHETIC_PACKS_H
