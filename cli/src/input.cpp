#include "input.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace selftalk::cli {
namespace {

// Records nested deeper than this are refused: writing an id back (dump) recurses once per level.
constexpr std::size_t kMaxNesting = 256;

bool nested_too_deeply(const std::string& line) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxNesting) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

}  // namespace

std::optional<std::string> read_stream(std::istream& in, std::string* error) {
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) {
    *error = "read error";
    return std::nullopt;
  }
  return std::move(buf).str();
}

std::optional<std::string> read_file(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open file";
    return std::nullopt;
  }
  return read_stream(in, error);
}

Document parse_record(const std::string& line, const std::string& source, std::size_t line_number) {
  Document doc;
  doc.source = source;
  doc.line = line_number;
  if (nested_too_deeply(line)) {
    doc.error = "line " + std::to_string(line_number) + ": nested deeper than " + std::to_string(kMaxNesting) + " levels";
    return doc;
  }
  nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    doc.error = "line " + std::to_string(line_number) + ": not valid JSON";
    return doc;
  }
  if (!j.is_object()) {
    doc.error = "line " + std::to_string(line_number) + ": a record must be a JSON object";
    return doc;
  }
  if (j.contains("id")) doc.id_json = j["id"].dump();
  if (!j.contains("id")) {
    doc.error = "line " + std::to_string(line_number) + ": record has no \"id\"";
  } else if (!j.contains("text") || !j["text"].is_string()) {
    doc.error = "line " + std::to_string(line_number) + ": record has no string \"text\"";
  } else {
    doc.text = j["text"].get<std::string>();
  }
  return doc;
}

std::vector<Document> parse_records(const std::string& content, const std::string& source) {
  std::vector<Document> docs;
  std::size_t line_number = 0, pos = 0;
  while (pos < content.size()) {
    std::size_t nl = content.find('\n', pos);
    if (nl == std::string::npos) nl = content.size();
    ++line_number;
    std::string line = content.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    pos = nl + 1;
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    docs.push_back(parse_record(line, source, line_number));
  }
  return docs;
}

}  // namespace selftalk::cli
