#include "selftalk/offsets.h"

#include <algorithm>

#include "text.h"

namespace selftalk {
namespace {
constexpr std::size_t kBlock = 256;

// Bytes of the character at p[i]: a valid UTF-8 sequence, or 1 for an invalid byte.
std::size_t char_length(const unsigned char* p, std::size_t i, std::size_t n) {
  std::size_t len = detail::utf8_sequence_length(p + i, n - i);
  return len == 0 ? 1 : len;
}

// UTF-16 units of a character of `len` bytes (an invalid byte counts as one, as U+FFFD would).
std::size_t utf16_units(std::size_t len) { return len == 4 ? 2 : 1; }
}  // namespace

OffsetMap::OffsetMap(std::string_view utf8) : text_(utf8) {
  const auto* p = reinterpret_cast<const unsigned char*>(text_.data());
  const std::size_t n = text_.size();
  line_starts_.push_back(0);
  blocks_.reserve(n / kBlock + 1);
  Block running{0, 0};
  std::size_t next_block = 0;
  for (std::size_t i = 0; i < n;) {
    // A block's counts cover every character that starts before the block.
    for (; next_block <= i; next_block += kBlock) blocks_.push_back(running);
    const unsigned char c = p[i];
    if (c == '\n' || (c == '\r' && (i + 1 == n || p[i + 1] != '\n'))) line_starts_.push_back(i + 1);
    const std::size_t len = char_length(p, i, n);
    running.code_points += 1;
    running.utf16 += utf16_units(len);
    i += len;
  }
  for (; next_block <= n; next_block += kBlock) blocks_.push_back(running);
}

std::size_t OffsetMap::count(std::size_t byte, bool utf16) const {
  const auto* p = reinterpret_cast<const unsigned char*>(text_.data());
  const std::size_t n = text_.size();
  byte = std::min(byte, n);
  const std::size_t block = byte / kBlock;
  const Block& b = blocks_[block];
  std::size_t total = utf16 ? b.utf16 : b.code_points;
  std::size_t i = block * kBlock;
  // Skip the rest of a character that started in the previous block (already counted).
  for (std::size_t back = 1; back <= 3 && back <= i; ++back) {
    std::size_t len = detail::utf8_sequence_length(p + i - back, n - (i - back));
    if (len > back) {
      i += len - back;
      if (byte < i) return total - (utf16 ? utf16_units(len) : 1);  // byte is inside it: round down
      break;
    }
  }
  while (i < byte) {
    const std::size_t len = char_length(p, i, n);
    if (i + len > byte) break;  // byte is inside this character: round down
    total += utf16 ? utf16_units(len) : 1;
    i += len;
  }
  return total;
}

std::size_t OffsetMap::code_point(std::size_t byte) const { return count(byte, false); }
std::size_t OffsetMap::utf16(std::size_t byte) const { return count(byte, true); }

OffsetMap::LineColumn OffsetMap::line_column(std::size_t byte) const {
  byte = std::min(byte, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte) - 1;
  std::size_t line = static_cast<std::size_t>(it - line_starts_.begin()) + 1;
  return {line, code_point(byte) - code_point(*it) + 1};
}

}  // namespace selftalk
