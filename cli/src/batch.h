// Batch runs: many worksheets (files, directories, CSV exports, JSONL records) analysed in
// parallel into one in-memory table, in input order.
#ifndef SELFTALK_CLI_BATCH_H
#define SELFTALK_CLI_BATCH_H

#include <atomic>
#include <cstddef>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "pii.h"
#include "selftalk/analyzer.h"

namespace selftalk::cli {

struct BatchOptions {
  std::vector<std::string> paths;     // files and directories; empty or "-": standard input
  std::string input_format = "auto";  // auto (by extension: .csv, .jsonl/.ndjson, else text), text, csv, jsonl
  std::string csv_id = "id";          // CSV: header name or 1-based number of the id column
  std::string csv_text = "text";      // CSV: the same for the text column
  unsigned jobs = 1;                  // worker threads, >= 1
  std::size_t max_bytes = std::size_t{16} << 20;  // a larger worksheet is an error
  bool redact = false;     // mask personal data in ids, sources and texts before analysis
  bool keep_texts = false; // keep texts and findings (the HTML report needs them); else scores only
  AnalyzeOptions analyze;
};

// One worksheet: one text file, CSV row or JSONL record.
struct Worksheet {
  std::string id;      // file path as given, or the CSV id cell, or the JSONL id (strings unquoted)
  std::string source;  // file path, "path:line" for CSV and JSONL, "<stdin>"
  std::string text;    // redacted if asked; empty unless BatchOptions::keep_texts
  std::string error;   // non-empty: not analysed, and why
  Analysis analysis;   // findings empty unless keep_texts; scores always
  bool safety = false; // a safety finding (crisis language) occurred
  PiiCounts personal_data{};  // personal data found in the original text (before redaction)
  std::size_t bytes = 0;      // size of the text as read

  std::size_t findings() const;  // sum of analysis.scores.by_category
  std::size_t personal_data_total() const;
};

struct Batch {
  std::vector<Worksheet> worksheets;  // in input order
  Scores total;                       // scores of the analysed worksheets added up in order
  std::size_t errors = 0;             // worksheets with an error
  bool redacted = false;
};

// Counters a progress display reads while a batch runs. Updated by the workers.
struct BatchProgress {
  std::atomic<std::size_t> total{0};  // set once the inputs are listed
  std::atomic<std::size_t> done{0};
  std::atomic<std::size_t> bytes{0};
};

// Lists, reads and analyses every worksheet; never fails as a whole. Standard input is read from
// `in`. The result does not depend on options.jobs. progress may be null.
// REQUIRES: rules is not null; options.jobs >= 1.
Batch run_batch(const BatchOptions& options, const std::shared_ptr<const Ruleset>& rules, std::istream& in,
                BatchProgress* progress);

// Number of bytes of text that are not part of valid UTF-8 sequences (each counted once).
std::size_t invalid_utf8_bytes(std::string_view text);

// "" when text is acceptable as a worksheet, else the reason: too large, a NUL byte, or more than
// 8 invalid UTF-8 bytes or more than one per 1,000 bytes ("not UTF-8 text").
std::string check_text(std::string_view text, std::size_t max_bytes);

}  // namespace selftalk::cli

#endif  // SELFTALK_CLI_BATCH_H
