#include "context.h"

#include <array>

namespace selftalk::detail {
namespace {

bool is_letter_byte(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80; }

bool starts_with_at(std::string_view s, std::size_t i, std::string_view what) {
  return s.compare(i, what.size(), what) == 0;
}

// Length of a clause boundary that ends just before byte i (s[..i)), or 0.
std::size_t boundary_before(std::string_view s, std::size_t i, bool weak) {
  const unsigned char c = static_cast<unsigned char>(s[i - 1]);
  if (c == ';' || c == '.' || c == '!' || c == '?') return 1;
  if (weak && (c == ',' || c == ':' || c == '(' || c == ')' || c == '"')) return 1;
  if (weak && i >= 3 && static_cast<unsigned char>(s[i - 3]) == 0xE2) {
    std::string_view last3 = s.substr(i - 3, 3);
    if (last3 == "\u2014" || last3 == "\u2013" || last3 == "\u201C" || last3 == "\u201D") return 3;
  }
  // Contrast words: " but ", " though ", ... followed by the space at s[i-1]; each ends in t, h
  // or r (most words before a space do not).
  const char end = i >= 2 ? static_cast<char>(s[i - 2] | 0x20) : '\0';
  if (c == ' ' && (end == 't' || end == 'h' || end == 'r')) {
    static constexpr std::array<std::string_view, 5> kWords = {"but", "though", "although", "however", "yet"};
    for (std::string_view w : kWords) {
      if (i < w.size() + 1) continue;
      std::size_t start = i - 1 - w.size();
      bool word = true;
      for (std::size_t k = 0; k < w.size(); ++k) {
        char x = s[start + k];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (x != w[k]) word = false;
      }
      if (word && (start == 0 || !is_letter_byte(static_cast<unsigned char>(s[start - 1])))) return 1;
    }
  }
  return 0;
}

}  // namespace

std::size_t clause_begin(std::string_view sentence, std::size_t pos, bool weak) {
  std::size_t limit = pos > kCueWindow ? pos - kCueWindow : 0;
  for (std::size_t i = pos; i > limit; --i)
    if (boundary_before(sentence, i, weak) > 0) return i;
  if (limit == 0) return 0;
  // A clause longer than the window starts at the window's first whole word.
  std::size_t space = sentence.find(' ', limit - 1);
  return space < pos ? space + 1 : limit;
}

std::size_t clause_end(std::string_view sentence, std::size_t pos) {
  std::size_t limit = std::min(sentence.size(), pos + kCueWindow);
  std::size_t i = pos;
  for (; i < limit; ++i) {
    unsigned char c = static_cast<unsigned char>(sentence[i]);
    if (c == ';' || c == '.' || c == '!' || c == '?' || c == ',' || c == ':' || c == '(' || c == ')' || c == '"')
      break;
    if (c == 0xE2 && (starts_with_at(sentence, i, "\u2014") || starts_with_at(sentence, i, "\u2013") ||
                      starts_with_at(sentence, i, "\u201C") || starts_with_at(sentence, i, "\u201D")))
      break;
  }
  if (i == limit && limit < sentence.size() && sentence[limit] != ' ') {
    // A clause longer than the window ends at the window's last whole word.
    std::size_t space = sentence.rfind(' ', limit);
    if (space != std::string_view::npos && space > pos) i = space;
  }
  while (i > pos && (sentence[i - 1] == ' ' || sentence[i - 1] == '\t')) --i;
  return i;
}

void quoted_spans(std::string_view s, std::vector<Span>& out) {
  static constexpr std::string_view kLeftDouble = "\u201C", kRightDouble = "\u201D";
  static constexpr std::string_view kLeftSingle = "\u2018", kRightSingle = "\u2019";
  auto letter_after = [&](std::size_t i) { return i < s.size() && is_letter_byte(static_cast<unsigned char>(s[i])); };
  auto letter_before = [&](std::size_t i) { return i > 0 && is_letter_byte(static_cast<unsigned char>(s[i - 1])); };
  std::size_t open_ascii = std::string_view::npos;
  std::size_t open_curly = std::string_view::npos;
  std::size_t open_single = std::string_view::npos;
  char single_kind = 0;  // '\'' or 'c' (curly) for the open single quote
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Every quote below is '"', '\'' or starts with the byte 0xE2 (U+2018-U+201D).
    if (s[i] != '"' && s[i] != '\'' && static_cast<unsigned char>(s[i]) != 0xE2) continue;
    if (s[i] == '"') {
      if (open_ascii == std::string_view::npos) open_ascii = i + 1;
      else {
        out.push_back({open_ascii, i});
        open_ascii = std::string_view::npos;
      }
    } else if (starts_with_at(s, i, kLeftDouble)) {
      open_curly = i + kLeftDouble.size();
      i += kLeftDouble.size() - 1;
    } else if (starts_with_at(s, i, kRightDouble)) {
      if (open_curly != std::string_view::npos) out.push_back({open_curly, i});
      open_curly = std::string_view::npos;
      i += kRightDouble.size() - 1;
    } else if (starts_with_at(s, i, kLeftSingle)) {
      open_single = i + kLeftSingle.size();
      single_kind = 'c';
      i += kLeftSingle.size() - 1;
    } else if (s[i] == '\'' || starts_with_at(s, i, kRightSingle)) {
      std::size_t len = s[i] == '\'' ? 1 : kRightSingle.size();
      bool before = letter_before(i), after = letter_after(i + len);
      if (open_single == std::string_view::npos) {
        // An opening quote stands before a word and after a non-letter: 'you idiot'.
        if (!before && after && s[i] == '\'') {
          open_single = i + 1;
          single_kind = '\'';
        }
      } else if (!after && (before || (i > 0 && (s[i - 1] == '!' || s[i - 1] == '?' || s[i - 1] == '.')))) {
        // A closing quote follows the quoted words and is not inside a word (not "I'm").
        // "the kids' bikes" could close a quote too: accepted, as it needs an opener first.
        if (single_kind == 'c' || s[i] == '\'' || len == kRightSingle.size()) {
          out.push_back({open_single, i});
          open_single = std::string_view::npos;
        }
      }
      i += len - 1;
    }
  }
}

}  // namespace selftalk::detail
