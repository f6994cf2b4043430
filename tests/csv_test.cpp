// Tests for reading CSV exports (cli/src/csv.h): RFC 4180 quoting, multi-line cells, BOM, CRLF,
// malformed records and recovery, column selection, writing fields.
#include "csv.h"

#include "test_util.h"

using selftalk::cli::append_csv_field;
using selftalk::cli::CsvRow;
using selftalk::cli::find_column;
using selftalk::cli::parse_csv;

namespace {
std::vector<std::string> v(std::initializer_list<const char*> l) { return {l.begin(), l.end()}; }
}  // namespace

TEST_CASE("csv: plain and quoted and empty fields / LF and CRLF / a last line without a line end") {
  auto rows = parse_csv("a,b,c\n1,\"two, too\",\r\n\"\",x,\"y\"");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].fields == v({"a", "b", "c"}));
  CHECK(rows[1].fields == v({"1", "two, too", ""}));
  CHECK(rows[2].fields == v({"", "x", "y"}));
  for (const CsvRow& r : rows) CHECK(r.error.empty());
  CHECK(rows[2].line == 3);
}

TEST_CASE("csv: doubled quotes and line breaks inside quoted cells / line numbers count them") {
  auto rows = parse_csv("id,text\n1,\"He said \"\"no\"\".\nThen\r\nmore.\"\n2,after\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].fields == v({"1", "He said \"no\".\nThen\r\nmore."}));
  CHECK(rows[1].line == 2);
  CHECK(rows[2].fields == v({"2", "after"}));
  CHECK(rows[2].line == 5);
}

TEST_CASE("csv: a UTF-8 byte order mark is dropped / blank lines are skipped") {
  auto rows = parse_csv("\xEF\xBB\xBFid,text\n\n1,caf\xC3\xA9\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].fields[0] == "id");
  CHECK(rows[1].fields == v({"1", "caf\xC3\xA9"}));
  CHECK(rows[1].line == 3);
}

TEST_CASE("csv: malformed records say why and cost only themselves") {
  auto rows = parse_csv("id,text\n1,a \"b\" c\n2,\"closed\" trailing\n3,ok\n4,\"never closed\n5,fine\n");
  REQUIRE(rows.size() == 6);
  CHECK(rows[1].error == "a quote inside an unquoted field");
  CHECK(rows[2].error == "text after a closing quote");
  CHECK(rows[3].error.empty());
  CHECK(rows[3].fields == v({"3", "ok"}));
  CHECK(rows[4].error == "unterminated quoted field");
  CHECK(rows[4].line == 5);
  CHECK(rows[5].error.empty());
  CHECK(rows[5].fields == v({"5", "fine"}));
  CHECK(rows[5].line == 6);
}

TEST_CASE("csv: columns by name (exact then any case) or 1-based number") {
  std::vector<std::string> header = v({"ID", "Text", "text"});
  CHECK(find_column(header, "text") == 2);
  CHECK(find_column(header, "TEXT") == 1);
  CHECK(find_column(header, "id") == 0);
  CHECK(find_column(header, "2") == 1);
  CHECK(find_column(header, "4") == -1);
  CHECK(find_column(header, "0") == -1);
  CHECK(find_column(header, "body") == -1);
}

TEST_CASE("csv: written fields read back unchanged") {
  std::vector<std::string> fields = v({"plain", "with, comma", "with \"quotes\"", "two\nlines", " lead", ""});
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    append_csv_field(line, fields[i]);
  }
  CHECK(line == "plain,\"with, comma\",\"with \"\"quotes\"\"\",\"two\nlines\",\" lead\",");
  auto rows = parse_csv(line + "\r\n");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].fields == fields);
}
