// Formatting analysis results for people (text) and programs (JSON, JSONL).
#ifndef SELFTALK_CLI_OUTPUT_H
#define SELFTALK_CLI_OUTPUT_H

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "input.h"
#include "selftalk/analyzer.h"

namespace selftalk::cli {

struct TextStyle {
  bool color = false;  // ANSI colours
};

// file:line:col: category: message, the sentence with the match marked, the friend view and the
// reframes; safety findings with their support message instead.
void write_text(std::ostream& out, const Document& doc, const Analysis& a, const TextStyle& style);

// Totals after all documents: findings per category and pillar, intensity, absolutist rate.
void write_text_summary(std::ostream& out, const Scores& total, std::size_t documents, const TextStyle& style);

// One document as a JSON object: {"source", "id" (records only), "error" (if any), findings...}.
void append_document_json(std::string& out, const Document& doc, const Analysis* a);

// One readable document's output, rendered finding by finding while the document is analysed,
// as text (write_text) or as a JSON object (append_document_json). Safety findings and the others
// are held apart until finish(), which writes the bytes those functions write for the whole-text
// Analysis: safety findings first, then the rest by position, then the document's closing part.
class DocumentOutput {
 public:
  enum class Format { kText, kJson };
  DocumentOutput(Format format, const Document& doc, const TextStyle& style);

  // Renders f. `text` holds the document's bytes from offset `text_begin` on, at least up to
  // f.sentence_end. REQUIRES: within safety findings and within the others, position order.
  void add(const Finding& f, std::string_view text, std::size_t text_begin);

  // Writes the held findings and the closing part: scores, safety, Self-Compassion Break and
  // invalid UTF-8 count (json), or the Self-Compassion Break and the invalid UTF-8 note (text).
  // The held output is released.
  void finish(std::ostream& out, const Scores& scores, std::string_view self_compassion_break,
              std::size_t invalid_utf8_bytes);

 private:
  // Bytes kept in blocks of bounded size, so growing never copies what is already held.
  struct Held {
    std::vector<std::string> blocks;
    bool empty() const { return blocks.empty(); }
    void append(std::string_view s);
    void write(std::ostream& out) const;
  };

  Format format_;
  std::string where_;  // text: "source" or "source[id]"; json: the object's opening members
  TextStyle style_;
  Held safety_, rest_;
  std::string piece_;
};

}  // namespace selftalk::cli

#endif  // SELFTALK_CLI_OUTPUT_H
