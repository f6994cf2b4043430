// A compiled, immutable ruleset: every pattern of every pack, with a literal prefilter that
// picks, per sentence, the few patterns RE2 needs to run. Patterns of packs you load are compiled
// by compile() (errors carry their location); those of the built-in packs on first use.
//
//   auto rules = selftalk::Ruleset::compile(*selftalk::default_packs());
//   if (!rules) { ... rules.error().to_string() ... }
//   selftalk::Analyzer analyzer(*rules);   // see analyzer.h
//
// Thread-safety: a Ruleset is immutable after compile(); share one between any number of
// threads (each thread with its own Analyzer).
#ifndef SELFTALK_RULESET_H
#define SELFTALK_RULESET_H

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "selftalk/error.h"
#include "selftalk/pack.h"

namespace selftalk {

class Ruleset {
 public:
  // Compiles packs (which all share the first pack's language for segmentation). Fails, naming
  // file:line:col and pack/rule, on: an RE2 syntax error or a pattern over RE2's memory budget,
  // an unknown or cyclic {{MACRO}}, a macro defined twice differently, a duplicate rule id, an
  // unknown {slot} in a template, a safety rule with reframes, a non-safety rule with fewer than
  // two reframes, or no pack at all. Never drops a rule silently.
  static Result<std::shared_ptr<const Ruleset>> compile(std::vector<RulePack> packs);

  // The embedded default packs, compiled once per process (thread-safe, lazily).
  static Result<std::shared_ptr<const Ruleset>> default_ruleset();

  ~Ruleset();
  Ruleset(const Ruleset&) = delete;
  Ruleset& operator=(const Ruleset&) = delete;

  // The packs this ruleset was compiled from, in order.
  const std::vector<RulePack>& packs() const;

  // The rule with this id, or nullptr.
  const RuleSpec* find_rule(std::string_view id) const;

  // All rules, in pack order.
  std::vector<const RuleSpec*> rules() const;

  // The segmentation language (BCP 47), from the first pack.
  const std::string& language() const;

  // Implementation detail, shared with the analyzer.
  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit Ruleset(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace selftalk

#endif  // SELFTALK_RULESET_H
