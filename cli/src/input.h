// Reading documents for analysis: plain files, stdin, and JSONL records.
#ifndef SELFTALK_CLI_INPUT_H
#define SELFTALK_CLI_INPUT_H

#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace selftalk::cli {

// One unit of analysis.
struct Document {
  std::string source;   // file name, "<stdin>", or the JSONL source
  std::string id_json;  // JSONL: the record's "id" as JSON text (round-tripped verbatim); else ""
  std::string text;
  std::string error;    // non-empty: this document could not be read/parsed; text is empty
  std::size_t line = 0; // JSONL: 1-based line of the record
};

// Reads a whole stream or file. Returns nullopt and sets *error on failure.
std::optional<std::string> read_stream(std::istream& in, std::string* error);
std::optional<std::string> read_file(const std::string& path, std::string* error);

// Parses one JSONL line {"id": ..., "text": "..."}. On failure sets doc.error (and keeps the id
// if it could be read).
Document parse_record(const std::string& line, const std::string& source, std::size_t line_number);

// Splits JSONL content into records, skipping blank lines.
std::vector<Document> parse_records(const std::string& content, const std::string& source);

}  // namespace selftalk::cli

#endif  // SELFTALK_CLI_INPUT_H
