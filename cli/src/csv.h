// Reading CSV exports (RFC 4180): quoted fields, doubled quotes, line breaks inside quotes,
// CRLF or LF, an optional UTF-8 byte order mark.
#ifndef SELFTALK_CLI_CSV_H
#define SELFTALK_CLI_CSV_H

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace selftalk::cli {

// One record. A malformed record (a quote inside an unquoted field, text after a closing quote,
// an unterminated quoted field) keeps its position and says why in `error`; reading goes on
// at the next line.
struct CsvRow {
  std::vector<std::string> fields;
  std::size_t line = 0;  // 1-based line where the record starts
  std::string error;     // non-empty: the record is malformed and fields are incomplete
};

// Splits CSV text into records. Blank lines are skipped. Never fails as a whole.
std::vector<CsvRow> parse_csv(std::string_view text);

// The column a --csv-id / --csv-text value names in a header row: a header name (exact, then
// case-insensitive), or a 1-based column number. Returns -1 when there is no such column.
int find_column(const std::vector<std::string>& header, std::string_view name_or_number);

// A field as a CSV cell: quoted (with doubled quotes) when it holds a comma, quote, CR or LF, or
// starts with a space.
void append_csv_field(std::string& out, std::string_view field);

}  // namespace selftalk::cli

#endif  // SELFTALK_CLI_CSV_H
