#include "selftalk/offsets.h"

#include <algorithm>

namespace selftalk {
namespace {
constexpr std::size_t kBlock = 256;

bool is_lead(unsigned char c) { return (c & 0xC0) != 0x80; }

// UTF-16 units for a code point starting with lead byte c (invalid bytes count as one).
std::size_t utf16_units(unsigned char c) { return c >= 0xF0 && c <= 0xF4 ? 2 : 1; }
}  // namespace

OffsetMap::OffsetMap(std::string_view utf8) : text_(utf8) {
  line_starts_.push_back(0);
  Block running{0, 0};
  blocks_.reserve(text_.size() / kBlock + 1);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (i % kBlock == 0) blocks_.push_back(running);
    const unsigned char c = static_cast<unsigned char>(text_[i]);
    if (c == '\n' || (c == '\r' && (i + 1 == text_.size() || text_[i + 1] != '\n'))) line_starts_.push_back(i + 1);
    if (is_lead(c)) {
      running.code_points += 1;
      running.utf16 += utf16_units(c);
    }
  }
  blocks_.push_back(running);
}

std::size_t OffsetMap::count(std::size_t byte, bool utf16) const {
  byte = std::min(byte, text_.size());
  const std::size_t block = byte / kBlock;
  const Block& b = blocks_[std::min(block, blocks_.size() - 1)];
  std::size_t n = utf16 ? b.utf16 : b.code_points;
  for (std::size_t i = block * kBlock; i < byte; ++i) {
    const unsigned char c = static_cast<unsigned char>(text_[i]);
    if (is_lead(c)) n += utf16 ? utf16_units(c) : 1;
  }
  return n;
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
