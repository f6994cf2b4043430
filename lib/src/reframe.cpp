#include "reframe.h"

#include <array>
#include <utility>

#include "selftalk/person.h"

namespace selftalk::detail {
namespace {

constexpr std::array<std::string_view, 3> kBuiltins = {"match", "clause", "sentence"};

struct Placeholder {
  std::size_t begin = 0;  // offset of '{'
  std::size_t end = 0;    // one past '}'
  std::string_view name;
  std::string_view filter;
};

// Finds the next placeholder at or after `from`. Returns false at the end; sets *error on a
// malformed one.
bool next_placeholder(std::string_view text, std::size_t from, Placeholder& out, std::string* error) {
  std::size_t open = text.find('{', from);
  if (open == std::string_view::npos) return false;
  std::size_t close = text.find('}', open);
  if (close == std::string_view::npos) {
    *error = "unclosed '{' at byte " + std::to_string(open);
    return false;
  }
  std::string_view inner = text.substr(open + 1, close - open - 1);
  std::size_t bar = inner.find('|');
  out.begin = open;
  out.end = close + 1;
  out.name = inner.substr(0, bar);
  out.filter = bar == std::string_view::npos ? std::string_view() : inner.substr(bar + 1);
  return true;
}

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Lower-cases ASCII letters, but keeps the pronoun "I" (and I'm, I've, ...) capitalised.
std::string lower_keeping_i(std::string_view s) {
  std::string out(s);
  for (std::size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    bool lone_i = (c == 'I' || c == 'i') && (i == 0 || !is_ascii_letter(out[i - 1])) &&
                  (i + 1 == out.size() || !is_ascii_letter(out[i + 1]));
    if (lone_i) out[i] = 'I';
    else if (c >= 'A' && c <= 'Z') out[i] = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::span<const std::string_view> builtin_slots() { return kBuiltins; }

std::optional<std::string_view> SlotValues::get(std::string_view name) {
  for (const Entry& e : values_)
    if (e.name == name) return e.value;
  if (complete_ == nullptr) return std::nullopt;
  std::exchange(complete_, nullptr)(context_, *this);
  return get(name);
}

std::vector<std::string> template_slots(std::string_view text) {
  std::vector<std::string> out;
  Placeholder p;
  std::string error;
  for (std::size_t at = 0; next_placeholder(text, at, p, &error); at = p.end) out.emplace_back(p.name);
  return out;
}

std::optional<std::string> check_template_syntax(std::string_view text) {
  Placeholder p;
  std::string error;
  std::size_t at = 0;
  while (next_placeholder(text, at, p, &error)) {
    if (!valid_name(p.name)) return "bad slot name {" + std::string(p.name) + "}";
    if (!p.filter.empty() && p.filter != "you" && p.filter != "lower")
      return "unknown filter '" + std::string(p.filter) + "' in {" + std::string(p.name) + "|" +
             std::string(p.filter) + "} (you or lower)";
    at = p.end;
  }
  if (!error.empty()) return error;
  return std::nullopt;
}

std::optional<std::string> render_template(std::string_view text, SlotValues& slots) {
  std::string out;
  out.reserve(text.size() + 48);  // most slot values are a few words: one allocation
  Placeholder p;
  std::string error;
  std::size_t at = 0;
  while (next_placeholder(text, at, p, &error)) {
    out.append(text.substr(at, p.begin - at));
    std::optional<std::string_view> found = slots.get(p.name);
    if (!found || found->empty()) return std::nullopt;
    // A slot may span a wrapped line: runs of white space read as one space (none at the start).
    auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
    std::string_view value = *found;
    std::string flat;
    bool uneven = is_space(value.front());  // a space first, a line end or tab, or two spaces
    for (std::size_t i = 0; i < value.size() && !uneven; ++i)
      uneven = value[i] != ' ' ? is_space(value[i]) : i + 1 < value.size() && value[i + 1] == ' ';
    if (uneven) {
      for (char c : value) {
        if (!is_space(c)) flat += c;
        else if (!flat.empty() && flat.back() != ' ') flat += ' ';
      }
      value = flat;
    }
    if (p.filter == "you") {
      std::string you = to_second_person(value);
      // Mid-sentence, "I ruin it" reads "...you ruin it" and "Nothing works" "...nothing works";
      // words in capitals ("NOTHING WORKS") keep their case.
      bool capitalised = you.size() > 1 && you[0] >= 'A' && you[0] <= 'Z' && !(you[1] >= 'A' && you[1] <= 'Z');
      if (!out.empty() && capitalised) you[0] = static_cast<char>(you[0] - 'A' + 'a');
      out += you;
    } else if (p.filter == "lower") {
      out += lower_keeping_i(value);
    } else {
      out.append(value);
    }
    at = p.end;
  }
  out.append(text.substr(at));
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

}  // namespace selftalk::detail
