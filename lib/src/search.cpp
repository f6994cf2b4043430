#include "search.h"

#include <algorithm>

namespace selftalk::detail {
namespace {

constexpr std::size_t kJoinBytes = 16 << 10;

// Every non-empty match of `re` in `s` from byte `pos` on, appended to `out` as sentence k's.
void find_alone(const RE2& re, std::string_view s, std::size_t k, std::size_t pos,
                std::vector<PatternSearch::Match>& out) {
  for (re2::StringPiece m; pos <= s.size() && re.Match(s, pos, s.size(), RE2::UNANCHORED, &m, 1);) {
    const auto b = static_cast<std::size_t>(m.data() - s.data());
    const std::size_t e = b + m.size();
    if (e > b) out.push_back({k, b, e});
    pos = e > b ? e : e + 1;
  }
}

}  // namespace

bool context_free(std::string_view pattern) {
  bool class_opened = false;  // the last character was an unescaped '['
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '$' || (c == '^' && !class_opened)) return false;
    class_opened = c == '[';
    if (c == '\\' && i + 1 < pattern.size()) {
      const char e = pattern[++i];  // an escaped character is a literal, or a class like \s
      if (e == 'A' || e == 'z') return false;
    }
  }
  return true;
}

void PatternSearch::matching(const RE2& re, bool joinable, std::string_view text, std::span<const Span> sentences,
                             std::span<const std::size_t> ks, std::vector<std::size_t>& out) {
  auto sentence = [&](std::size_t k) { return text.substr(sentences[k].begin, sentences[k].end - sentences[k].begin); };
  auto alone = [&](std::string_view s, std::size_t from) { return re.Match(s, from, s.size(), RE2::UNANCHORED, nullptr, 0); };
  if (!joinable) {
    for (std::size_t k : ks)
      if (alone(sentence(k), 0)) out.push_back(k);
    return;
  }
  for (std::size_t first = 0; first < ks.size();) {
    const std::size_t last = join(text, sentences, ks, first);
    const std::string_view all(joined_);
    std::size_t t = 0;    // sentence ks[first + t] is all[joined_at_[t], joined_at_[t + 1] - 1)
    std::size_t pos = 0;  // where the next search starts: a sentence's first byte
    for (re2::StringPiece m; pos < all.size() && re.Match(all, pos, all.size(), RE2::UNANCHORED, &m, 1);) {
      const auto b = static_cast<std::size_t>(m.data() - all.data());
      if (b == all.size()) break;  // empty, after the last '\n'
      while (joined_at_[t + 1] <= b) ++t;
      const std::size_t from = joined_at_[t], end = joined_at_[t + 1] - 1;
      // Within the sentence (an empty match at its end too), it matches alone. Across the '\n',
      // no match alone starts before b (the joined search would have found it first).
      if (b + m.size() <= end || alone(all.substr(from, end - from), b - from)) out.push_back(ks[first + t]);
      pos = end + 1;
    }
    first = last;
  }
}

std::size_t PatternSearch::join(std::string_view text, std::span<const Span> sentences, std::span<const std::size_t> ks,
                                std::size_t first) {
  joined_.clear();
  joined_at_.clear();
  std::size_t last = first;
  for (; last < ks.size() && (last == first || joined_.size() < kJoinBytes); ++last) {
    joined_at_.push_back(joined_.size());
    joined_.append(text.substr(sentences[ks[last]].begin, sentences[ks[last]].end - sentences[ks[last]].begin));
    joined_ += '\n';
  }
  joined_at_.push_back(joined_.size());
  return last;
}

void PatternSearch::find(const RE2& re, bool joinable, std::string_view text, std::span<const Span> sentences,
                         std::span<const std::size_t> ks, std::vector<Match>& out) {
  auto sentence = [&](std::size_t k) { return text.substr(sentences[k].begin, sentences[k].end - sentences[k].begin); };
  if (!joinable) {
    for (std::size_t k : ks) find_alone(re, sentence(k), k, 0, out);
    return;
  }
  for (std::size_t first = 0; first < ks.size();) {
    const std::size_t last = join(text, sentences, ks, first);
    const std::string_view all(joined_);
    std::size_t t = 0;    // sentence ks[first + t] is all[joined_at_[t], joined_at_[t + 1] - 1)
    std::size_t pos = 0;  // where the next search starts
    for (re2::StringPiece m; pos < all.size() && re.Match(all, pos, all.size(), RE2::UNANCHORED, &m, 1);) {
      const auto b = static_cast<std::size_t>(m.data() - all.data());
      const std::size_t e = b + m.size();
      if (b == all.size()) break;  // empty, after the last '\n'
      while (joined_at_[t + 1] <= b) ++t;
      const std::size_t from = joined_at_[t], end = joined_at_[t + 1] - 1;
      if (b < end && e <= end) {
        if (e > b) out.push_back({ks[first + t], b - from, e - from});
        pos = e > b ? e : e + 1;
        continue;
      }
      // From the '\n' on, or across it: sentence t has no other match than what it has alone.
      if (b < end) find_alone(re, all.substr(from, end - from), ks[first + t], pos > from ? pos - from : 0, out);
      pos = end + 1;
    }
    first = last;
  }
}

}  // namespace selftalk::detail
