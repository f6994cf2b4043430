// Tests for batch runs (cli/src/batch.h, report.h, walk.h, progress.h): a folder of 1,000
// generated worksheets with broken ones, -j N == -j 1, agreement of CSV, JSON and HTML, inputs.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "app.h"
#include "batch.h"
#include "progress.h"
#include "report.h"
#include "cli_util.h"
#include "test_util.h"

namespace {

namespace fs = std::filesystem;


using selftalk::test::Run;
using selftalk::test::run_cli;
using selftalk::test::TempDir;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Worksheet i of a generated batch: a mix of critical and neutral sentences; every 97th one
// has crisis language.
std::string worksheet(int i) {
  static const char* kSentences[] = {"I always ruin everything.",
                                     "I should have known better.",
                                     "I'm such a failure.",
                                     "We walked the dog by the river.",
                                     "The soup was warm and the kitchen smelled of thyme.",
                                     "My sister called in the evening.",
                                     "I finished the report on time."};
  std::string text = "Worksheet " + std::to_string(i) + "\n\n";
  for (int k = 0; k < 3 + i % 4; ++k) text += std::string(kSentences[(i * 7 + k * 3) % 7]) + (k % 2 ? "\n" : " ");
  if (i % 97 == 0) text += "\nSometimes I want to die.\n";
  return text;
}

// Splits a CSV line without quoted fields (the generated batch has none).
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream s(line);
  while (std::getline(s, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t col(const std::string& name) const {
    auto it = std::find(header.begin(), header.end(), name);
    REQUIRE_MESSAGE(it != header.end(), "no column " << name);
    return static_cast<std::size_t>(it - header.begin());
  }
};

CsvTable read_simple_csv(const std::string& text) {
  CsvTable t;
  std::istringstream s(text);
  std::string line;
  while (std::getline(s, line)) {
    REQUIRE(!line.empty());
    REQUIRE(line.back() == '\r');
    line.pop_back();
    REQUIRE_MESSAGE(line.find('"') == std::string::npos, line);
    if (t.header.empty()) t.header = split(line);
    else t.rows.push_back(split(line));
  }
  return t;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("batch: 1000 worksheets with 3 broken ones complete / CSV and JSON and summary and HTML agree / -j 2 == -j 1") {
  TempDir dir;
  const int kGood = 1000;
  for (int i = 0; i < kGood; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "%s/ws-%04d.%s", i % 2 ? "b" : "a/deep", i, i % 5 ? "txt" : "md");
    dir.write(std::string("in/") + name, worksheet(i));
  }
  dir.write("in/a/notes.csv.bak", "ignored: not .txt or .md");
  dir.write("in/broken-binary.txt", std::string("I\0am\0binary\0", 12));
  dir.write("in/broken-latin1.txt", "Caf\xe9 cr\xe8me br\xfbl\xe9" "e, na\xefve r\xe9sum\xe9, d\xe9j\xe0 vu, \xe0 la carte\n");
  dir.write("in/broken-large.md", std::string(70 * 1024, 'a') + "\n");
  const std::string in = (dir.path / "in").string();

  Run one = run_cli({"batch", in, "-j", "1", "--max-bytes", "64KiB", "-q", "-o", dir.str() + "/j1"});
  Run two = run_cli({"batch", in, "-j", "2", "--max-bytes", "64KiB", "-q", "-o", dir.str() + "/j2"});

  // Generating and running once serves every check below (subcases would re-run the batch).
  {  // The batch completes, exits 4, and names the 3 broken worksheets with their reasons.
    CHECK(one.code == 4);
    CHECK(count(one.err, "selftalk: ") == 3);
    CHECK(one.err.find("broken-binary.txt: not UTF-8 text (contains NUL bytes)") != std::string::npos);
    CHECK(one.err.find("broken-latin1.txt: not UTF-8 text (") != std::string::npos);
    CHECK(one.err.find("broken-large.md: too large (71681 bytes; --max-bytes is 65536)") != std::string::npos);
    CHECK(one.out.find("1003 worksheets, 1000 analysed, 3 errors (partial)") != std::string::npos);
    auto summary = nlohmann::json::parse(slurp(dir.path / "j1/summary.json"));
    CHECK(summary["worksheets"] == 1003);
    CHECK(summary["errors"] == 3);
    CHECK(summary["partial"] == true);
    REQUIRE(summary["error_list"].size() == 3);
    std::string listed;
    for (const auto& e : summary["error_list"]) listed += e["source"].get<std::string>() + ": " + e["error"].get<std::string>() + "\n";
    CHECK(listed.find("broken-binary.txt: not UTF-8") != std::string::npos);
    CHECK(listed.find("broken-latin1.txt: not UTF-8") != std::string::npos);
    CHECK(listed.find("broken-large.md: too large") != std::string::npos);
  }

  {  // -j 2 writes byte-identical outputs to -j 1.
    CHECK(two.code == one.code);
    CHECK(two.out == one.out);
    CHECK(two.err == one.err);
    for (const char* f : {"worksheets.csv", "worksheets.json", "summary.json", "report.html"}) {
      INFO(f);
      CHECK(slurp(dir.path / "j1" / f) == slurp(dir.path / "j2" / f));
    }
  }

  {  // CSV, JSON, summary and HTML counts agree, and match the analyzer run directly.
    CsvTable csv = read_simple_csv(slurp(dir.path / "j1/worksheets.csv"));
    auto json = nlohmann::json::parse(slurp(dir.path / "j1/worksheets.json"));
    auto summary = nlohmann::json::parse(slurp(dir.path / "j1/summary.json"));
    std::string html = slurp(dir.path / "j1/report.html");
    REQUIRE(csv.rows.size() == 1003);
    REQUIRE(json["worksheets"].size() == 1003);
    CHECK(count(html, "<tr data-i=") == 1003);
    CHECK(count(html, "<section class=\"ws") == 1000);

    selftalk::Analyzer analyzer(selftalk::test::default_rules());
    std::size_t findings = 0, safety_sheets = 0, expected_safety = 0, words = 0, errors = 0;
    std::map<std::string, std::size_t> per_category;
    for (std::size_t r = 0; r < csv.rows.size(); ++r) {
      const auto& row = csv.rows[r];
      const auto& j = json["worksheets"][r];
      REQUIRE(row.size() == csv.header.size());
      CHECK(j["id"] == row[csv.col("id")]);
      for (std::size_t c = 3; c + 1 < csv.header.size(); ++c) {
        const std::string& name = csv.header[c];
        if (name == "safety_flag") CHECK((j[name].get<bool>() ? "true" : "false") == row[c]);
        else if (name == "critic_intensity" || name == "absolutist_rate") CHECK(j[name].get<double>() == doctest::Approx(std::stod(row[c])));
        else CHECK(std::to_string(j[name].get<std::size_t>()) == row[c]);
      }
      if (row[csv.col("status")] == "error") {
        ++errors;
        continue;
      }
      // The generator's file name gives the worksheet number; the analyzer gives the counts.
      const std::string& id = row[csv.col("id")];
      int i = std::stoi(id.substr(id.rfind("ws-") + 3, 4));
      selftalk::Analysis a = analyzer.analyze(worksheet(i));
      CHECK(row[csv.col("words")] == std::to_string(a.scores.words));
      std::size_t sheet_findings = 0;
      for (std::size_t c = 0; c < selftalk::kCategoryCount; ++c) {
        std::string name(selftalk::to_string(static_cast<selftalk::Category>(c)));
        CHECK(row[csv.col(name)] == std::to_string(a.scores.by_category[c]));
        per_category[name] += a.scores.by_category[c];
        sheet_findings += a.scores.by_category[c];
      }
      CHECK(row[csv.col("findings")] == std::to_string(sheet_findings));
      CHECK(row[csv.col("safety_flag")] == (a.has_safety() ? "true" : "false"));
      findings += sheet_findings;
      words += a.scores.words;
      safety_sheets += a.has_safety() ? 1 : 0;
      expected_safety += i % 97 == 0 ? 1 : 0;
    }
    CHECK(errors == 3);
    CHECK(safety_sheets == expected_safety);  // the crisis sentence is found in every 97th sheet
    CHECK(findings > 1000);
    CHECK(summary["findings"] == findings);
    CHECK(summary["totals"]["words"] == words);
    CHECK(summary["worksheets_with_safety"] == safety_sheets);
    CHECK(summary["safety"].size() == safety_sheets);
    for (const auto& [name, n] : per_category) {
      INFO(name);
      CHECK(summary["categories"][name]["findings"] == n);
      CHECK(summary["totals"]["categories"][name] == n);
      CHECK(html.find("data-key=\"" + name + "\" data-value=\"" + std::to_string(n) + "\"") != std::string::npos);
    }
    CHECK(html.find("id=\"kpi-findings\" data-value=\"" + std::to_string(findings) + "\"") != std::string::npos);
    CHECK(html.find("id=\"kpi-errors\" data-value=\"3\"") != std::string::npos);
    CHECK(html.find("id=\"kpi-safety\" data-value=\"" + std::to_string(safety_sheets) + "\"") != std::string::npos);
    // Safety comes first: the crisis section precedes the charts, and flagged texts precede the rest.
    CHECK(html.find("id=\"safety\"") < html.find("id=\"charts\""));
    CHECK(html.find("<section class=\"ws flag\"") < html.find("<section class=\"ws\""));
    CHECK(html.find("<section class=\"ws\"") > html.rfind("<section class=\"ws flag\""));
  }
}

TEST_CASE("batch: directories are walked recursively for .txt and .md in sorted order / loops are reported") {
  TempDir dir;
  dir.write("d/b.txt", "I'm such a failure.");
  dir.write("d/a.MD", "I should have known better.");
  dir.write("d/sub/c.txt", "We had soup.");
  dir.write("d/skip.csv", "id,text\n1,x\n");
  dir.write("d/skip.json", "{}");
  fs::create_directory_symlink("..", dir.path / "d/sub/up");
  Run r = run_cli({"batch", (dir.path / "d").string(), "-q", "--csv", dir.str() + "/t.csv", "/no/such/path"});
  CHECK(r.code == 4);
  CsvTable t = read_simple_csv(slurp(dir.path / "t.csv"));
  std::vector<std::string> sources;
  for (const auto& row : t.rows) {
    std::string s = row[t.col("source")];
    sources.push_back(s.rfind(dir.str(), 0) == 0 ? s.substr(dir.str().size()) : s);
  }
  CHECK(sources == std::vector<std::string>{"/d/a.MD", "/d/b.txt", "/d/sub/c.txt", "/d/sub/up", "/no/such/path"});
  CHECK(t.rows[3][t.col("error")].find("symbolic link loop") == 0);
  CHECK(t.rows[4][t.col("error")] == "no such file or directory");
  CHECK(t.rows[0][t.col("should")] == "1");
  CHECK(t.rows[1][t.col("self_label")] == "1");
}

TEST_CASE("batch: CSV exports with BOM and CRLF and multi-line cells and chosen columns / malformed rows") {
  TempDir dir;
  std::string csv = "\xEF\xBB\xBF" "Entry,Respondent,Answer\r\n"
                    "1,r-01,\"I'm such a failure.\r\nAnd \"\"everyone\"\" knows, too.\"\r\n"
                    "2,r-02,a \"quote\" inside\r\n"
                    "3,r-03,We had soup.\r\n"
                    "4,r-04\r\n"
                    "5,r-05,I should have known better.\r\n"
                    "6,r-06,\"unterminated\r\n"
                    "7,r-07,I always ruin everything.\r\n";
  std::string path = dir.write("export.csv", csv);
  Run r = run_cli({"batch", path, "--csv-id", "respondent", "--csv-text", "3", "-q", "--json", dir.str() + "/t.json"});
  CHECK(r.code == 4);
  auto j = nlohmann::json::parse(slurp(dir.path / "t.json"));
  REQUIRE(j["worksheets"].size() == 7);
  const auto& w = j["worksheets"];
  CHECK(w[0]["id"] == "r-01");
  CHECK(w[0]["source"] == path + ":2");
  CHECK(w[0]["self_label"] == 1);
  CHECK(w[0]["sentences"] == 2);
  CHECK(w[1]["status"] == "error");
  CHECK(w[1]["error"] == "malformed CSV row: a quote inside an unquoted field");
  CHECK(w[2]["id"] == "r-03");
  CHECK(w[2]["source"] == path + ":5");
  CHECK(w[2]["status"] == "ok");
  CHECK(w[3]["error"] == "malformed CSV row: 2 fields, the header has 3");
  CHECK(w[4]["id"] == "r-05");
  CHECK(w[4]["should"] == 1);
  CHECK(w[5]["error"] == "malformed CSV row: unterminated quoted field");
  CHECK(w[6]["id"] == "r-07");
  CHECK(w[6]["absolute"] == 1);
  CHECK(r.err.find(path + ":8: malformed CSV row: unterminated quoted field") != std::string::npos);

  Run missing = run_cli({"batch", path, "--csv-id", "Respondent", "--csv-text", "body", "-q"});
  CHECK(missing.code == 4);
  CHECK(missing.err.find("no text column 'body' (columns: Entry, Respondent, Answer; see --csv-text)") !=
        std::string::npos);
}

TEST_CASE("batch: JSONL records and stdin / --fail-on / exit 0 when nothing is broken") {
  TempDir dir;
  std::string path = dir.write("r.jsonl", "{\"id\": \"a\", \"text\": \"I'm such a failure.\"}\n\n"
                                          "{\"id\": 7, \"text\": \"We had soup.\"}\n");
  Run r = run_cli({"batch", path, "-q", "--format", "json"});
  CHECK(r.code == 0);
  auto s = nlohmann::json::parse(r.out);
  CHECK(s["worksheets"] == 2);
  CHECK(s["categories"]["self_label"]["findings"] == 1);
  CHECK(s["categories"]["self_label"]["worksheets"] == 1);
  CHECK(s["categories"]["self_label"]["histogram"]["0"] == 1);
  CHECK(s["categories"]["self_label"]["histogram"]["1"] == 1);
  CHECK(run_cli({"batch", path, "-q", "--fail-on", "self_label"}).code == 1);
  CHECK(run_cli({"batch", path, "-q", "--fail-on", "should"}).code == 0);

  Run in = run_cli({"batch", "-q", "--input-format", "jsonl", "--csv", dir.str() + "/t.csv"},
                   "{\"id\": \"x\", \"text\": \"I should have known better.\"}\nnot json\n");
  CHECK(in.code == 4);
  CsvTable t = read_simple_csv(slurp(dir.path / "t.csv"));
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0][t.col("id")] == "x");
  CHECK(t.rows[1][t.col("error")] == "line 2: not valid JSON");
  CHECK(in.err.find("<stdin>:2: line 2: not valid JSON") != std::string::npos);

