// Analysing a text input while it is read, so that the whole input is never held in memory.
#ifndef SELFTALK_CLI_STREAMING_H
#define SELFTALK_CLI_STREAMING_H

#include <array>
#include <istream>
#include <memory>
#include <string_view>

#include "output.h"
#include "selftalk/stream.h"

namespace selftalk::cli {

// A stream that never cuts a sentence however long it runs, so its findings and counts are those
// of Analyzer::analyze on the whole text; it then buffers the longest run without a sentence end.
StreamAnalyzer document_stream(std::shared_ptr<const Ruleset> rules, const AnalyzeOptions& options);

// What one streamed input gave, equal to Analyzer::analyze on its whole text.
struct StreamedDocument {
  bool read_error = false;  // the input stream went bad; nothing of it is to be reported
  Scores scores;
  std::string_view self_compassion_break;  // points into the stream's ruleset
  std::size_t invalid_utf8_bytes = 0;
  bool failed = false;  // a finding in the writer's own voice has a category of fail_on
};

// Reads `in` to its end in chunks as read_stream does, feeds them to `stream` (from
// document_stream, finished or new) and renders each finding into `output` as it arrives. Holds
// only the text the stream has not analysed yet.
StreamedDocument stream_document(std::istream& in, StreamAnalyzer& stream, DocumentOutput& output,
                                 const std::array<bool, kCategoryCount>& fail_on);

}  // namespace selftalk::cli

#endif  // SELFTALK_CLI_STREAMING_H
