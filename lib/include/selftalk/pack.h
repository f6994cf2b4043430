// Rule packs as plain data: what a pack file says, parsed and validated but not compiled.
// A pack is JSON (comments allowed); its format is documented in rules/README.md.
//
//   auto packs = selftalk::default_packs();           // the embedded English packs
//   auto mine = selftalk::load_pack_file("mine.json"); // or parse_pack(text, "name")
//
// Parsing checks the shape (required fields, types, unknown fields, known categories); it does
// not compile regular expressions: that is Ruleset::compile's job, which reports RE2 errors with
// the same locations.
#ifndef SELFTALK_PACK_H
#define SELFTALK_PACK_H

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "selftalk/category.h"
#include "selftalk/error.h"

namespace selftalk {

// A string from a pack together with where it was written.
struct Located {
  std::string text;
  SourceLocation where;

  bool operator==(const Located&) const = default;
};

// A reframe template: text with {slot} placeholders, and the strategy it follows
// (self_kindness, common_humanity, mindfulness, specific, evidence, wish, impermanence, growth).
struct ReframeTemplate {
  std::string strategy;
  Located text;

  bool operator==(const ReframeTemplate&) const = default;
};

// One rule, as written.
struct RuleSpec {
  std::string id;  // unique across all packs compiled together
  Category category = Category::kAbsolute;
  Pillar pillar = Pillar::kNone;
  Severity severity = Severity::kMedium;
  std::vector<Located> patterns;    // RE2 syntax plus pack macros; any one matching fires
  std::vector<Located> exceptions;  // a match is dropped when one of these matches its sentence
  std::vector<std::string> ignore_context;  // engine context checks this rule opts out of
  std::string message;
  Located friend_view;  // optional: falls back to the pack's category default
  std::vector<ReframeTemplate> reframes;  // added to the pack's category defaults
  std::vector<Located> match_examples;     // each must produce a finding of this rule
  std::vector<Located> no_match_examples;  // each must produce no finding of this rule
  SourceLocation where;                    // of the rule's "id"

  bool operator==(const RuleSpec&) const = default;
};

// Context cues, each a list of patterns. See rules/README.md for how the engine uses them.
struct ContextCues {
  std::vector<Located> negation;  // "I don't think", "it's not true that": the match is denied
  std::vector<Located> reported;  // "my boss said", "she told me": someone else's voice
  std::vector<Located> past;      // "I used to think": a belief left behind

  bool operator==(const ContextCues&) const = default;
};

// Default templates for one category, used by every rule of that category.
struct CategoryDefaults {
  Category category = Category::kAbsolute;
  Located friend_view;
  std::vector<ReframeTemplate> reframes;

  bool operator==(const CategoryDefaults&) const = default;
};

// A parsed rule pack.
struct RulePack {
  std::string name;
  std::string version;
  std::string language;  // BCP 47, e.g. "en"
  std::string description;
  std::string source;  // file name or the name given to parse_pack
  // True for the packs of default_packs(): the library's tests compile every pattern of them, so
  // Ruleset::compile defers their regular expressions to first use. Other packs are compiled
  // in full while loading, so a bad pattern is an error with its location.
  bool builtin = false;
  std::vector<std::pair<std::string, Located>> macros;  // {{NAME}} -> pattern text
  ContextCues context;
  std::vector<CategoryDefaults> category_defaults;
  Located support_message;        // shown with every safety finding
  Located self_compassion_break;  // shown once for an entry dense with findings
  std::vector<std::string> absolutist_words;
  std::vector<RuleSpec> rules;

  // Field by field, locations included.
  bool operator==(const RulePack&) const = default;
};

// Parses a pack from JSON text. source names it in errors (usually the file name).
// Errors carry file:line:col for JSON syntax, and the rule id for a bad rule.
Result<RulePack> parse_pack(std::string_view json, std::string_view source);

// Reads and parses one pack file.
Result<RulePack> load_pack_file(const std::string& path);

// Loads a file, or every *.json file of a directory (sorted by name, not recursive).
Result<std::vector<RulePack>> load_packs(const std::string& path);

// The English packs built into the library (parsed from an embedded copy of rules/en/).
Result<std::vector<RulePack>> default_packs();

// Merges packs: a pack in `extra` whose name equals one in `base` replaces it; others are added.
std::vector<RulePack> merge_packs(std::vector<RulePack> base, std::vector<RulePack> extra);

}  // namespace selftalk

#endif  // SELFTALK_PACK_H
