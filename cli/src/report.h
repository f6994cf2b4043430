// Batch outputs, all generated from one in-memory Batch so that their counts agree: the
// per-worksheet table (CSV, JSON), the summary (JSON, text) and the self-contained HTML report.
#ifndef SELFTALK_CLI_REPORT_H
#define SELFTALK_CLI_REPORT_H

#include <ostream>
#include <string>
#include <vector>

#include "batch.h"

namespace selftalk::cli {

// The table's column names, in order: id, source, status, words, sentences, findings, one per
// category, one per pillar, critic_intensity, absolutist_rate, safety_flag, personal_data, error.
std::vector<std::string> table_columns();

// One row of the table as text cells (numbers formatted once, shared by every output).
std::vector<std::string> table_row(const Worksheet& w);

// RFC 4180 CSV with a header row; CRLF line ends. Deterministic.
std::string table_csv(const Batch& batch);

// {"selftalk": version, "columns": [...], "worksheets": [{column: value, ...}, ...]}
std::string table_json(const Batch& batch);

// Totals, the distribution of each category and pillar across the analysed worksheets, the
// worksheets with safety findings (first), the errors and the personal data left.
std::string summary_json(const Batch& batch);

// The summary for people: safety first, then totals, distribution, errors, personal data.
void write_summary_text(std::ostream& out, const Batch& batch);

// One HTML file with no external assets and a Content-Security-Policy that forbids every
// network request: charts (inline SVG), a sortable table (a small inline script), each
// worksheet's text with findings highlighted and reframes beside them, safety findings first.
// REQUIRES: the batch was run with keep_texts (else the texts are left out).
std::string html_report(const Batch& batch);

// Escapes &, <, >, " and ' and replaces invalid UTF-8 and control characters (except tab and line
// ends) with U+FFFD, so any text is safe inside an element or a quoted attribute.
void append_html_escaped(std::string& out, std::string_view text);

// Writes content to path atomically: a temporary file in the same directory, flushed, then
// renamed over path (over the file a symbolic link points to, keeping the link). A path that is
// a device or a FIFO (/dev/stdout) is written in place. Returns "" or the reason it failed (the
// temporary file is removed).
std::string write_file_atomic(const std::string& path, std::string_view content);

}  // namespace selftalk::cli

#endif  // SELFTALK_CLI_REPORT_H
