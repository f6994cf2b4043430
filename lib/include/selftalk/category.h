// The vocabulary of findings: thinking-trap categories, the self-compassion pillar each one
// opposes (Neff), and severities.
#ifndef SELFTALK_CATEGORY_H
#define SELFTALK_CATEGORY_H

#include <cstddef>
#include <optional>
#include <string_view>

namespace selftalk {

// Categories of critical self-talk. The numeric values are stable (the C API uses them).
enum class Category : int {
  kSafety = 0,  // crisis language: flagged first, answered with support, never reframed
  kAbsolute,
  kShould,
  kSelfLabel,
  kCatastrophizing,
  kMindReading,
  kFortuneTelling,
  kPersonalization,
  kDiscountingPositive,
  kEmotionalReasoning,
  kComparison,
  kIsolation,
  kOverIdentification,
  kUndeserving,
};
inline constexpr std::size_t kCategoryCount = 14;

// Neff's three pillars, named by the positive side that a finding's category opposes.
// kNone is only used by kSafety.
enum class Pillar : int { kNone = 0, kSelfKindness, kCommonHumanity, kMindfulness };
inline constexpr std::size_t kPillarCount = 4;

// How heavily a finding weighs in the critic intensity score: low=1, medium=2, high=3.
enum class Severity : int { kLow = 1, kMedium = 2, kHigh = 3 };

// Stable snake_case ids: "self_label", "self_kindness", "high", ... as used in packs and JSON.
std::string_view to_string(Category c);
std::string_view to_string(Pillar p);
std::string_view to_string(Severity s);

// Inverse of to_string; nullopt for an unknown id.
std::optional<Category> category_from_string(std::string_view id);
std::optional<Pillar> pillar_from_string(std::string_view id);
std::optional<Severity> severity_from_string(std::string_view id);

// The pillar each category opposes (kNone for kSafety).
Pillar default_pillar(Category c);

}  // namespace selftalk

#endif  // SELFTALK_CATEGORY_H
