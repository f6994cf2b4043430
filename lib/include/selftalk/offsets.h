// Converting UTF-8 byte offsets into the other units editors and hosts count in.
//
//   selftalk::OffsetMap map(text);
//   auto lc = map.line_column(f.begin);   // 1-based line, column in code points
//   std::size_t js = map.utf16(f.begin);  // for JavaScript and most editors
#ifndef SELFTALK_OFFSETS_H
#define SELFTALK_OFFSETS_H

#include <cstddef>
#include <string_view>
#include <vector>

namespace selftalk {

// An index over one text answering offset queries in O(log n) time. The text must outlive the
// map. An invalid UTF-8 byte counts as one code point and one UTF-16 unit (as U+FFFD would).
// Line breaks are LF, CRLF and lone CR. Thread-safe for concurrent queries.
class OffsetMap {
 public:
  explicit OffsetMap(std::string_view utf8);

  struct LineColumn {
    std::size_t line;    // 1-based
    std::size_t column;  // 1-based, in code points
  };

  // REQUIRES: byte <= text size. A byte inside a multi-byte character is rounded down to it.
  LineColumn line_column(std::size_t byte) const;
  // Number of code points before `byte`.
  std::size_t code_point(std::size_t byte) const;
  // Number of UTF-16 code units before `byte`.
  std::size_t utf16(std::size_t byte) const;

 private:
  struct Block {
    std::size_t code_points;
    std::size_t utf16;
  };
  std::size_t count(std::size_t byte, bool utf16) const;

  std::string_view text_;
  std::vector<std::size_t> line_starts_;
  std::vector<Block> blocks_;  // counts before each kBlock-byte boundary
};

}  // namespace selftalk

#endif  // SELFTALK_OFFSETS_H
