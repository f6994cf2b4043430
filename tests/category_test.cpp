// Tests for selftalk/category.h.
#include "test_util.h"

using namespace selftalk;

TEST_CASE("category ids round-trip and are the documented ones") {
  const char* ids[] = {"safety", "absolute", "should", "self_label", "catastrophizing", "mind_reading",
                       "fortune_telling", "personalization", "discounting_positive", "emotional_reasoning",
                       "comparison", "isolation", "over_identification", "undeserving"};
  REQUIRE(std::size(ids) == kCategoryCount);
  for (std::size_t i = 0; i < kCategoryCount; ++i) {
    CAPTURE(ids[i]);
    auto c = category_from_string(ids[i]);
    REQUIRE(c.has_value());
    CHECK(static_cast<std::size_t>(*c) == i);
    CHECK(to_string(*c) == ids[i]);
  }
  CHECK_FALSE(category_from_string("Absolute").has_value());
  CHECK_FALSE(category_from_string("").has_value());
}

TEST_CASE("each category opposes the pillar of the issue's table") {
  CHECK(default_pillar(Category::kAbsolute) == Pillar::kMindfulness);
  CHECK(default_pillar(Category::kShould) == Pillar::kSelfKindness);
  CHECK(default_pillar(Category::kSelfLabel) == Pillar::kSelfKindness);
  CHECK(default_pillar(Category::kCatastrophizing) == Pillar::kMindfulness);
  CHECK(default_pillar(Category::kMindReading) == Pillar::kCommonHumanity);
  CHECK(default_pillar(Category::kFortuneTelling) == Pillar::kMindfulness);
  CHECK(default_pillar(Category::kPersonalization) == Pillar::kSelfKindness);
  CHECK(default_pillar(Category::kDiscountingPositive) == Pillar::kSelfKindness);
  CHECK(default_pillar(Category::kEmotionalReasoning) == Pillar::kMindfulness);
  CHECK(default_pillar(Category::kComparison) == Pillar::kCommonHumanity);
  CHECK(default_pillar(Category::kIsolation) == Pillar::kCommonHumanity);
  CHECK(default_pillar(Category::kOverIdentification) == Pillar::kMindfulness);
  CHECK(default_pillar(Category::kUndeserving) == Pillar::kSelfKindness);
  CHECK(default_pillar(Category::kSafety) == Pillar::kNone);
}

TEST_CASE("pillar and severity ids round-trip") {
  for (const char* p : {"none", "self_kindness", "common_humanity", "mindfulness"}) {
    auto v = pillar_from_string(p);
    REQUIRE(v.has_value());
    CHECK(to_string(*v) == p);
  }
  for (const char* s : {"low", "medium", "high"}) {
    auto v = severity_from_string(s);
    REQUIRE(v.has_value());
    CHECK(to_string(*v) == s);
  }
  CHECK_FALSE(severity_from_string("critical").has_value());
  CHECK(static_cast<int>(Severity::kLow) == 1);
  CHECK(static_cast<int>(Severity::kHigh) == 3);
}
