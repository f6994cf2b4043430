// Fuzzes the JSONL record reader (cli/src/input.h): any bytes in, one document per non-blank
// line, each with either text or an error, line numbers rising.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "check.h"
#include "input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string content(reinterpret_cast<const char*>(data), size);
  std::size_t lines = 1;
  for (char c : content) lines += c == '\n' ? 1 : 0;
  std::vector<selftalk::cli::Document> docs = selftalk::cli::parse_records(content, "fuzz.jsonl");
  FUZZ_CHECK(docs.size() <= lines);
  std::size_t last = 0;
  for (const selftalk::cli::Document& d : docs) {
    FUZZ_CHECK(d.source == "fuzz.jsonl");
    FUZZ_CHECK(d.line > last && d.line <= lines);
    last = d.line;
    FUZZ_CHECK(d.error.empty() || d.text.empty());
  }
  selftalk::cli::Document one = selftalk::cli::parse_record(content, "fuzz.jsonl", 1);
  FUZZ_CHECK(one.error.empty() || one.text.empty());
  return 0;
}
