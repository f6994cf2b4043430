// Fuzzes reframe templating (lib/src/reframe.h): the input is a template, then NUL-separated
// slot values. A template that passes the syntax check and has every slot filled renders.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "check.h"
#include "reframe.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t nul = in.find('\0');
  std::string_view text = in.substr(0, nul);
  std::vector<std::string_view> values;
  for (std::size_t at = nul; at != std::string_view::npos && at < in.size();) {
    std::size_t next = in.find('\0', at + 1);
    values.push_back(in.substr(at + 1, next == std::string_view::npos ? std::string_view::npos : next - at - 1));
    at = next;
  }

  std::optional<std::string> syntax = selftalk::detail::check_template_syntax(text);
  std::vector<std::string> names = selftalk::detail::template_slots(text);
  selftalk::detail::SlotValues slots;
  bool all_filled = true;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string_view v = i < values.size() ? values[i] : std::string_view("I always fail");
    all_filled = all_filled && !v.empty();
    slots.set(names[i], v);
  }
  std::optional<std::string> out = selftalk::detail::render_template(text, slots);
  if (!syntax && all_filled) FUZZ_CHECK(out.has_value());
  return 0;
}
