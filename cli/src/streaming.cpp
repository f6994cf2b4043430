#include "streaming.h"

#include <limits>
#include <string>
#include <vector>

namespace selftalk::cli {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

// Up to n bytes from the stream's buffer. As `out << in.rdbuf()` (read_stream) does, an exception
// from the buffer ends the input and leaves the stream's state alone.
std::size_t read_some(std::istream& in, char* buffer, std::size_t n) {
  try {
    std::streambuf* sb = in.rdbuf();
    return sb == nullptr ? 0 : static_cast<std::size_t>(sb->sgetn(buffer, static_cast<std::streamsize>(n)));
  } catch (...) {
    return 0;
  }
}

}  // namespace

StreamAnalyzer document_stream(std::shared_ptr<const Ruleset> rules, const AnalyzeOptions& options) {
  StreamOptions stream;
  stream.max_buffered = std::numeric_limits<std::size_t>::max() / 2;
  return StreamAnalyzer(std::move(rules), options, stream);
}

StreamedDocument stream_document(std::istream& in, StreamAnalyzer& stream, DocumentOutput& output,
                                 const std::array<bool, kCategoryCount>& fail_on) {
  StreamedDocument result;
  std::string window;  // the input from byte window_begin on, which the stream has not analysed yet
  std::size_t window_begin = 0;
  auto take = [&](const std::vector<Finding>& findings) {
    for (const Finding& f : findings) {
      if (!f.reported && fail_on[static_cast<std::size_t>(f.category)]) result.failed = true;
      output.add(f, window, window_begin);
    }
  };
  std::vector<char> chunk(kChunk);
  while (std::size_t n = read_some(in, chunk.data(), chunk.size())) {
    std::string_view piece(chunk.data(), n);
    window += piece;
    take(stream.feed(piece));
    window.erase(0, stream.consumed() - window_begin);
    window_begin = stream.consumed();
  }
  if (in.bad()) {
    stream.finish();
    result.read_error = true;
    return result;
  }
  take(stream.finish());
  result.scores = stream.scores();
  result.invalid_utf8_bytes = stream.invalid_utf8_bytes();
  result.self_compassion_break = stream.self_compassion_break();
  return result;
}

}  // namespace selftalk::cli
