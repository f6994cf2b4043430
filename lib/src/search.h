// Private: every match of one pattern in many sentences, as RE2 finds them in each sentence
// alone, with fewer calls into RE2 where the pattern allows it.
#ifndef SELFTALK_SRC_SEARCH_H
#define SELFTALK_SRC_SEARCH_H

#include <re2/re2.h>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "text.h"

namespace selftalk::detail {

// Whether RE2 finds the same matches in a sentence searched within a longer text, as long as the
// characters around it are not word characters: true when `pattern` has no ^, $, \A or \z (a '^'
// right after an unescaped '[' negates a class). Conservative: '^' or '$' anywhere else in a
// class also says false.
bool context_free(std::string_view pattern);

class PatternSearch {
 public:
  struct Match {
    std::size_t sentence;    // an index into the sentences
    std::size_t begin, end;  // within that sentence
  };

  // Appends to `out` every non-empty match of `re` in each sentence text[sentences[k]] for k in
  // `ks` (ascending), in that order: RE2's leftmost-first match, then the next search from its
  // end (an empty match moves on a byte), so the work stays linear however many matches a long
  // line holds. Only spans (RE2 then needs no submatch engine). When `joinable` (context_free()
  // of the pattern), the sentences are searched together, joined by '\n', up to about 16 KB at
  // a time: a match within one sentence is the one it has alone; a sentence where a match runs
  // across the '\n' is searched again alone.
  void find(const RE2& re, bool joinable, std::string_view text, std::span<const Span> sentences,
            std::span<const std::size_t> ks, std::vector<Match>& out);

  // Appends to `out` each k of `ks` (ascending) for which RE2 finds a match, empty or not, in
  // text[sentences[k]] alone; searched together as find() does when `joinable`.
  void matching(const RE2& re, bool joinable, std::string_view text, std::span<const Span> sentences,
                std::span<const std::size_t> ks, std::vector<std::size_t>& out);

 private:
  // Joins sentences ks[first], ks[first + 1], ... into joined_ (each followed by '\n') up to
  // about kJoinBytes; returns the index after the last.
  std::size_t join(std::string_view text, std::span<const Span> sentences, std::span<const std::size_t> ks,
                   std::size_t first);

  std::string joined_;                 // sentences, each followed by '\n'
  std::vector<std::size_t> joined_at_;  // where each begins in joined_, then joined_.size()
};

}  // namespace selftalk::detail

#endif  // SELFTALK_SRC_SEARCH_H
