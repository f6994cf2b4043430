#include "selftalk/category.h"

#include <array>

namespace selftalk {
namespace {

constexpr std::array<std::string_view, kCategoryCount> kCategoryNames = {
    "safety",          "absolute",        "should",
    "self_label",      "catastrophizing", "mind_reading",
    "fortune_telling", "personalization", "discounting_positive",
    "emotional_reasoning", "comparison",  "isolation",
    "over_identification", "undeserving"};

constexpr std::array<std::string_view, kPillarCount> kPillarNames = {
    "none", "self_kindness", "common_humanity", "mindfulness"};

constexpr std::array<Pillar, kCategoryCount> kPillarOf = {
    Pillar::kNone,           Pillar::kMindfulness,    Pillar::kSelfKindness,
    Pillar::kSelfKindness,   Pillar::kMindfulness,    Pillar::kCommonHumanity,
    Pillar::kMindfulness,    Pillar::kSelfKindness,   Pillar::kSelfKindness,
    Pillar::kMindfulness,    Pillar::kCommonHumanity, Pillar::kCommonHumanity,
    Pillar::kMindfulness,    Pillar::kSelfKindness};

}  // namespace

std::string_view to_string(Category c) { return kCategoryNames.at(static_cast<std::size_t>(c)); }
std::string_view to_string(Pillar p) { return kPillarNames.at(static_cast<std::size_t>(p)); }

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::kLow: return "low";
    case Severity::kMedium: return "medium";
    case Severity::kHigh: return "high";
  }
  return "medium";
}

std::optional<Category> category_from_string(std::string_view id) {
  for (std::size_t i = 0; i < kCategoryNames.size(); ++i)
    if (kCategoryNames[i] == id) return static_cast<Category>(i);
  return std::nullopt;
}

std::optional<Pillar> pillar_from_string(std::string_view id) {
  for (std::size_t i = 0; i < kPillarNames.size(); ++i)
    if (kPillarNames[i] == id) return static_cast<Pillar>(i);
  return std::nullopt;
}

std::optional<Severity> severity_from_string(std::string_view id) {
  if (id == "low") return Severity::kLow;
  if (id == "medium") return Severity::kMedium;
  if (id == "high") return Severity::kHigh;
  return std::nullopt;
}

Pillar default_pillar(Category c) { return kPillarOf.at(static_cast<std::size_t>(c)); }

}  // namespace selftalk
