// The catalogue of bad inputs (docs/reliability.md): each one, through the library and through
// the command line, with the behaviour it must have. Big inputs are built in memory or in
// temporary files; their cost is not timed here (the fuzzers and docs/reliability.md cover it).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app.h"
#include "context.h"
#include "csv.h"
#include "input.h"
#include "cli_util.h"
#include "test_util.h"
#include "text.h"

namespace {

namespace fs = std::filesystem;
using selftalk::Analysis;
using selftalk::Category;
using selftalk::Finding;


using selftalk::test::Run;
using selftalk::test::run_cli;
using selftalk::test::TempDir;

Analysis analyze(std::string_view text, const selftalk::AnalyzeOptions& options = {}) {
  static thread_local selftalk::Analyzer analyzer(selftalk::test::default_rules());
  return analyzer.analyze(text, options);
}

// The findings as "category@begin", e.g. "absolute@0 self_label@26".
std::string summary(const Analysis& a) {
  std::string out;
  for (const Finding& f : a.findings) {
    if (!out.empty()) out += ' ';
    out += std::string(selftalk::to_string(f.category)) + "@" + std::to_string(f.begin);
  }
  return out;
}

// Every finding cuts its own text out of `input`, and its line/column agree with OffsetMap.
void check_offsets(std::string_view input, const Analysis& a) {
  selftalk::OffsetMap map(input);
  for (const Finding& f : a.findings) {
    CAPTURE(f.rule);
    REQUIRE(f.end <= input.size());
    CHECK(input.substr(f.begin, f.end - f.begin) == f.text);
    auto lc = map.line_column(f.begin);
    CHECK(f.line == lc.line);
    CHECK(f.column == lc.column);
    CHECK(f.cp_begin == map.code_point(f.begin));
    CHECK(f.utf16_begin == map.utf16(f.begin));
  }
}

std::string to_json(const Analysis& a) {
  std::string json;
  selftalk::append_json(json, a);
  return json;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The big inputs run at full size in the release suite. Under AddressSanitizer every large
// allocation is an mmap and every access is checked, so the sanitizer suite runs them at
// 1/kShrink of the size (1 MB, 100,000 lines): the same shapes, the same assertions.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kShrink = 100;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr std::size_t kShrink = 100;
#else
constexpr std::size_t kShrink = 1;
#endif
#else
constexpr std::size_t kShrink = 1;
#endif

constexpr const char* kAbsolute = "I always ruin everything.";  // absolute at its byte 0
constexpr const char* kLabel = "I'm such a failure.";           // self_label at its byte 0
// A sentence no default rule fires on (checked below), for padding big inputs.
constexpr std::string_view kCalm = "The river was slow and the light was soft. ";

}  // namespace

TEST_CASE("bad input: the reference sentences and the padding behave as the catalogue assumes") {
  CHECK(summary(analyze(kAbsolute)) == "absolute@0");
  CHECK(summary(analyze(kLabel)) == "self_label@0");
  CHECK(analyze(kCalm).findings.empty());
  CHECK(analyze("fine").findings.empty());
}

TEST_CASE("bad input: empty input has no findings - no scores - and is not an error") {
  Analysis a = analyze("");
  CHECK(a.findings.empty());
  CHECK(a.scores.words == 0);
  CHECK(a.scores.sentences == 0);
  CHECK(a.scores.critic_intensity == 0);
  CHECK(a.invalid_utf8_bytes == 0);
  CHECK(nlohmann::json::accept(to_json(a)));

  Run text = run_cli({}, "");
  CHECK(text.code == 0);
  CHECK(text.err.empty());
  Run json = run_cli({"--format", "json"}, "");
  CHECK(json.code == 0);
  auto j = nlohmann::json::parse(json.out);
  REQUIRE(j["documents"].size() == 1);
  CHECK(j["documents"][0]["findings"].empty());
}

TEST_CASE("bad input: only white space has no findings and no sentences") {
  const std::string blank = " \t\n\r\n\r  \v\f\u00a0\u3000\u2028\ufeff\n";
  Analysis a = analyze(blank);
  CHECK(a.findings.empty());
  CHECK(a.scores.words == 0);
  CHECK(a.scores.sentences == 0);
  CHECK(a.invalid_utf8_bytes == 0);
  Run r = run_cli({"--format", "json"}, blank);
  CHECK(r.code == 0);
  CHECK(nlohmann::json::parse(r.out)["documents"][0]["findings"].empty());
}

TEST_CASE("bad input: a byte order mark is an ordinary character - counted in offsets") {
  const std::string bom = "\xEF\xBB\xBF";
  const std::string text = bom + kAbsolute;
  Analysis a = analyze(text);
  REQUIRE(a.findings.size() == 1);
  const Finding& f = a.findings[0];
  CHECK(f.category == Category::kAbsolute);
  CHECK(f.begin == 3);  // bytes: the BOM is kept, offsets index the input as given
  CHECK(f.cp_begin == 1);
  CHECK(f.utf16_begin == 1);
  CHECK(f.line == 1);
  CHECK(f.column == 2);
  CHECK(f.text == analyze(kAbsolute).findings.at(0).text);
  check_offsets(text, a);

  // A BOM on a JSONL file's first line does not break the record.
  Run r = run_cli({"--input-format", "jsonl", "--format", "jsonl"},
                  bom + R"({"id": 1, "text": "I'm such a failure."})" + "\n");
  CHECK(r.code == 0);
  CHECK(nlohmann::json::parse(r.out)["findings"].size() == 1);
}

TEST_CASE("bad input: CRLF and lone CR end lines - a match never includes them") {
  const std::string text = std::string("Fine.\r\n") + kAbsolute + "\r" + kLabel + "\r\n";
  Analysis a = analyze(text);
  CHECK(summary(a) == "absolute@7 self_label@33");
  REQUIRE(a.findings.size() == 2);
  CHECK(a.findings[0].line == 2);
  CHECK(a.findings[0].column == 1);
  CHECK(a.findings[1].line == 3);
  CHECK(a.findings[1].column == 1);
  for (const Finding& f : a.findings) CHECK_FALSE(contains(f.text, "\r"));
  check_offsets(text, a);

  Run r = run_cli({}, text);
  CHECK(r.code == 0);
  CHECK(contains(r.out, "<stdin>:2:1: absolute"));
  CHECK(contains(r.out, "<stdin>:3:1: self_label"));

  // JSONL records with CRLF line ends.
  Run jl = run_cli({"--input-format", "jsonl", "--format", "jsonl"},
                   "{\"id\": 1, \"text\": \"I'm such a failure.\"}\r\n{\"id\": 2, \"text\": \"fine\"}\r\n");
  CHECK(jl.code == 0);
  CHECK(std::count(jl.out.begin(), jl.out.end(), '\n') == 2);
}

TEST_CASE("bad input: NUL bytes are characters - the sentences around them are analysed") {
  const std::string text = std::string(kAbsolute) + std::string(1, '\0') + " " + kLabel + std::string(2, '\0');
  Analysis a = analyze(text);
  CHECK(summary(a) == "absolute@0 self_label@27");
  CHECK(a.invalid_utf8_bytes == 0);
  check_offsets(text, a);
  std::string json = to_json(a);
  CHECK(json.find('\0') == std::string::npos);  // escaped as \u0000
  CHECK(nlohmann::json::accept(json));

  Run r = run_cli({"--format", "json"}, text);
  CHECK(r.code == 0);
  CHECK(nlohmann::json::parse(r.out)["documents"][0]["findings"].size() == 2);

  // batch takes a worksheet with NUL bytes for a binary file, and says so.
  TempDir dir;
  std::string path = dir.write("nul.txt", text);
  Run b = run_cli({"batch", "-q", "--format", "json", path});
  CHECK(b.code == 4);
  CHECK(b.err == "selftalk: " + path + ": not UTF-8 text (contains NUL bytes)\n");
}

TEST_CASE("bad input: invalid and overlong UTF-8 is counted - findings keep exact offsets - JSON stays valid") {
  // C0 AF: overlong '/'; E0 80 AF: overlong 3-byte '/'; FF: never valid; 80: stray continuation;
  // F4 90 80 80: above U+10FFFF; C3: a lead byte cut short.
  const std::string junk = "\xC0\xAF \xE0\x80\xAF \xFF \x80 \xF4\x90\x80\x80 \xC3";
  const std::string text = junk + " " + kAbsolute + " " + junk + " " + kLabel;
  Analysis a = analyze(text);
  CHECK(a.invalid_utf8_bytes == 2 * 12);
  REQUIRE(a.findings.size() == 2);
  CHECK(a.findings[0].category == Category::kAbsolute);
  CHECK(a.findings[0].begin == junk.size() + 1);
  CHECK(a.findings[1].category == Category::kSelfLabel);
  CHECK(a.findings[1].begin == 2 * junk.size() + 3 + std::string(kAbsolute).size());
  check_offsets(text, a);
  // Each invalid byte is one code point and one UTF-16 unit (as U+FFFD would be).
  CHECK(a.findings[0].cp_begin == 12 + 6);
  CHECK(a.findings[0].utf16_begin == 12 + 6);

  Run r = run_cli({"--format", "json"}, text);
  CHECK(r.code == 0);
  REQUIRE(nlohmann::json::accept(r.out));
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["documents"][0]["findings"].size() == 2);
  Run t = run_cli({}, text);  // text output never copies invalid bytes through
  CHECK(t.code == 0);
  CHECK(selftalk::OffsetMap(t.out).code_point(t.out.size()) > 0);
}

TEST_CASE("bad input: unpaired surrogates encoded in UTF-8 are invalid bytes - three each") {
  const std::string lone_high = "\xED\xA0\x80";  // U+D800
  const std::string lone_low = "\xED\xBF\xBF";   // U+DFFF
  const std::string pair = "\xED\xA0\xBD\xED\xB8\x80";  // CESU-8 for U+1F600: still invalid UTF-8
  const std::string text = lone_high + kAbsolute + lone_low + " " + pair + kLabel;
  Analysis a = analyze(text);
  CHECK(a.invalid_utf8_bytes == 12);
  CHECK(summary(a) == "absolute@3 self_label@38");
  check_offsets(text, a);
  CHECK(a.findings.at(1).cp_begin == 38);  // 12 invalid bytes, 26 ASCII characters
  CHECK(nlohmann::json::accept(to_json(a)));
}

TEST_CASE("bad input: OffsetMap counts each invalid byte once - valid characters once") {
  const std::string text = "a\x80\xC3\xA9\xED\xA0\x80\xF0\x9F\x98\x80\xF0\x9F\n";
  selftalk::OffsetMap map(text);
  CHECK(map.code_point(1) == 1);
  CHECK(map.code_point(2) == 2);   // the stray continuation byte is one
  CHECK(map.code_point(4) == 3);   // é
  CHECK(map.code_point(3) == 2);   // inside é: rounded down to its start
  CHECK(map.code_point(7) == 6);   // the surrogate's three bytes are three
  CHECK(map.code_point(11) == 7);  // 😀
  CHECK(map.utf16(11) == 8);       // ... is two UTF-16 units
  CHECK(map.code_point(13) == 9);  // a cut-short 4-byte lead: two invalid bytes
  CHECK(map.utf16(13) == 10);
  CHECK(map.line_column(14).line == 2);
  // A long text, so that characters straddle the map's internal blocks.
  std::string long_text;
  for (int i = 0; i < 500; ++i) long_text += "\xC3\xA9\x80\xF0\x9F\x98\x80";
  selftalk::OffsetMap m(long_text);
  CHECK(m.code_point(long_text.size()) == 1500);
  CHECK(m.utf16(long_text.size()) == 2000);
  for (std::size_t b = 0; b <= long_text.size(); ++b) {
    std::size_t in_piece = b % 7;
    std::size_t expected = b / 7 * 3 + (in_piece >= 2) + (in_piece >= 3) + (in_piece == 7);
    REQUIRE(m.code_point(b) == expected);
  }
}

TEST_CASE("bad input: a 100 MB single line is analysed whole - with exact offsets at its end") {
  std::string text = kAbsolute;
  text += ' ';
  const std::size_t target = (std::size_t{100} << 20) / kShrink;
  text.reserve(target + 64);
  while (text.size() + kCalm.size() < target) text += kCalm;
  const std::size_t label_at = text.size();
  text += kLabel;
  REQUIRE(text.size() + kCalm.size() >= target);
  REQUIRE(text.find('\n') == std::string::npos);

  Analysis a = analyze(text);
  CHECK(summary(a) == "absolute@0 self_label@" + std::to_string(label_at));
  REQUIRE(a.findings.size() == 2);
  CHECK(a.findings[1].line == 1);
  CHECK(a.findings[1].column == label_at + 1);  // all ASCII: columns are bytes + 1
  CHECK(a.findings[1].utf16_begin == label_at);
  CHECK(a.scores.sentences == 2 + (label_at - std::string(kAbsolute).size() - 1) / kCalm.size());

  // Through the command line, from a file.
  TempDir dir;
  std::string path = dir.write("long.txt", text);
  text.clear();
  text.shrink_to_fit();
  Run r = run_cli({path, "--format", "json"});
  CHECK(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["documents"][0]["findings"].size() == 2);
  CHECK(j["documents"][0]["findings"][1]["start"] == label_at);
}

// The quoted parts of a reframe ("...", curly quotes) longer than `min` bytes.
std::vector<std::string_view> long_quotes(std::string_view text, std::size_t min) {
  std::vector<std::string_view> out;
  static constexpr std::string_view kOpen = "\u201C", kClose = "\u201D";
  for (std::size_t at = text.find(kOpen); at != std::string_view::npos; at = text.find(kOpen, at + 1)) {
    const std::size_t begin = at + kOpen.size();
    const std::size_t end = text.find(kClose, begin);
    if (end == std::string_view::npos) break;
    if (end - begin > min) out.push_back(text.substr(begin, end - begin));
  }
  return out;
}

TEST_CASE("bad input: 4 MB without a sentence end with a match every 29 bytes - taken in pieces - reframes quote whole words") {
  // Such a "sentence" is analysed in pieces of under kMaxSentenceBytes, cut at white space; a cut
  // inside a phrase may change that one match, no other. (Before pieces, every check that looked at
  // the whole sentence per match made this input take an hour; the suite's hang guard in
  // tests/CMakeLists.txt still stands.)
  const std::string unit = "I always ruin everything and ";
  const std::size_t target = (std::size_t{4} << 20) / kShrink;
  std::string text;
  text.reserve(target);
  while (text.size() + unit.size() <= target) text += unit;
  const std::size_t n = text.size() / unit.size();

  Analysis a = analyze(text);
  std::vector<std::size_t> absolutes;
  std::size_t misplaced = 0, outside = 0;
  for (const Finding& f : a.findings) {
    if (f.category != Category::kAbsolute) continue;
    // At a phrase's start, or where a cut left "always ruin everything" to start a piece.
    const bool at_start = f.begin % unit.size() == 0 || f.begin == f.sentence_begin;
    misplaced += at_start && (absolutes.empty() || absolutes.back() < f.begin) ? 0 : 1;
    outside += f.sentence_begin <= f.begin && f.end <= f.sentence_end &&
                       f.sentence_end - f.sentence_begin < selftalk::detail::kMaxSentenceBytes
                   ? 0
                   : 1;
    absolutes.push_back(f.begin);
  }
  CHECK(misplaced == 0);
  CHECK(outside == 0);
  const std::size_t cuts = text.size() / (selftalk::detail::kMaxSentenceBytes - unit.size());
  CHECK(absolutes.size() <= n);
  CHECK(absolutes.size() + cuts >= n);
  CHECK(a.scores.sentences <= cuts + 1);
  std::size_t cut = 0, longest = 0, quoted = 0;
  // A clause longer than the context window is quoted from its first to its last whole word
  // (quotes that are not the writer's words verbatim, such as "you" for "I", are left out).
  const std::vector<std::string_view> words = {"I", "always", "ruin", "everything", "and"};
  auto whole_word = [&](std::string_view w) { return std::find(words.begin(), words.end(), w) != words.end(); };
  for (const Finding& f : a.findings) {
    std::vector<std::string_view> texts = {f.friend_view};
    for (const auto& r : f.reframes) texts.push_back(r.text);
    for (std::string_view t : texts) {
      for (std::string_view q : long_quotes(t, unit.size())) {
        if (std::string_view(text).substr(0, 4 * unit.size() + 2 * selftalk::detail::kCueWindow).find(q) == std::string_view::npos) continue;
        ++quoted;
        longest = std::max(longest, q.size());
        if (!whole_word(q.substr(0, q.find(' '))) || !whole_word(q.substr(q.rfind(' ') + 1))) ++cut;
      }
    }
  }
  CHECK(quoted > 0);
  CHECK(cut == 0);
  CHECK(longest <= 2 * selftalk::detail::kCueWindow + unit.size());
}

TEST_CASE("bad input: 10 million one-word lines are 10 million sentences - the last line is found") {
  std::string text;
  const std::size_t lines = 10'000'000 / kShrink;
  text.reserve(lines * 5 + 64);
  for (std::size_t i = 0; i < lines; ++i) text += "fine\n";
  text += kAbsolute;
  text += '\n';

  selftalk::AnalyzeOptions options;
  Analysis a = analyze(text, options);
  REQUIRE(a.findings.size() == 1);
  CHECK(a.findings[0].category == Category::kAbsolute);
  CHECK(a.findings[0].begin == lines * 5);
  CHECK(a.findings[0].line == lines + 1);
  CHECK(a.findings[0].column == 1);
  CHECK(a.scores.sentences == lines + 1);
  CHECK(a.scores.words == lines + 4);

  // As JSONL: one record per line, the broken ones named by line.
  std::string jsonl;
  jsonl.reserve(lines / 10 * 30);
  for (std::size_t i = 1; i <= lines / 10; ++i) jsonl += "{\"id\":" + std::to_string(i) + ",\"text\":\"fine\"}\n";
  auto docs = selftalk::cli::parse_records(jsonl, "big.jsonl");
  REQUIRE(docs.size() == lines / 10);
  CHECK(docs.back().line == lines / 10);
  CHECK(docs.back().id_json == std::to_string(lines / 10));
}

TEST_CASE("bad input: JSONL with a broken line reports that line - the other records are analysed") {
  const std::string input = "{\"id\": 1, \"text\": \"I'm such a failure.\"}\n"
                            "{\"id\": 2, \"text\": \"unterminated}\n"
                            "\n"
                            "{\"id\": 3, \"text\": \"I always ruin everything.\"}\n"
                            "not json at all\n"
                            "{\"id\": 5, \"text\": 42}\n"
                            "{\"id\": 6, \"text\": \"fine\"}";  // no final newline
  auto docs = selftalk::cli::parse_records(input, "x.jsonl");
  REQUIRE(docs.size() == 6);
  CHECK(docs[0].error.empty());
  CHECK(docs[1].line == 2);
  CHECK(contains(docs[1].error, "line 2: not valid JSON"));
  CHECK(docs[2].line == 4);
  CHECK(docs[2].error.empty());
  CHECK(contains(docs[3].error, "line 5"));
  CHECK(contains(docs[4].error, "no string \"text\""));
  CHECK(docs[4].id_json == "5");
  CHECK(docs[5].error.empty());
  CHECK(docs[5].text == "fine");

  for (const char* format : {"jsonl", "json"}) {
    CAPTURE(format);
    Run r = run_cli({"--input-format", "jsonl", "--format", format}, input);
    CHECK(r.code == 4);
    CHECK(contains(r.err, "line 2: not valid JSON"));
    CHECK(contains(r.err, "line 5: not valid JSON"));
    CHECK(contains(r.out, "such a failure"));
    CHECK(contains(r.out, "ruin everything"));
  }
}

TEST_CASE("bad input: a deeply nested JSONL record is a record error - not a stack overflow") {
  auto record = [](std::size_t depth) {
    return "{\"id\": " + std::string(depth, '[') + std::string(depth, ']') + ", \"text\": \"I'm such a failure.\"}";
  };
  selftalk::cli::Document deep = selftalk::cli::parse_record(record(100'000), "deep.jsonl", 7);
  CHECK(deep.error == "line 7: nested deeper than 256 levels");
  CHECK(deep.text.empty());
  selftalk::cli::Document fine = selftalk::cli::parse_record(record(200), "deep.jsonl", 8);
  CHECK(fine.error.empty());
  CHECK(fine.id_json == std::string(200, '[') + std::string(200, ']'));
  // Brackets inside strings are text, not nesting.
  selftalk::cli::Document quoted =
      selftalk::cli::parse_record("{\"id\": \"" + std::string(1000, '[') + "\\\"\", \"text\": \"ok\"}", "q.jsonl", 9);
  CHECK(quoted.error.empty());

  Run r = run_cli({"--input-format", "jsonl", "--format", "jsonl"}, record(100'000) + "\n" + record(1) + "\n");
  CHECK(r.code == 4);
  CHECK(contains(r.err, "line 1: nested deeper than 256 levels"));
  CHECK(contains(r.out, "such a failure"));
}

TEST_CASE("bad input: unreadable files - missing files and symlink loops are input errors - the rest is analysed") {
  TempDir dir;
  std::string good = dir.write("good.txt", kLabel);
  std::string locked = dir.write("locked.txt", kAbsolute);
  ::chmod(locked.c_str(), 0);
  std::string not_a_dir = good + "/inside.txt";  // ENOTDIR, whoever runs the test
  fs::create_symlink("loop", dir / "loop");
  fs::create_symlink("loop-b", dir / "loop-a");
  fs::create_symlink("loop-a", dir / "loop-b");

  std::vector<std::string> args = {good, not_a_dir, dir / "loop", dir / "loop-a", dir / "missing.txt"};
  // Root reads a file whatever its mode: it is only unreadable for other users.
  const bool locked_is_unreadable = ::geteuid() != 0;
  if (locked_is_unreadable) args.push_back(locked);
  Run r = run_cli(args);
  CHECK(r.code == 4);
  CHECK(contains(r.out, good + ":1:1: self_label"));
  CHECK(contains(r.err, not_a_dir + ": cannot open file"));
  CHECK(contains(r.err, (dir / "loop") + ": cannot open file"));
  CHECK(contains(r.err, (dir / "loop-a") + ": cannot open file"));
  CHECK(contains(r.err, (dir / "missing.txt") + ": cannot open file"));
  if (locked_is_unreadable) CHECK(contains(r.err, locked + ": cannot open file"));
  CHECK_FALSE(contains(r.out, "absolute"));

  // JSON output still holds one document per input, the failed ones with their error.
  Run j = run_cli({good, dir / "loop", "--format", "json"});
  CHECK(j.code == 4);
  auto docs = nlohmann::json::parse(j.out)["documents"];
  REQUIRE(docs.size() == 2);
  CHECK(docs[0]["findings"].size() == 1);
  CHECK(docs[1].contains("error"));
}

TEST_CASE("bad input: a directory with a binary file: text is analysed - the binary file is an input error") {
  TempDir dir;
  dir.write("journal/good.txt", kLabel);
  std::string png = "\x89PNG\r\n\x1A\n" + std::string(64, '\0');
  for (int i = 0; i < 256; ++i) png += static_cast<char>(i);
  dir.write("journal/photo.png", png);          // not a worksheet name: not read at all
  std::string blob = dir.write("journal/blob.txt", png);  // a worksheet name, binary content

  // Plain analysis refuses a directory as a whole.
  Run plain = run_cli({dir / "journal"});
  CHECK(plain.code == 4);
  CHECK(contains(plain.err, "is a directory"));

  // batch walks it: the text file is analysed, the binary one reported, the PNG skipped.
  Run r = run_cli({"batch", "-q", "--format", "json", "-j", "2", dir / "journal"});
  CHECK(r.code == 4);
  CHECK(r.err == "selftalk: " + blob + ": not UTF-8 text (contains NUL bytes)\n");
  CHECK_FALSE(contains(r.out, "photo.png"));
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["worksheets"] == 2);
  CHECK(j["analysed"] == 1);
  CHECK(j["errors"] == 1);
  CHECK(j["findings"] == 1);
}

TEST_CASE("bad input: a symlink loop inside a directory is reported once - the walk goes on") {
  TempDir dir;
  dir.write("journal/a.txt", kLabel);
  dir.write("journal/sub/b.txt", kAbsolute);
  fs::create_directory_symlink("..", fs::path(dir / "journal/sub/up"));
  Run r = run_cli({"batch", "-q", "--format", "json", "-j", "1", dir / "journal"});
  CHECK(r.code == 4);
  CHECK(contains(r.err, (dir / "journal/sub/up") + ": symbolic link loop"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["worksheets"] == 3);
  CHECK(j["analysed"] == 2);
  CHECK(j["errors"] == 1);
  CHECK(j["findings"] == 2);
}

TEST_CASE("bad input: CSV with unbalanced quotes: the broken record is an error with its line - reading goes on") {
  // A quote never closed runs to the end of the file (RFC 4180); the reader then gives up on that
  // record alone and resumes on the line after the opening quote.
  const std::string csv = "id,text\n"
                          "1,\"I'm such a failure.\"\n"
                          "2,\"unbalanced, \"\"quoted\"\" and never closed\n"
                          "3,I always ruin everything.\n"
                          "4,fine\n";
  auto rows = selftalk::cli::parse_csv(csv);
  REQUIRE(rows.size() == 5);
  CHECK(rows[1].error.empty());
  CHECK(rows[1].fields == std::vector<std::string>{"1", "I'm such a failure."});
  CHECK(rows[2].line == 3);
  CHECK(contains(rows[2].error, "unterminated"));
  CHECK(rows[3].line == 4);
  CHECK(rows[3].error.empty());
  CHECK(rows[3].fields == std::vector<std::string>{"3", "I always ruin everything."});
  CHECK(rows[4].fields == std::vector<std::string>{"4", "fine"});

  // Stray quotes in a line spoil that record only.
  auto stray = selftalk::cli::parse_csv("1,a \"quote\" inside\n2,\"closed\" then text\n3,fine\n");
  REQUIRE(stray.size() == 3);
  CHECK(contains(stray[0].error, "quote inside an unquoted field"));
  CHECK(contains(stray[1].error, "text after a closing quote"));
  CHECK(stray[2].error.empty());

  TempDir dir;
  std::string path = dir.write("sheet.csv", csv);
  Run r = run_cli({"batch", "-q", "--format", "json", "-j", "1", path});
  CHECK(r.code == 4);
  CHECK(contains(r.err, path + ":3"));
  CHECK(contains(r.err, "unterminated"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["analysed"] == 3);
  CHECK(j["errors"] == 1);
  CHECK(j["findings"] == 2);
}

TEST_CASE("guarantee: input text is never written to stderr - even for broken inputs") {
  const std::string secret = "I always ruin everything, says SECRET-7f3a.";
  const std::string jsonl = "{\"id\": 1, \"text\": \"" + secret + "\"}\n"
                            "{\"id\": 2, \"text\": \"" + secret + "}\n"
                            "{\"id\": 3, \"txt\": \"" + secret + "\"}\n";
  for (const char* format : {"text", "json", "jsonl"}) {
    CAPTURE(format);
    Run r = run_cli({"--input-format", "jsonl", "--format", format}, jsonl);
    CHECK(r.code == 4);
    CHECK(contains(r.out, "ruin everything"));  // the answer the user asked for quotes it
    CHECK_FALSE(contains(r.err, "SECRET"));
  }
  TempDir dir;
  std::string csv = dir.write("s.csv", "id,text\n1,\"" + secret + "\"\n2,\"" + secret + "\n");
  Run b = run_cli({"batch", "--format", "json", csv});
  CHECK(b.code == 4);
  CHECK_FALSE(contains(b.err, "SECRET"));
}

TEST_CASE("guarantee: analysis writes no file - batch outputs replace their targets whole") {
  TempDir dir;
  std::string input = dir.write("in/today.txt", kLabel);
  auto listing = [&] {
    std::vector<std::string> names;
    for (const auto& e : fs::recursive_directory_iterator(dir.path)) names.push_back(e.path().string());
    std::sort(names.begin(), names.end());
    return names;
  };
  const auto before = listing();
  CHECK(run_cli({input, "--format", "json"}).code == 0);
  CHECK(listing() == before);

  std::string csv = dir.write("out/table.csv", "old contents\n");
  Run ok = run_cli({"batch", "-q", "--csv", csv, input});
  CHECK(ok.code == 0);
  std::ifstream in(csv, std::ios::binary);
  std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK_FALSE(contains(written, "old contents"));
  CHECK(contains(written, "today.txt"));

  // A target that cannot be replaced is an error; nothing half-written is left behind.
  fs::create_directories(dir.path / "out/blocked.json");
  Run blocked = run_cli({"batch", "-q", "--json", dir / "out/blocked.json", "--csv", csv, input});
  CHECK(blocked.code == 4);
  CHECK(contains(blocked.err, "blocked.json: is a directory"));
  for (const auto& e : fs::directory_iterator(dir.path / "out"))
    CHECK_FALSE(contains(e.path().filename().string(), ".tmp-"));
}
