#include "app.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>
#include <thread>

#include "batch.h"
#include "eval.h"
#include "input.h"
#include "output.h"
#include "pii.h"
#include "progress.h"
#include "report.h"
#include "streaming.h"
#include "selftalk/selftalk.h"

namespace selftalk::cli {
namespace {

struct Options {
  std::vector<std::string> files;
  std::string format = "text";
  std::string input_format = "text";
  std::vector<std::string> rules;
  bool no_default_rules = false;
  bool list_rules = false;
  std::string explain;
  std::vector<std::string> fail_on;
  std::vector<std::string> only;
  std::string min_severity = "low";
  std::string color = "auto";
  bool all_reframes = false;
  bool include_reported = false;
  bool no_summary = false;
  bool redact = false;
  // batch
  BatchOptions batch;
  std::string batch_input_format = "auto";
  unsigned jobs = 0;
  bool quiet = false;
  std::string out_csv, out_json, out_summary, out_html, out_dir;
  // eval
  std::string gold;
  bool show_mistakes = false;
};

Result<std::shared_ptr<const Ruleset>> load_rules(const Options& o) {
  if (o.rules.empty() && !o.no_default_rules) return Ruleset::default_ruleset();
  std::vector<RulePack> packs;
  if (!o.no_default_rules) {
    auto defaults = default_packs();
    if (!defaults) return defaults.error();
    packs = std::move(defaults).value();
  }
  for (const std::string& path : o.rules) {
    auto loaded = load_packs(path);
    if (!loaded) return loaded.error();
    packs = merge_packs(std::move(packs), std::move(loaded).value());
  }
  return Ruleset::compile(std::move(packs));
}

void list_rules(std::ostream& out, const Ruleset& rules) {
  for (const RuleSpec* r : rules.rules())
    out << r->id << "\t" << to_string(r->category) << "\t" << to_string(r->pillar) << "\t" << to_string(r->severity)
        << "\t" << r->message << "\n";
}

bool explain(std::ostream& out, const Ruleset& rules, const std::string& id) {
  const RuleSpec* r = rules.find_rule(id);
  if (r == nullptr) return false;
  auto list = [&](const char* title, const std::vector<Located>& items) {
    if (items.empty()) return;
    out << title << ":\n";
    for (const Located& l : items) out << "  " << l.text << "\n";
  };
  out << r->id << " (" << r->where.file << ":" << r->where.line << ")\n"
      << "category: " << to_string(r->category) << "\n"
      << "pillar:   " << to_string(r->pillar) << "\n"
      << "severity: " << to_string(r->severity) << "\n"
      << "message:  " << r->message << "\n";
  list("patterns", r->patterns);
  list("exceptions", r->exceptions);
  if (!r->ignore_context.empty()) {
    out << "ignores context checks:";
    for (const std::string& c : r->ignore_context) out << " " << c;
    out << "\n";
  }
  if (!r->friend_view.text.empty()) out << "friend view:\n  " << r->friend_view.text << "\n";
  if (!r->reframes.empty()) {
    out << "reframes (besides the category's defaults):\n";
    for (const ReframeTemplate& t : r->reframes) out << "  [" << t.strategy << "] " << t.text.text << "\n";
  }
  list("matches", r->match_examples);
  list("does not match", r->no_match_examples);
  return true;
}

bool parse_categories(const std::vector<std::string>& names, std::array<bool, kCategoryCount>& out, bool* any,
                      std::string* bad) {
  out.fill(false);
  for (const std::string& n : names) {
    if (n == "any" && any != nullptr) {
      *any = true;
      out.fill(true);
      continue;
    }
    auto c = category_from_string(n);
    if (!c) {
      *bad = n;
      return false;
    }
    out[static_cast<std::size_t>(*c)] = true;
  }
  return true;
}

// Masks personal data in a document's text, source and id (docs/batch.md).
void redact_document(Document& d) {
  d.text = redact(d.text);
  d.source = redact(d.source);
  if (d.id_json.empty()) return;
  // The id stays valid JSON: a string id is redacted as a string; anything else that changes and
  // no longer parses becomes a string.
  nlohmann::json id = nlohmann::json::parse(d.id_json, nullptr, false);
  std::string masked = id.is_string() ? redact(id.get<std::string>()) : redact(d.id_json);
  if (id.is_string() ? masked == id.get<std::string>() : masked == d.id_json) return;
  d.id_json.clear();
  if (!id.is_string() && !nlohmann::json::parse(masked, nullptr, false).is_discarded()) d.id_json = masked;
  else append_json_string(d.id_json, masked);
}

// The input named `f` on the command line: `in` for "-", else `file` opened on it. Returns
// null with *error set when it is a directory or cannot be opened.
std::istream* open_input(const std::string& f, std::istream& in, std::ifstream& file, std::string* error) {
  if (f == "-") return &in;
  std::error_code ec;
  if (std::filesystem::is_directory(f, ec)) *error = "is a directory";
  else if (file.open(f, std::ios::binary); !file) *error = "cannot open file";
  return error->empty() ? &file : nullptr;
}

// Streams JSONL records to JSONL results: one output line per input line, flushed at once, each
// a function of its own line only (docs/scale.md). Returns true when a record had an error.
bool filter_records(const Options& o, Analyzer& analyzer, const AnalyzeOptions& options, std::istream& in,
                    std::ostream& out, std::ostream& err, const std::array<bool, kCategoryCount>& fail_on,
                    bool* failed) {
  std::vector<std::string> files = o.files.empty() ? std::vector<std::string>{"-"} : o.files;
  bool input_error = false;
  auto emit = [&](Document& doc) {
    if (o.redact) redact_document(doc);
    std::string line;
    if (!doc.error.empty()) {
      input_error = true;
      err << "selftalk: " << doc.source << (doc.id_json.empty() ? "" : "[" + doc.id_json + "]") << ": " << doc.error
          << "\n";
      append_document_json(line, doc, nullptr);
    } else {
      Analysis a = analyzer.analyze(doc.text, options);
      for (const Finding& f : a.findings)
        if (!f.reported && fail_on[static_cast<std::size_t>(f.category)]) *failed = true;
      append_document_json(line, doc, &a);
    }
    line += '\n';
    out << line;
    out.flush();
  };
  for (const std::string& f : files) {
    std::string source = f == "-" ? "<stdin>" : f;
    std::ifstream file;
    std::string error;
    std::istream* opened = open_input(f, in, file, &error);
    if (opened == nullptr) {
      Document doc{source, {}, {}, error, 0};
      emit(doc);
      continue;
    }
    std::istream& stream = *opened;
    std::string line;
    std::size_t number = 0;
    while (std::getline(stream, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (number == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      Document doc = parse_record(line, source, number);
      emit(doc);
    }
    if (stream.bad()) {
      Document doc{source, {}, {}, "read error", 0};
      emit(doc);
    }
  }
  return input_error;
}

bool color_wanted(const std::string& mode, bool stdout_tty) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return stdout_tty;
}

int run_eval(const Options& o, Analyzer& analyzer, std::ostream& out, std::ostream& err) {
  std::string error;
  auto content = read_file(o.gold, &error);
  if (!content) {
    err << "selftalk: " << o.gold << ": " << error << "\n";
    return kExitInput;
  }
  std::vector<GoldRecord> gold;
  if (!parse_gold(*content, gold, &error)) {
    err << "selftalk: " << o.gold << ": " << error << "\n";
    return kExitInput;
  }
  EvalReport report = evaluate(analyzer, gold);
  if (o.format == "json") write_eval_json(out, report);
  else write_eval_text(out, report, o.show_mistakes);
  return kExitOk;
}

int run_check(const std::shared_ptr<const Ruleset>& rules, std::ostream& out) {
  std::vector<ExampleFailure> failures = check_examples(rules);
  for (const ExampleFailure& f : failures) {
    out << f.example.where.file << ":" << f.example.where.line << ":" << f.example.where.column << ": " << f.rule
        << ": " << (f.expected_match ? "should match but does not: " : "should not match but does: ") << f.example.text
        << "\n";
  }
  std::size_t examples = 0;
  for (const RuleSpec* r : rules->rules()) examples += r->match_examples.size() + r->no_match_examples.size();
  out << "examples: " << (examples - failures.size()) << " passed, " << failures.size() << " failed\n";
  return failures.empty() ? kExitOk : kExitFindings;
}

// The batch subcommand (docs/batch.md): analyse everything, then write the chosen outputs from the
// one in-memory table, each atomically.
int run_batch_command(Options& o, const std::shared_ptr<const Ruleset>& rules, const AnalyzeOptions& analyze_options,
                      const std::array<bool, kCategoryCount>& fail_on, std::istream& in, std::ostream& out,
                      std::ostream& err, bool stderr_tty) {
  BatchOptions& b = o.batch;
  b.input_format = o.batch_input_format;
  b.jobs = o.jobs > 0 ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  b.redact = o.redact;
  b.analyze = analyze_options;
  if (!o.out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.out_dir, ec);
    if (ec) {
      err << "selftalk: --out-dir " << o.out_dir << ": " << ec.message() << "\n";
      return kExitUsage;
    }
    auto in_dir = [&](std::string& target, const char* name) {
      if (target.empty()) target = (std::filesystem::path(o.out_dir) / name).string();
    };
    in_dir(o.out_csv, "worksheets.csv");
    in_dir(o.out_json, "worksheets.json");
    in_dir(o.out_summary, "summary.json");
    in_dir(o.out_html, "report.html");
  }
  b.keep_texts = !o.out_html.empty();

  BatchProgress counters;
  Batch batch;
  {
    ProgressBar bar(counters, err, stderr_tty && !o.quiet);
    batch = run_batch(b, rules, in, &counters);
  }
  bool failed = false;
  for (const Worksheet& w : batch.worksheets) {
    if (!w.error.empty()) {
      err << "selftalk: " << w.source << ": " << w.error << "\n";
      continue;
    }
    for (std::size_t c = 0; c < kCategoryCount; ++c)
      if (fail_on[c] && w.analysis.scores.by_category[c] > 0) failed = true;
    if (!o.quiet && w.personal_data_total() > 0)
      err << "selftalk: " << w.source << ": warning: personal data " << (b.redact ? "redacted" : "left") << ": "
          << describe_pii(w.personal_data) << "\n";
  }
  bool write_error = false;
  auto write = [&](const std::string& path, const std::string& content) {
    if (path.empty()) return;
    std::string e = write_file_atomic(path, content);
    if (!e.empty()) {
      err << "selftalk: " << path << ": " << e << "\n";
      write_error = true;
    }
  };
  write(o.out_csv, table_csv(batch));
  write(o.out_json, table_json(batch));
  write(o.out_summary, summary_json(batch));
  if (!o.out_html.empty()) write(o.out_html, html_report(batch));
  if (o.format == "text") write_summary_text(out, batch);
  else out << summary_json(batch);
  out.flush();
  if (write_error || batch.errors > 0) return kExitInput;
  return failed ? kExitFindings : kExitOk;
}

// The single-document command: every input (file or stdin) is one document, or one per JSONL
// record, written in order as it is finished, then the summary.
int run_documents(const Options& o, const std::shared_ptr<const Ruleset>& rules, Analyzer& analyzer,
                  const AnalyzeOptions& analyze_options, const std::array<bool, kCategoryCount>& fail_on,
                  std::istream& in, std::ostream& out, std::ostream& err, const TextStyle& style) {
  const bool text = o.format == "text";
  bool input_error = false, failed = false;
  Scores total;
  std::size_t documents = 0;
  if (o.format == "json") out << "{\"selftalk\":\"" << version() << "\",\"documents\":[";
  auto begin_document = [&] {
    if (o.format == "json" && documents > 0) out << ',';
    ++documents;
  };
  auto end_document = [&] {
    if (o.format != "jsonl") return;
    out << "\n";
    out.flush();
  };
  // A document read whole (or one that could not be read).
  auto report_whole = [&](Document doc) {
    if (o.redact) redact_document(doc);
    Analysis a;
    if (!doc.error.empty()) {
      input_error = true;
      err << "selftalk: " << doc.source << (doc.id_json.empty() ? "" : "[" + doc.id_json + "]") << ": " << doc.error
          << "\n";
    } else {
      a = analyzer.analyze(doc.text, analyze_options);
      total.add(a.scores);
      for (const Finding& f : a.findings)
        if (!f.reported && fail_on[static_cast<std::size_t>(f.category)]) failed = true;
    }
    begin_document();
    if (text) {
      if (doc.error.empty()) write_text(out, doc, a, style);
    } else {
      std::string line;
      append_document_json(line, doc, doc.error.empty() ? &a : nullptr);
      out << line;
    }
    end_document();
  };
  // Plain text is analysed while it is read; JSONL records and redacted text are read whole.
  const bool streamed = o.input_format == "text" && !o.redact;
  std::optional<StreamAnalyzer> stream;
  if (streamed) stream = document_stream(rules, analyze_options);
  const DocumentOutput::Format format = text ? DocumentOutput::Format::kText : DocumentOutput::Format::kJson;
  std::vector<std::string> files = o.files.empty() ? std::vector<std::string>{"-"} : o.files;
  for (const std::string& f : files) {
    const std::string source = f == "-" ? "<stdin>" : f;
    std::string error;
    std::ifstream file;
    std::istream* opened = open_input(f, in, file, &error);
    if (opened == nullptr) {
      report_whole(Document{source, {}, {}, error, 0});
      continue;
    }
    std::istream& input = *opened;
    if (!streamed) {
      std::optional<std::string> content = read_stream(input, &error);
      if (!content) report_whole(Document{source, {}, {}, error.empty() ? "cannot read" : error, 0});
      else if (o.input_format == "jsonl")
        for (Document& d : parse_records(*content, source)) report_whole(std::move(d));
      else report_whole(Document{source, {}, std::move(*content), {}, 0});
      continue;
    }
    Document doc{source, {}, {}, {}, 0};
    DocumentOutput output(format, doc, style);
    StreamedDocument result = stream_document(input, *stream, output, fail_on);
    if (result.read_error) {
      report_whole(Document{source, {}, {}, "read error", 0});
      continue;
    }
    total.add(result.scores);
    failed = failed || result.failed;
    begin_document();
    output.finish(out, result.scores, result.self_compassion_break, result.invalid_utf8_bytes);
    end_document();
  }
  if (o.format == "json") {
    std::string summary = "],\"summary\":";
    append_json(summary, total);
    summary += "}\n";
    out << summary;
  }
  if (text && !o.no_summary) write_text_summary(out, total, documents, style);
  out.flush();
  if (input_error) return kExitInput;
  return failed ? kExitFindings : kExitOk;
}

int run_impl(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err, bool stdout_tty,
             bool stderr_tty) {
  Options o;
  CLI::App app{"selftalk: finds the inner critic in self-talk and answers it with a friend's voice.\n"
               "Reads text from FILES (or stdin) and prints each critical thought with kinder reframes.\n"
               "Nothing leaves this machine.",
               "selftalk"};
  app.set_version_flag("--version", std::string("selftalk ") + version());
  app.add_option("files", o.files, "Text files to analyse ('-' or none: stdin)");
  app.add_option("-f,--format", o.format, "Output: text, json or jsonl")
      ->check(CLI::IsMember({"text", "json", "jsonl"}))
      ->capture_default_str();
  app.add_option("--input-format", o.input_format, "Input: text, or jsonl records {\"id\", \"text\"}")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();
  app.add_option("-r,--rules", o.rules,
                 "Rule pack file or directory; adds packs, or replaces a default pack of the same name")
      ->allow_extra_args(false);
  app.add_flag("--no-default-rules", o.no_default_rules, "Do not load the embedded default packs");
  app.add_flag("--list-rules", o.list_rules, "List the rules and exit");
  app.add_option("--explain", o.explain, "Show one rule: patterns, examples and reframes");
  app.add_option("--fail-on", o.fail_on, "Exit 1 when findings of these categories (or 'any') occur")
      ->delimiter(',')
      ->allow_extra_args(false);
  app.add_option("--only", o.only, "Report only these categories (comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  app.add_option("--min-severity", o.min_severity, "Report only findings at least this severe: low, medium, high")
      ->check(CLI::IsMember({"low", "medium", "high"}))
      ->capture_default_str();
  app.add_option("--color", o.color, "Colour: auto (a terminal without NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  app.add_flag("--all-reframes", o.all_reframes, "Show every applicable reframe, not two");
  app.add_flag("--include-reported", o.include_reported, "Also report critical words in someone else's voice");
  app.add_flag("--no-summary", o.no_summary, "Text output: leave out the closing summary");
  app.add_flag("--redact", o.redact,
               "Mask e-mail addresses, phone numbers, URLs, postcodes and dates in every output that quotes text");
  CLI::App* eval = app.add_subcommand("eval", "Precision, recall and F1 against annotated JSONL "
                                              "({\"text\", \"categories\": [...]}) per line");
  eval->add_option("gold", o.gold, "Annotated JSONL file")->required();
  eval->add_flag("--mistakes", o.show_mistakes, "List each false positive and false negative");
  eval->fallthrough();
  CLI::App* check = app.add_subcommand("check", "Run every rule's match/no-match examples; exit 1 on a failure");
  check->fallthrough();
  CLI::App* batch = app.add_subcommand(
      "batch", "Analyse many worksheets in parallel into a table, a summary and an HTML report (docs/batch.md)");
  batch->add_option("paths", o.batch.paths, "Files and directories (*.txt, *.md, recursively); '-' or none: stdin");
  batch->add_option("--input-format", o.batch_input_format,
                    "auto (by extension: .csv, .jsonl, else text), text, csv or jsonl")
      ->check(CLI::IsMember({"auto", "text", "csv", "jsonl"}))
      ->capture_default_str();
  batch->add_option("--csv-id", o.batch.csv_id, "CSV: the id column (header name or 1-based number)")
      ->capture_default_str();
  batch->add_option("--csv-text", o.batch.csv_text, "CSV: the text column (header name or 1-based number)")
      ->capture_default_str();
  batch->add_option("-j,--jobs", o.jobs, "Worker threads (default: all cores); output does not depend on it")
      ->check(CLI::Range(1u, 1024u));
  batch->add_option("--max-bytes", o.batch.max_bytes, "Larger worksheets are errors (default 16 MiB; 64KiB, 1MB...)")
      ->transform(CLI::AsSizeValue(false));
  batch->add_flag("-q,--quiet", o.quiet, "No progress bar and no personal-data warnings on stderr");
  batch->add_option("--csv", o.out_csv, "Write the per-worksheet table as CSV");
  batch->add_option("--json", o.out_json, "Write the per-worksheet table as JSON");
  batch->add_option("--summary", o.out_summary, "Write the summary as JSON");
  batch->add_option("--html", o.out_html, "Write the self-contained HTML report");
  batch->add_option("-o,--out-dir", o.out_dir,
                    "Write worksheets.csv, worksheets.json, summary.json and report.html into DIR");
  batch->fallthrough();
  app.footer("Exit codes: 0 ok, 1 findings matched --fail-on, 2 usage, 3 rule pack error, 4 input error.\n"
             "Docs: docs/cli.md. Crisis language is flagged first with a support message.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitUsage;
  }

  AnalyzeOptions analyze_options;
  std::string bad;
  if (!o.only.empty() && !parse_categories(o.only, analyze_options.categories, nullptr, &bad)) {
    err << "selftalk: --only: unknown category '" << bad << "'\n";
    return kExitUsage;
  }
  std::array<bool, kCategoryCount> fail_on{};
  bool fail_any = false;
  if (!parse_categories(o.fail_on, fail_on, &fail_any, &bad)) {
    err << "selftalk: --fail-on: unknown category '" << bad << "'\n";
    return kExitUsage;
  }
  analyze_options.min_severity = *severity_from_string(o.min_severity);
  analyze_options.all_reframes = o.all_reframes;
  analyze_options.include_reported = o.include_reported;

  auto rules = load_rules(o);
  if (!rules) {
    err << "selftalk: rule pack error: " << rules.error().to_string() << "\n";
    return kExitRulePack;
  }
  if (o.list_rules) {
    list_rules(out, **rules);
    return kExitOk;
  }
  if (!o.explain.empty()) {
    if (explain(out, **rules, o.explain)) return kExitOk;
    err << "selftalk: --explain: no rule '" << o.explain << "' (see --list-rules)\n";
    return kExitUsage;
  }
  if (check->parsed()) return run_check(*rules, out);
  if (batch->parsed()) return run_batch_command(o, *rules, analyze_options, fail_on, in, out, err, stderr_tty);
  Analyzer analyzer(*rules);
  if (eval->parsed()) return run_eval(o, analyzer, out, err);
  if (o.input_format == "jsonl" && o.format == "jsonl") {
    bool failed = false;
    if (filter_records(o, analyzer, analyze_options, in, out, err, fail_on, &failed)) return kExitInput;
    return failed ? kExitFindings : kExitOk;
  }
  return run_documents(o, *rules, analyzer, analyze_options, fail_on, in, out, err,
                       TextStyle{color_wanted(o.color, stdout_tty)});
}

}  // namespace

int run(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err) {
  return run_impl(argc, argv, in, out, err, false, false);
}

int run(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return run_impl(argc, argv, std::cin, std::cout, std::cerr, isatty(STDOUT_FILENO) != 0, isatty(STDERR_FILENO) != 0);
}

}  // namespace selftalk::cli
