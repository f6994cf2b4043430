#include "streaming.h"

#include <limits>
#include <string>
#include <vector>

namespace selftalk::cli {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

// Analyzer::analyze's rule for the Self-Compassion Break (lib/src/analyzer.cpp): at least three
// findings in the writer's own voice that are not safety, and a critic intensity of at least 5;
// the text is the first one the packs define.
constexpr std::size_t kBreakMinFindings = 3;
constexpr double kBreakMinIntensity = 5.0;

std::string_view self_compassion_break(const Ruleset& rules) {
  for (const RulePack& pack : rules.packs())
    if (!pack.self_compassion_break.text.empty()) return pack.self_compassion_break.text;
  return {};
}

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

StreamedDocument stream_document(std::istream& in, StreamAnalyzer& stream, const Ruleset& rules, DocumentOutput& output,
                                 const std::array<bool, kCategoryCount>& fail_on) {
  StreamedDocument result;
  std::string window;  // the input from byte window_begin on, which the stream has not analysed yet
  std::size_t window_begin = 0, critic = 0;
  double weight = 0;
  auto take = [&](const std::vector<Finding>& findings) {
    for (const Finding& f : findings) {
      if (!f.reported) {
        if (fail_on[static_cast<std::size_t>(f.category)]) result.failed = true;
        if (f.category != Category::kSafety) ++critic;
        weight += static_cast<int>(f.severity);
      }
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
  // The stream adds up the rates of its parts in floating point; the whole text's are computed
  // once, as Analyzer::analyze does, so that they print the same.
  result.scores = stream.scores();
  Scores& s = result.scores;
  if (s.words > 0) {
    s.critic_intensity = weight * 100.0 / static_cast<double>(s.words);
    s.absolutist_rate = static_cast<double>(s.absolutist_words) / static_cast<double>(s.words);
  }
  result.invalid_utf8_bytes = stream.invalid_utf8_bytes();
  if (critic >= kBreakMinFindings && s.critic_intensity >= kBreakMinIntensity)
    result.self_compassion_break = self_compassion_break(rules);
  return result;
}

}  // namespace selftalk::cli
