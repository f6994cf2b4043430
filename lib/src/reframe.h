// Private: reframe templates. Syntax: text with {slot} or {slot|filter} placeholders, where a
// slot is a built-in (match, clause, sentence) or a named group of the rule's patterns, and a
// filter is "you" (first person turned to second) or "lower". Documented in rules/README.md.
#ifndef SELFTALK_SRC_REFRAME_H
#define SELFTALK_SRC_REFRAME_H

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace selftalk::detail {

// The slots every rule can fill.
std::span<const std::string_view> builtin_slots();

// The slot names a template refers to, in order (duplicates kept).
std::vector<std::string> template_slots(std::string_view text);

// A description of the first syntax error of a template (unclosed brace, unknown filter, empty
// slot name), or nullopt.
std::optional<std::string> check_template_syntax(std::string_view text);

// Values for a template's slots.
class SlotValues {
 public:
  using Complete = void (*)(void* context, SlotValues& slots);

  void clear() {
    values_.clear();
    complete_ = nullptr;
  }
  void set(std::string_view name, std::string_view value) { values_.push_back({name, value}); }
  // Slots worth finding only when a template asks for one: the first get() of a slot not set
  // (after this call, until clear()) calls complete(context, *this), which may set() more.
  void defer(Complete complete, void* context) {
    complete_ = complete;
    context_ = context;
  }
  // The value of a slot, or nullopt when the slot did not take part in the match.
  std::optional<std::string_view> get(std::string_view name);

 private:
  struct Entry {
    std::string_view name;
    std::string_view value;
  };
  std::vector<Entry> values_;
  Complete complete_ = nullptr;
  void* context_ = nullptr;
};

// Renders a template; nullopt when a slot it uses is missing or empty, so that a reframe never
// speaks of words the writer did not use. Capitalises the first letter of the result.
std::optional<std::string> render_template(std::string_view text, SlotValues& slots);

}  // namespace selftalk::detail

#endif  // SELFTALK_SRC_REFRAME_H
