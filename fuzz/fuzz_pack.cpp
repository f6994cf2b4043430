// Fuzzes rule pack parsing and compilation: any bytes in, either a pack or an error with a
// message; a pack that parses either compiles or fails with a message; a compiled pack runs its
// own examples. The embedded core pack is compiled alongside so that {{MACROS}} resolve.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "check.h"
#include "selftalk/selftalk.h"

namespace {

const selftalk::RulePack& core_pack() {
  static const selftalk::RulePack core = [] {
    auto packs = selftalk::default_packs();
    FUZZ_CHECK(packs.ok());
    for (selftalk::RulePack& p : *packs)
      if (p.name == "en-core") return std::move(p);
    std::abort();
  }();
  return core;
}

void check_error(const selftalk::Error& e) {
  FUZZ_CHECK(!e.message.empty());
  FUZZ_CHECK(e.where.line >= 0 && e.where.column >= 0);
  FUZZ_CHECK(!e.to_string().empty());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)core_pack();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto pack = selftalk::parse_pack(json, "fuzz.json");
  if (!pack) {
    check_error(pack.error());
    FUZZ_CHECK(pack.error().where.file == "fuzz.json");
    return 0;
  }
  const std::size_t rule_count = pack->rules.size();
  std::vector<selftalk::RulePack> packs;
  packs.push_back(std::move(pack).value());
  packs.push_back(core_pack());
  auto rules = selftalk::Ruleset::compile(std::move(packs));
  if (!rules) {
    check_error(rules.error());
    return 0;
  }
  FUZZ_CHECK((*rules)->rules().size() == rule_count + core_pack().rules.size());  // never a partial load
  (void)selftalk::check_examples(*rules);
  selftalk::Analyzer analyzer(*rules);
  (void)analyzer.analyze("I always ruin everything. I should have known better. I'm such a failure.");
  return 0;
}
