// Formatting analysis results for people (text) and programs (JSON, JSONL).
#ifndef SELFTALK_CLI_OUTPUT_H
#define SELFTALK_CLI_OUTPUT_H

#include <ostream>
#include <string>

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

}  // namespace selftalk::cli

#endif  // SELFTALK_CLI_OUTPUT_H
