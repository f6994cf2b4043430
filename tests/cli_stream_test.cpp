// Tests that the command line, which analyses plain text while reading it (cli/src/streaming.h),
// prints byte for byte what it printed when it analysed each input whole: the whole-text Analysis
// rendered by write_text / append_document_json, safety findings first.
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "cli_util.h"
#include "generator.h"
#include "output.h"
#include "selftalk/selftalk.h"
#include "test_util.h"
#include "text.h"

namespace {

using selftalk::test::Run;
using selftalk::test::run_cli;

struct Input {
  std::string source;
  std::string text;
};

// The output of `selftalk --format FORMAT` over these inputs, each analysed whole.
std::string whole_text_output(const std::vector<Input>& inputs, const std::string& format,
                              const selftalk::AnalyzeOptions& options = {}) {
  selftalk::Analyzer analyzer(selftalk::test::default_rules());
  selftalk::Scores total;
  std::ostringstream text;
  std::string json;
  for (const Input& in : inputs) {
    selftalk::Analysis a = analyzer.analyze(in.text, options);
    total.add(a.scores);
    selftalk::cli::Document doc{in.source, {}, in.text, {}, 0};
    if (format == "text") {
      selftalk::cli::write_text(text, doc, a, selftalk::cli::TextStyle{});
      continue;
    }
    if (format == "json" && !json.empty()) json += ',';
    selftalk::cli::append_document_json(json, doc, &a);
    if (format == "jsonl") json += '\n';
  }
  if (format == "text") {
    selftalk::cli::write_text_summary(text, total, inputs.size(), selftalk::cli::TextStyle{});
    return text.str();
  }
  if (format == "jsonl") return json;
  std::string out = std::string("{\"selftalk\":\"") + selftalk::version() + "\",\"documents\":[" + json + "],\"summary\":";
  selftalk::append_json(out, total);
  return out + "}\n";
}

// Checks every format on `text` given as standard input.
void check_as_whole(const std::string& text, std::vector<std::string> args = {},
                    const selftalk::AnalyzeOptions& options = {}) {
  for (const char* format : {"text", "json", "jsonl"}) {
    CAPTURE(format);
    std::vector<std::string> a = args;
    a.insert(a.end(), {"--format", format});
    Run r = run_cli(a, text);
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out == whole_text_output({{"<stdin>", text}}, format, options));
  }
}

// A generated journal of about `bytes` with crisis sentences inserted after paragraphs: one past
// the middle and one near the end.
std::string journal_with_late_safety(std::size_t bytes, unsigned critical_per_mille) {
  selftalk::bench::JournalOptions o;
  o.critical_per_mille = critical_per_mille;
  std::string text = selftalk::bench::generate_journal(bytes, o);
  std::size_t end = text.rfind("\n\n", text.size() - 200);
  REQUIRE(end != std::string::npos);
  text.insert(end, "\n\nSometimes I want to die.");
  std::size_t middle = text.find("\n\n", text.size() * 3 / 5);
  REQUIRE(middle != std::string::npos);
  text.insert(middle, "\n\nI want to kill myself.");
  return text;
}

}  // namespace