  Run text = run_cli({"batch", "-q"}, "I always ruin everything.");
  CHECK(text.code == 0);
  CHECK(text.out.find("1 worksheets, 1 analysed, 0 errors") != std::string::npos);
}

TEST_CASE("batch: outputs are written atomically / a failed write leaves nothing behind and exits 4") {
  TempDir dir;
  std::string target = dir.str() + "/table.csv";
  dir.write("table.csv", "old content");
  Run ok = run_cli({"batch", "-q", "--csv", target}, "I'm such a failure.");
  CHECK(ok.code == 0);
  CHECK(slurp(target).rfind("id,source,status,", 0) == 0);
  Run bad = run_cli({"batch", "-q", "--csv", dir.str() + "/missing-dir/table.csv"}, "x");
  CHECK(bad.code == 4);
  CHECK(bad.err.find("cannot create a temporary file") != std::string::npos);
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir.path)) {
    (void)e;
    ++files;
  }
  CHECK(files == 1);  // no temporary file left

  // Through a symbolic link the file it points to is replaced and the link kept.
  fs::create_symlink(target, dir.path / "link.csv");
  CHECK(run_cli({"batch", "-q", "--csv", dir.str() + "/link.csv"}, "I should have known better.").code == 0);
  CHECK(fs::is_symlink(dir.path / "link.csv"));
  CHECK(slurp(target).find(",1,0,") != std::string::npos);
  CHECK(slurp(target) == slurp(dir.path / "link.csv"));
}

