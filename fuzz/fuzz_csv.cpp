// Fuzzes the CSV reader (cli/src/csv.h): any bytes in, records with rising lines; a record read
// without error is written back with append_csv_field and reads back the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "check.h"
#include "csv.h"

namespace {

// Physical lines: LF, CRLF and lone CR each end one.
std::size_t count_lines(std::string_view s) {
  std::size_t lines = 1;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'))) ++lines;
  return lines;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<selftalk::cli::CsvRow> rows = selftalk::cli::parse_csv(text);
  const std::size_t lines = count_lines(text);
  std::size_t last = 0;
  for (const selftalk::cli::CsvRow& row : rows) {
    FUZZ_CHECK(row.line > last && row.line <= lines);
    FUZZ_CHECK(!row.fields.empty());
    last = row.line;
    if (!row.error.empty() || (row.fields.size() == 1 && row.fields[0].empty())) continue;
    // A leading BOM is stripped once, so one written first keeps a field's own BOM.
    std::string again = "\xEF\xBB\xBF";
    for (std::size_t i = 0; i < row.fields.size(); ++i) {
      if (i > 0) again += ',';
      selftalk::cli::append_csv_field(again, row.fields[i]);
    }
    again += "\r\n";
    std::vector<selftalk::cli::CsvRow> back = selftalk::cli::parse_csv(again);
    FUZZ_CHECK(back.size() == 1 && back[0].error.empty() && back[0].fields == row.fields && back[0].line == 1);
  }
  return 0;
}
