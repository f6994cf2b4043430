#include "csv.h"

#include <charconv>

namespace selftalk::cli {

std::vector<CsvRow> parse_csv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRow> rows;
  std::size_t i = 0, line = 1;
  const std::size_t n = text.size();
  while (i < n) {
    if (text[i] == '\n' || text[i] == '\r') {  // blank line
      if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
      ++i;
      ++line;
      continue;
    }
    CsvRow row;
    row.line = line;
    std::string field;
    bool done = false;
    while (!done) {
      field.clear();
      if (i < n && text[i] == '"') {
        const std::size_t quote_at = i, quote_line = line;
        ++i;
        bool closed = false;
        while (i < n) {
          char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n' || (c == '\r' && !(i + 1 < n && text[i + 1] == '\n'))) ++line;
          field += c;
          ++i;
        }
        if (!closed) {
          // Resume after the line of the opening quote, so one stray quote costs one record.
          row.error = "unterminated quoted field";
          row.fields.push_back(field);
          std::size_t nl = text.find_first_of("\r\n", quote_at);
          i = nl == std::string_view::npos ? n : nl + (text.substr(nl, 2) == "\r\n" ? 2 : 1);
          line = quote_line + 1;
          break;
        }
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') row.error = "text after a closing quote";
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"' && row.error.empty()) row.error = "a quote inside an unquoted field";
          field += text[i++];
        }
      }
      if (!row.error.empty()) {
        // Skip the rest of the physical line.
        while (i < n && text[i] != '\n' && text[i] != '\r') ++i;
      }
      row.fields.push_back(field);
      if (i >= n) {
        done = true;
      } else if (text[i] == ',') {
        ++i;
      } else {  // end of record
        if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        done = true;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

int find_column(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  auto lower = [](std::string_view s) {
    std::string l(s);
    for (char& c : l)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return l;
  };
  for (std::size_t i = 0; i < header.size(); ++i)
    if (lower(header[i]) == lower(name)) return static_cast<int>(i);
  int number = 0;
  auto [p, ec] = std::from_chars(name.data(), name.data() + name.size(), number);
  if (ec == std::errc() && p == name.data() + name.size() && number >= 1 && static_cast<std::size_t>(number) <= header.size())
    return number - 1;
  return -1;
}

void append_csv_field(std::string& out, std::string_view field) {
  bool quote = !field.empty() && field.front() == ' ';
  for (char c : field)
    if (c == ',' || c == '"' || c == '\n' || c == '\r') quote = true;
  if (!quote) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace selftalk::cli