TEST_CASE("cli stream: a generated journal prints what its whole-text analysis printed") {
  for (unsigned critical : {40u, 400u}) {
    CAPTURE(critical);
    std::string text = journal_with_late_safety(700'000, critical);
    check_as_whole(text);
  }
  check_as_whole(journal_with_late_safety(300'000, 60), {"--all-reframes", "--include-reported"}, [] {
    selftalk::AnalyzeOptions o;
    o.all_reframes = true;
    o.include_reported = true;
    return o;
  }());
}

TEST_CASE("cli stream: safety findings come first however late they are in the text") {
  std::string text = journal_with_late_safety(400'000, 40);
  Run r = run_cli({"--format", "json"}, text);
  REQUIRE(r.code == 0);
  const auto findings = nlohmann::json::parse(r.out)["documents"][0]["findings"];
  REQUIRE(findings.size() > 100);
  CHECK(findings[0]["category"] == "safety");
  CHECK(findings[1]["category"] == "safety");
  CHECK(findings[0]["start"].get<std::size_t>() > text.size() / 2);
  for (std::size_t i = 2; i < findings.size(); ++i) {
    CHECK(findings[i]["category"] != "safety");
    if (i > 2) CHECK(findings[i - 1]["start"].get<std::size_t>() <= findings[i]["start"].get<std::size_t>());
  }

  Run t = run_cli({"--fail-on", "safety"}, text);
  CHECK(t.code == 1);
  CHECK(t.out.find(": safety: ") < t.out.find(": absolute: "));
  CHECK(t.out == whole_text_output({{"<stdin>", text}}, "text"));
}

TEST_CASE("cli stream: characters - invalid bytes and line ends cut by the reading chunks") {
  // The command line reads 64 KiB at a time; put what could break at every position around such
  // a cut.
  const std::string tail = " I always ruin everything.\r\n\r\nI'm such a failure \xF0\x9F\x98\x80.\r";
  for (const std::string piece : {"\xC3\xA9", "\xF0\x9F\x98\x80", "\xE2\x82", "\xFF\xFE", "\r\n", "\n\n"}) {
    for (std::size_t before : {65536 - 3, 65536 - 2, 65536 - 1, 65536 + 0}) {
      CAPTURE(before);
      std::string text = std::string(before - 38, 'a') + ". I should have known better.\n\nMore..." + piece + tail;
      check_as_whole(text);
    }
  }
}

TEST_CASE("cli stream: a run without a sentence end longer than any buffer is taken in the whole text's pieces") {
  std::string text;
  for (int i = 0; i < 12000; ++i) text += (i % 50 == 10) ? "and I always ruin everything " : "and then we walked ";
  REQUIRE(text.size() > 200'000);
  check_as_whole(text);
  Run r = run_cli({"--format", "json"}, text);
  const auto summary = nlohmann::json::parse(r.out)["summary"];
  const auto whole = selftalk::Analyzer(selftalk::test::default_rules()).analyze(text).scores;
  CHECK(summary["sentences"] == whole.sentences);
  CHECK(whole.sentences > text.size() / selftalk::detail::kMaxSentenceBytes);
  CHECK(summary["categories"]["absolute"] == 12000 / 50);  // no cut falls inside that phrase here
}

TEST_CASE("cli stream: hard-wrapped lines without blank lines keep their sentences") {
  std::string text;
  while (text.size() < 300'000)
    text += "I had tea with my sister and we talked for hours.\nToday was a fine day at the office. Then it all "
            "went\nand i always ruin everything.\n";
  check_as_whole(text);
}

TEST_CASE("cli stream: the Self-Compassion Break comes exactly when the whole text gives it") {
  const std::string pad = "We walked to the park and then we had some tea with the neighbours. ";
  bool with = false, without = false;
  for (int n = 0; n < 16; ++n) {
    CAPTURE(n);
    std::string text = "I always ruin everything. I should have known better. I'm such a failure. ";
    for (int i = 0; i < n; ++i) text += pad;
    check_as_whole(text);
    bool has = run_cli({}, text).out.find("self-compassion break: ") != std::string::npos;
    (has ? with : without) = true;
  }
  CHECK(with);
  CHECK(without);
}

TEST_CASE("cli stream: at a critic intensity of exactly 5 over long paragraphs the break still comes") {
  // Paragraphs longer than a reading chunk are analysed apart; adding up their intensities in
  // floating point gives 4.9999999999999991 for these, the whole text exactly 5.
  const std::string long_word(2100, 'w');
  for (const auto& [findings, words] : std::vector<std::pair<std::vector<int>, std::vector<int>>>{
           {{4, 7}, {36, 360}}, {{10, 1}, {47, 349}}, {{2, 6}, {51, 237}}, {{4, 6, 6}, {39, 42, 495}}}) {
    std::string text;
    for (std::size_t p = 0; p < findings.size(); ++p) {
      for (int i = 0; i < findings[p]; ++i) text += "I always ruin everything. ";
      for (int i = 0; i < words[p]; ++i) text += long_word + " ";
      text += "\n\n";
    }
    selftalk::Analyzer analyzer(selftalk::test::default_rules());
    selftalk::Analysis whole = analyzer.analyze(text);
    CHECK(whole.scores.critic_intensity == 5.0);
    CHECK(!whole.self_compassion_break.empty());
    check_as_whole(text);
  }
}

TEST_CASE("cli stream: files and standard input add up to one summary as before") {
  selftalk::test::TempDir dir;
  std::string first = journal_with_late_safety(150'000, 40);
  std::string second = "I always ruin everything.\n\nI want to die.\n";
  std::string in = "Nothing to see here. I'm such a failure";
  std::string a = dir.write("a.md", first), b = dir.write("b.txt", second);
  std::vector<Input> inputs{{a, first}, {"<stdin>", in}, {b, second}};
  for (const char* format : {"text", "json", "jsonl"}) {
    CAPTURE(format);
    Run r = run_cli({a, "-", b, "--format", format}, in);
    CHECK(r.code == 0);
    CHECK(r.out == whole_text_output(inputs, format));
  }
  Run empty = run_cli({"--format", "json"}, "");
  CHECK(empty.out == whole_text_output({{"<stdin>", ""}}, "json"));
}
