// Incremental analysis of long or streamed text: feed chunks as they arrive, receive the findings
// of every sentence that is complete, and the rest at finish().
//
//   selftalk::StreamAnalyzer stream(*selftalk::Ruleset::default_ruleset());
//   while (read(chunk)) for (const selftalk::Finding& f : stream.feed(chunk)) report(f);
//   for (const selftalk::Finding& f : stream.finish()) report(f);
//   const selftalk::Scores& s = stream.scores();  // of the whole stream
//
// Findings are those Analyzer::analyze would give for the whole concatenated text, with every
// offset (bytes, code points, UTF-16 units, line:column, sentence span) counted from the start of
// the stream, however the text is cut into chunks, chunks may end inside a character. A long
// sentence's pieces (see Finding::sentence_begin) are cut where the whole text's are. The one
// exception is a run longer than StreamOptions::max_buffered with neither a sentence boundary nor
// the start of such a piece (no white space in it, or max_buffered under about 1 KB): it is cut
// at its last white space (or character boundary) and the two parts are analysed as separate
// sentences. Memory stays bounded by max_buffered plus the findings handed back, whatever the
// length of the stream or of one chunk.
#ifndef SELFTALK_STREAM_H
#define SELFTALK_STREAM_H

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "selftalk/analyzer.h"

namespace selftalk {

struct StreamOptions {
  // Bytes of unfinished text kept before a cut is forced. REQUIRES: >= 64.
  std::size_t max_buffered = 64 * 1024;
};

// Not thread-safe: one StreamAnalyzer per stream and thread; all may share one Ruleset.
class StreamAnalyzer {
 public:
  // REQUIRES: rules is not null. `options` apply to every sentence of the stream
  // (AnalyzeOptions::scores controls the word counts of scores()).
  explicit StreamAnalyzer(std::shared_ptr<const Ruleset> rules, const AnalyzeOptions& options = {},
                          const StreamOptions& stream = {});
  ~StreamAnalyzer();
  StreamAnalyzer(StreamAnalyzer&&) noexcept;
  StreamAnalyzer& operator=(StreamAnalyzer&&) noexcept;

  // Appends `utf8` (any length, any cut) to the stream and returns the findings of the sentences
  // completed so far that earlier calls have not returned: safety findings first, then by position.
  // A sentence is reported once the text after it settles where it ends, usually with the first
  // letter of the next sentence; at the latest by finish().
  std::vector<Finding> feed(std::string_view utf8);

  // Ends the stream: analyses the buffered rest as the last sentence(s) and returns its findings.
  // scores() and invalid_utf8_bytes() then describe the whole stream. A later feed() starts a new
  // stream at offset 0.
  std::vector<Finding> finish();

  // Scores of everything analysed so far (after finish(): of the whole stream): the same counts
  // and rates as Analyzer::analyze gives the whole text.
  const Scores& scores() const;

  // The Self-Compassion Break Analyzer::analyze would give the text analysed so far (after
  // finish(): the whole stream), or empty. Points into the Ruleset.
  std::string_view self_compassion_break() const;

  // Invalid UTF-8 bytes in the text analysed so far (see Analysis::invalid_utf8_bytes).
  std::size_t invalid_utf8_bytes() const;

  // Bytes analysed so far; findings up to this offset have been returned.
  std::size_t consumed() const;

  // Bytes fed but not yet analysed. Never more than max_buffered.
  std::size_t buffered() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace selftalk

#endif  // SELFTALK_STREAM_H
