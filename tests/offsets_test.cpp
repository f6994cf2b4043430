// Tests for selftalk/offsets.h, against a brute-force count.
#include "test_util.h"

using selftalk::OffsetMap;

namespace {
struct Brute {
  std::size_t cp = 0, u16 = 0, line = 1, col = 1;
};
Brute brute(std::string_view t, std::size_t byte) {
  Brute b;
  for (std::size_t i = 0; i < byte; ++i) {
    unsigned char c = static_cast<unsigned char>(t[i]);
    bool lead = (c & 0xC0) != 0x80;
    if (lead) {
      ++b.cp;
      b.u16 += (c >= 0xF0 && c <= 0xF4) ? 2 : 1;
    }
    if (c == '\n' || (c == '\r' && (i + 1 == t.size() || t[i + 1] != '\n'))) {
      ++b.line;
      b.col = 1;
    } else if (lead) {
      ++b.col;
    }
  }
  return b;
}
}  // namespace

TEST_CASE("OffsetMap agrees with a brute-force count at every character start") {
  std::string text;
  const char* pieces[] = {"a", "\u00e9", "\u2019", "\U0001F600", "\n", "\r\n", "\r", " ", "\xff"};
  std::uint32_t seed = 7;
  for (int i = 0; i < 3000; ++i) {
    seed = seed * 1103515245u + 12345u;
    text += pieces[(seed >> 16) % std::size(pieces)];
  }
  OffsetMap map(text);
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    Brute b = brute(text, i);
    CAPTURE(i);
    REQUIRE(map.code_point(i) == b.cp);
    REQUIRE(map.utf16(i) == b.u16);
    auto lc = map.line_column(i);
    REQUIRE(lc.line == b.line);
    REQUIRE(lc.column == b.col);
  }
}

TEST_CASE("OffsetMap on empty text and at the end") {
  OffsetMap empty("");
  CHECK(empty.code_point(0) == 0);
  CHECK(empty.line_column(0).line == 1);
  OffsetMap m("ab\ncd");
  CHECK(m.line_column(5).line == 2);
  CHECK(m.line_column(5).column == 3);
  CHECK(m.utf16(5) == 5);
}
