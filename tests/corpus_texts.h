// The corpus texts, for tests that run the whole corpus: every "text" of corpus/sentences.jsonl
// and every corpus/entries/*.md.
#ifndef SELFTALK_TESTS_CORPUS_TEXTS_H
#define SELFTALK_TESTS_CORPUS_TEXTS_H

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace selftalk::test {

inline std::vector<std::string> corpus_texts() {
  std::vector<std::string> texts;
  std::istringstream lines(read_source_file("corpus/sentences.jsonl"));
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) texts.push_back(nlohmann::json::parse(line).at("text").get<std::string>());
  std::vector<std::string> entries;
  for (const auto& e : std::filesystem::directory_iterator(source_path("corpus/entries")))
    if (e.path().extension() == ".md") entries.push_back("corpus/entries/" + e.path().filename().string());
  std::sort(entries.begin(), entries.end());
  for (const std::string& e : entries) texts.push_back(read_source_file(e));
  REQUIRE(texts.size() > entries.size());
  REQUIRE(!entries.empty());
  return texts;
}

}  // namespace selftalk::test

#endif  // SELFTALK_TESTS_CORPUS_TEXTS_H
