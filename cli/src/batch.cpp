#include "batch.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "csv.h"
#include "input.h"
#include "output.h"
#include "walk.h"

namespace selftalk::cli {
namespace {

std::string lower_extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return ext;
}

std::string format_of(const std::string& path, const std::string& requested) {
  if (requested != "auto") return requested;
  std::string ext = lower_extension(path);
  if (ext == ".csv") return "csv";
  if (ext == ".jsonl" || ext == ".ndjson") return "jsonl";
  return "text";
}

std::string too_large(std::size_t size, std::size_t max) {
  return "too large (" + std::to_string(size) + " bytes; --max-bytes is " + std::to_string(max) + ")";
}

// Reads a file of at most max bytes (0: no limit). Returns nullopt and sets *error on failure.
std::optional<std::string> read_limited(const std::string& path, std::size_t max, std::string* error) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (!ec && max > 0 && size > max) {
    *error = too_large(static_cast<std::size_t>(size), max);
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open file";
    return std::nullopt;
  }
  std::string content;
  if (!ec) content.reserve(static_cast<std::size_t>(size));
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    content.append(buf, static_cast<std::size_t>(in.gcount()));
    if (max > 0 && content.size() > max) {
      *error = too_large(content.size(), max) ;
      return std::nullopt;
    }
  }
  if (in.bad()) {
    *error = "read error";
    return std::nullopt;
  }
  return content;
}

void strip_bom(std::string& s) {
  if (s.compare(0, 3, "\xEF\xBB\xBF") == 0) s.erase(0, 3);
}

Worksheet error_sheet(std::string id, std::string source, std::string error) {
  Worksheet w;
  w.id = std::move(id);
  w.source = std::move(source);
  w.error = std::move(error);
  return w;
}

void add_csv(const std::string& source, const std::string& content, const BatchOptions& o,
             std::vector<Worksheet>& out) {
  std::vector<CsvRow> rows = parse_csv(content);
  if (rows.empty()) {
    out.push_back(error_sheet(source, source, "CSV file has no header row"));
    return;
  }
  const std::vector<std::string>& header = rows.front().fields;
  int id_col = find_column(header, o.csv_id), text_col = find_column(header, o.csv_text);
  if (id_col < 0 || text_col < 0 || !rows.front().error.empty()) {
    std::string columns;
    for (const std::string& h : header) columns += (columns.empty() ? "" : ", ") + h;
    std::string why = !rows.front().error.empty() ? "malformed CSV header: " + rows.front().error
                      : id_col < 0 ? "no id column '" + o.csv_id + "' (columns: " + columns + "; see --csv-id)"
                                   : "no text column '" + o.csv_text + "' (columns: " + columns + "; see --csv-text)";
    out.push_back(error_sheet(source, source, why));
    return;
  }
  auto id_at = static_cast<std::size_t>(id_col), text_at = static_cast<std::size_t>(text_col);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    CsvRow& row = rows[r];
    std::string where = source + ":" + std::to_string(row.line);
    std::string id = id_at < row.fields.size() ? row.fields[id_at] : "";
    if (!row.error.empty()) {
      out.push_back(error_sheet(id.empty() ? where : id, where, "malformed CSV row: " + row.error));
    } else if (row.fields.size() != header.size()) {
      out.push_back(error_sheet(id.empty() ? where : id, where,
                                "malformed CSV row: " + std::to_string(row.fields.size()) + " fields, the header has " +
                                    std::to_string(header.size())));
    } else {
      Worksheet w;
      w.id = std::move(id);
      w.source = std::move(where);
      w.text = std::move(row.fields[text_at]);
      w.error = check_text(w.text, o.max_bytes);
      out.push_back(std::move(w));
    }
  }
}

void add_jsonl(const std::string& source, const std::string& content, const BatchOptions& o,
               std::vector<Worksheet>& out) {
  for (Document& d : parse_records(content, source)) {
    Worksheet w;
    w.source = source + ":" + std::to_string(d.line);
    if (!d.id_json.empty()) {
      nlohmann::json id = nlohmann::json::parse(d.id_json, nullptr, false);
      w.id = id.is_string() ? id.get<std::string>() : d.id_json;
    } else {
      w.id = w.source;
    }
    w.text = std::move(d.text);
    w.error = d.error.empty() ? check_text(w.text, o.max_bytes) : d.error;
    out.push_back(std::move(w));
  }
}

