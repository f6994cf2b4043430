// Tests for lib/src/saved_packs.h (private): the built-in packs saved at build time load as
// exactly what parsing their JSON gives, and damaged bytes never load.
#include <cstdint>
#include <cstring>

#include "embedded_packs.h"
#include "saved_packs.h"
#include "test_util.h"

using namespace selftalk;
using namespace selftalk::detail;

namespace {

// A pack that uses every field the format holds, with values unlike the defaults.
RulePack every_field_pack() {
  auto parsed = parse_pack(test::one_rule_pack(R"("\\b(always|never)\\b", "{{ME}} ruin")",
                                               R"("exceptions": ["tea", "drink"], "ignore_context": ["reported"],)",
                                               R"x("description": "d ü", "macros": {"ME": "(i|we)"},
      "absolutist_words": ["always", "never"], "support_message": "call someone",
      "self_compassion_break": "breathe", "context": {"negation": ["not"], "reported": ["said"], "past": ["used to"]},
      "category_defaults": {"should": {"friend": "f", "reframes": [{"strategy": "wish", "text": "w"}]}},)x"),
                           "every.json");
  REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error().to_string()));
  RulePack p = std::move(parsed).value();
  p.builtin = true;
  p.rules[0].severity = Severity::kHigh;
  p.rules[0].category = Category::kUndeserving;
  p.rules[0].pillar = Pillar::kCommonHumanity;
  return p;
}

}  // namespace

TEST_CASE("default_packs loads the saved packs - equal to parsing the embedded JSON") {
  // The saved form must really load (else default_packs parses, and the comparison below would
  // compare parsing with itself).
  auto saved = load_saved_packs(embedded_saved_packs(), embedded_packs_key());
  REQUIRE(saved.has_value());
  auto parsed = parse_embedded_packs();
  REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error().to_string()));
  REQUIRE(saved->size() == parsed->size());
  CHECK(saved->size() == embedded_packs().size());
  for (std::size_t i = 0; i < saved->size(); ++i) {
    INFO((*parsed)[i].source);
    CHECK((*saved)[i].rules.size() == (*parsed)[i].rules.size());
    CHECK((*saved)[i] == (*parsed)[i]);  // every field, every location
  }
  auto packs = default_packs();
  REQUIRE(packs.ok());
  CHECK(*packs == *saved);
}

TEST_CASE("saved packs round-trip every field and only load under their key") {
  const std::vector<RulePack> packs{every_field_pack(), RulePack{}, every_field_pack()};
  const std::string bytes = save_packs(packs, "key");
  auto loaded = load_saved_packs(bytes, "key");
  REQUIRE(loaded.has_value());
  CHECK(*loaded == packs);
  CHECK((*loaded)[0].macros.at(0).second.text == "(i|we)");
  CHECK((*loaded)[0].rules.at(0).severity == Severity::kHigh);
  CHECK_FALSE(load_saved_packs(bytes, "other key").has_value());
  CHECK_FALSE(load_saved_packs(bytes, "").has_value());
  CHECK_FALSE(load_saved_packs(bytes + "x", "key").has_value());  // trailing bytes
  CHECK_FALSE(load_saved_packs("", "key").has_value());
  auto none = load_saved_packs(save_packs({}, "k"), "k");
  REQUIRE(none.has_value());
  CHECK(none->empty());
}

TEST_CASE("damaged saved packs do not load") {
  const std::vector<RulePack> packs{every_field_pack()};
  const std::string bytes = save_packs(packs, "key");
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    INFO("cut at " << n);
    CHECK_FALSE(load_saved_packs(std::string_view(bytes).substr(0, n), "key").has_value());
  }
  // Eight bytes at every offset in turn set to -1 and to 2^40 (a negative or huge length, count,
  // number or enumeration wherever a value starts there): whatever loads, nothing is read out of
  // bounds; the sanitizers' build runs this.
  for (std::size_t at = 0; at + 8 <= bytes.size(); ++at) {
    for (std::int64_t v : {std::int64_t{-1}, std::int64_t{1} << 40}) {
      std::string damaged = bytes;
      std::memcpy(damaged.data() + at, &v, sizeof v);
      (void)load_saved_packs(damaged, "key");
    }
  }
}

TEST_CASE("a flag out of range does not load") {
  const std::string good = save_packs({every_field_pack()}, "k");
  // The pack's source, then its flag `builtin` (1).
  const std::string source = "every.json";
  const std::int64_t one = 1;
  const std::size_t at = good.find(source + std::string(reinterpret_cast<const char*>(&one), sizeof one));
  REQUIRE(at != std::string::npos);
  std::string damaged = good;
  const std::int64_t two = 2;
  std::memcpy(damaged.data() + at + source.size(), &two, sizeof two);
  CHECK_FALSE(load_saved_packs(damaged, "k").has_value());
  const std::int64_t zero = 0;
  std::memcpy(damaged.data() + at + source.size(), &zero, sizeof zero);
  auto loaded = load_saved_packs(damaged, "k");
  REQUIRE(loaded.has_value());
  CHECK_FALSE(loaded->at(0).builtin);
}

TEST_CASE("an enumeration out of range does not load") {
  RulePack p = every_field_pack();
  const std::string good = save_packs({p}, "k");
  // The rule's severity is the only value 3 (kHigh) right after the category and pillar values
  // 13 and 2: find that run of three numbers and set the severity to 4.
  const std::int64_t run[3] = {13, 2, 3};
  const std::size_t at = good.find(std::string_view(reinterpret_cast<const char*>(run), sizeof run));
  REQUIRE(at != std::string::npos);
  for (std::int64_t bad : {std::int64_t{4}, std::int64_t{0}, std::int64_t{-3}}) {
    std::string damaged = good;
    std::memcpy(damaged.data() + at + 16, &bad, sizeof bad);
    CHECK_FALSE(load_saved_packs(damaged, "k").has_value());
  }
  std::string category = good;
  const std::int64_t past_last = static_cast<std::int64_t>(kCategoryCount);
  std::memcpy(category.data() + at, &past_last, sizeof past_last);
  CHECK_FALSE(load_saved_packs(category, "k").has_value());
}