TEST_CASE("batch: text checks: size limit and NUL bytes and the invalid UTF-8 threshold") {
  using selftalk::cli::check_text;
  CHECK(check_text("fine", 4).empty());
  CHECK(check_text("fine!", 4).find("too large (5 bytes") == 0);
  CHECK(check_text(std::string("a\0b", 3), 0) == "not UTF-8 text (contains NUL bytes)");
  CHECK(check_text("caf\xe9", 0) == "not UTF-8 text (1 invalid byte)");
  std::string long_text(2000, 'a');
  long_text[100] = '\xff';
  CHECK(check_text(long_text, 0).empty());  // one stray byte in 2,000 is tolerated
  CHECK(selftalk::cli::invalid_utf8_bytes("\xC0\xAF \xED\xA0\x80 \xF4\x90\x80\x80 ok \xE2\x80\x99") == 9);
}

TEST_CASE("batch: the progress line shows documents and MB/s and ETA") {
  using selftalk::cli::render_progress;
  CHECK(render_progress(250, 1000, 5'000'000, 2.0, 8) == "[##......] 250/1000 documents  2.5 MB/s  ETA 0:06");
  CHECK(render_progress(1000, 1000, 0, 0.0, 4) == "[####] 1000/1000 documents  0.0 MB/s  ETA 0:00");
  CHECK(render_progress(0, 10, 0, 1.0, 2) == "[..] 0/10 documents  0.0 MB/s  ETA --:--");
}

TEST_CASE("batch: HTML escapes text and replaces invalid UTF-8") {
  std::string out;
  selftalk::cli::append_html_escaped(out, "<script>\"x\" & 'y'</script>\x01\xff\xe2\x80\x99");
  CHECK(out == "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;\xEF\xBF\xBD\xEF\xBF\xBD\xe2\x80\x99");
  TempDir dir;
  std::string path = dir.write("<b>name<i>.txt", "I'm such a failure. <script>alert(1)</script>");
  Run r = run_cli({"batch", "-q", "--html", dir.str() + "/r.html", path});
  CHECK(r.code == 0);
  std::string html = slurp(dir.path / "r.html");
  CHECK(count(html, "<script>") == 1);  // only the report's own sorting script
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("&lt;b&gt;name&lt;i&gt;.txt") != std::string::npos);
  CHECK(html.find("<b>name") == std::string::npos);
  CHECK(html.find("default-src 'none'") != std::string::npos);
}