// The worksheets in order; text files are left to the workers (their path in to_read).
void list_worksheets(const BatchOptions& o, std::istream& in, std::vector<Worksheet>& sheets,
                     std::vector<std::string>& to_read) {
  std::vector<std::string> paths = o.paths.empty() ? std::vector<std::string>{"-"} : o.paths;
  for (const InputPath& p : expand_paths(paths)) {
    const bool is_stdin = p.path == "-";
    std::string source = is_stdin ? "<stdin>" : p.path;
    if (!p.error.empty()) {
      sheets.push_back(error_sheet(source, source, p.error));
      to_read.emplace_back();
      continue;
    }
    std::string format = is_stdin && o.input_format == "auto" ? "text" : format_of(p.path, o.input_format);
    if (format == "text" && !is_stdin) {
      Worksheet w;
      w.id = w.source = source;
      sheets.push_back(std::move(w));
      to_read.push_back(p.path);
      continue;
    }
    std::string error;
    // Containers (CSV, JSONL) are not limited as a whole; each record's text is.
    std::optional<std::string> content = is_stdin ? read_stream(in, &error) : read_limited(p.path, 0, &error);
    std::size_t before = sheets.size();
    if (!content) {
      sheets.push_back(error_sheet(source, source, error));
    } else if (format == "text") {
      Worksheet w;
      w.id = w.source = source;
      strip_bom(*content);
      w.error = check_text(*content, o.max_bytes);
      w.text = std::move(*content);
      sheets.push_back(std::move(w));
    } else if (std::string bad = check_text(*content, 0); !bad.empty()) {
      sheets.push_back(error_sheet(source, source, bad));
    } else if (format == "csv") {
      add_csv(source, *content, o, sheets);
    } else {
      strip_bom(*content);
      add_jsonl(source, *content, o, sheets);
    }
    to_read.resize(to_read.size() + (sheets.size() - before));
  }
}

// Reads (when needed), checks, redacts and analyses one worksheet.
void process(Worksheet& w, const std::string& path, const BatchOptions& o, Analyzer& analyzer) {
  if (!path.empty() && w.error.empty()) {
    std::string error;
    std::optional<std::string> content = read_limited(path, o.max_bytes, &error);
    if (!content) {
      w.error = error;
    } else {
      strip_bom(*content);
      w.error = check_text(*content, o.max_bytes);
      w.text = std::move(*content);
    }
  }
  w.bytes = w.text.size();
  if (o.redact) {
    w.id = redact(w.id);
    w.source = redact(w.source);
  }
  if (!w.error.empty()) {
    w.text.clear();
    return;
  }
  std::vector<PiiSpan> spans = find_pii(w.text);
  w.personal_data = count_pii(spans);
  if (o.redact && !spans.empty()) w.text = redact(w.text, spans);
  w.analysis = analyzer.analyze(w.text, o.analyze);
  w.safety = w.analysis.has_safety();
  if (!o.keep_texts) {
    w.text.clear();
    w.text.shrink_to_fit();
    w.analysis.findings.clear();
    w.analysis.findings.shrink_to_fit();
  }
}

}  // namespace

std::size_t Worksheet::findings() const {
  std::size_t n = 0;
  for (std::size_t c : analysis.scores.by_category) n += c;
  return n;
}

std::size_t Worksheet::personal_data_total() const {
  std::size_t n = 0;
  for (std::size_t c : personal_data) n += c;
  return n;
}

std::size_t invalid_utf8_bytes(std::string_view s) {
  std::size_t bad = 0, i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= n && !(len == 2 && c < 0xC2);
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && len == 3) {
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);  // overlong, surrogates
    }
    if (ok && len == 4) {
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = c <= 0xF4 && !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    if (ok) {
      i += len;
    } else {
      ++bad;
      ++i;
    }
  }
  return bad;
}

std::string check_text(std::string_view text, std::size_t max_bytes) {
  if (max_bytes > 0 && text.size() > max_bytes) return too_large(text.size(), max_bytes);
  if (text.find('\0') != std::string_view::npos) return "not UTF-8 text (contains NUL bytes)";
  std::size_t bad = invalid_utf8_bytes(text);
  if (bad > 8 || bad * 1000 > text.size())
    return "not UTF-8 text (" + std::to_string(bad) + " invalid byte" + (bad == 1 ? "" : "s") + ")";
  return {};
}

Batch run_batch(const BatchOptions& o, const std::shared_ptr<const Ruleset>& rules, std::istream& in,
                BatchProgress* progress) {
  Batch batch;
  batch.redacted = o.redact;
  std::vector<std::string> to_read;
  list_worksheets(o, in, batch.worksheets, to_read);
  const std::size_t n = batch.worksheets.size();
  if (progress != nullptr) progress->total = n;

  std::atomic<std::size_t> next{0};
  auto work = [&] {
    Analyzer analyzer(rules);
    for (std::size_t i = next++; i < n; i = next++) {
      process(batch.worksheets[i], to_read[i], o, analyzer);
      if (progress != nullptr) {
        progress->bytes += batch.worksheets[i].bytes;
        ++progress->done;
      }
    }
  };
  std::size_t threads = std::min<std::size_t>(std::max(1u, o.jobs), std::max<std::size_t>(n, 1));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();

  for (const Worksheet& w : batch.worksheets) {
    if (!w.error.empty()) {
      ++batch.errors;
      continue;
    }
    const Scores& s = w.analysis.scores;
    batch.total.add(s);
  }
  return batch;
}

}  // namespace selftalk::cli
