// selftalk_bench: how fast the analysis is next to its limit (ICU sentence segmentation alone)
// and next to a naive baseline (every pattern on every sentence), over threads and rule counts;
// and whole-process start-up and peak memory of the CLI. See bench/README.md.
//
//   selftalk_bench [throughput] [--mb N] [--docs N] [--doc-kb N] [--seed N] [--min-time S]
//   selftalk_bench generate --bytes N [--seed N] --out FILE
//   selftalk_bench process --exe PATH --input FILE [--runs N] [ARGS...]
//   selftalk_bench loop --what full|icu|naive|compile [--mb N] [--reps N] [--rules-x N]   (for profilers)
//   selftalk_bench patterns [--mb N] [--top N]   (the costliest patterns to compile and to run)
//   selftalk_bench selftest
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unicode/uversion.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>


#include "generator.h"
#include "ruleset_impl.h"
#include "search.h"
#include "selftalk/selftalk.h"
#include "synthetic_packs.h"
#include "text.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
using selftalk::bench::generate_documents;
using selftalk::bench::generate_journal;

constexpr double kMB = 1e6;  // throughput in decimal megabytes per second

std::size_t g_sink = 0;  // results go here so the optimiser keeps the work

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Seconds per run. On a shared machine the calling thread's CPU time is the steadier figure;
// wall time is what a user waits (and the only one that means anything with threads).
struct Timing {
  double best = 0;      // wall
  double median = 0;    // wall
  double cpu_best = 0;  // CPU time of the calling thread
  std::size_t reps = 0;
};

// Runs fn once to warm up, then repeatedly until min_time has passed and min_reps runs are in.
Timing measure(const std::function<void()>& fn, double min_time, std::size_t min_reps = 3, bool warm_up = true) {
  if (warm_up) fn();
  std::vector<double> wall;
  std::vector<double> cpu;
  const auto start = Clock::now();
  while (wall.size() < min_reps || (seconds_since(start) < min_time && wall.size() < 1000)) {
    const auto t0 = Clock::now();
    const double c0 = thread_cpu_seconds();
    fn();
    cpu.push_back(thread_cpu_seconds() - c0);
    wall.push_back(seconds_since(t0));
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  return {wall.front(), wall[wall.size() / 2], cpu.front(), wall.size()};
}

// Runs every fn of `fns` once per round, in turn, for at least min_time per fn and min_reps
// rounds, and keeps each one's best CPU time of the calling thread (wall time with `wall`): a
// slow spell of a shared machine then falls on all of them alike, so their ratios hold.
std::vector<double> measure_interleaved(const std::vector<std::function<void()>>& fns, double min_time,
                                        bool wall = false, std::size_t min_reps = 3) {
  for (const auto& fn : fns) fn();  // warm up
  std::vector<double> best(fns.size(), std::numeric_limits<double>::infinity());
  const auto start = Clock::now();
  for (std::size_t round = 0;
       round < min_reps || (seconds_since(start) < min_time * static_cast<double>(fns.size()) && round < 1000); ++round)
    for (std::size_t k = 0; k < fns.size(); ++k) {
      const auto t0 = Clock::now();
      const double c0 = thread_cpu_seconds();
      fns[k]();
      best[k] = std::min(best[k], wall ? seconds_since(t0) : thread_cpu_seconds() - c0);
    }
  return best;
}

double mbps(std::size_t bytes, double secs) { return static_cast<double>(bytes) / kMB / secs; }

struct Row {
  std::string name;
  std::size_t bytes;
  Timing t;
};

// MB/s by CPU time (best run), by wall time (best and median run), and the CPU-time speed
// relative to `reference`.
void print_rows(const std::vector<Row>& rows, const Row& reference) {
  std::printf("  %-46s %9s %9s %9s %5s %8s\n", "MB/s:", "cpu", "wall", "wall med", "reps", "vs ICU");
  const double ref = mbps(reference.bytes, reference.t.cpu_best);
  for (const Row& r : rows) {
    const double v = mbps(r.bytes, r.t.cpu_best);
    std::printf("  %-46s %9.2f %9.2f %9.2f %5zu %7.3fx\n", r.name.c_str(), v, mbps(r.bytes, r.t.best),
                mbps(r.bytes, r.t.median), r.t.reps, v / ref);
  }
}

std::string read_first_line(const char* path, const char* key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return line.substr(line.find(':') + 2);
  return "?";
}

void print_machine() {
  utsname u{};
  uname(&u);
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  std::printf("machine: %s, %u hardware threads, %s %s %s\n", read_first_line("/proc/cpuinfo", "model name").c_str(),
              std::thread::hardware_concurrency(), u.sysname, u.release, u.machine);
  std::printf("build:   g++ %s, ICU %s, selftalk %s; load average %.2f %.2f %.2f\n", __VERSION__, U_ICU_VERSION,
              selftalk::version(), load[0], load[1], load[2]);
}

// ---------------------------------------------------------------------------------------------
// What is measured.

// ICU alone: the analysis splits lines of plain ASCII by hand (Segmenter::sentences), which
// this reference must not.
std::size_t icu_sentences(selftalk::detail::Segmenter& seg, std::string_view text,
                          std::vector<selftalk::detail::Span>& spans) {
  spans.clear();
  seg.sentences_icu(text, spans);
  return spans.size();
}

std::size_t icu_words(selftalk::detail::Segmenter& seg, std::string_view text) {
  std::size_t n = 0;
  seg.words(text, [&](std::size_t, std::size_t) { ++n; });
  return n;
}

// The literal prefilter alone, over sentences already found; returns the candidate patterns of
// rules (the context cues it also lists are searched only around a match).
// Calls each(k, candidates of sentence k) for every sentence, the prefilter asked in batches as
// the analysis asks it.
template <class Each>
void prefilter_batches(const selftalk::Ruleset& rules, std::string_view text,
                       const std::vector<selftalk::detail::Span>& spans, Each&& each) {
  selftalk::detail::Prefilter::Scratch scratch;
  std::vector<std::string_view> batch;
  std::vector<int> hits;
  std::vector<std::size_t> ends;
  for (std::size_t k = 0; k < spans.size();) {
    const std::size_t first = k;
    k = selftalk::detail::next_batch(text, spans, k, batch);
    hits.clear();
    ends.assign(1, 0);
    rules.impl().prefilter.candidates(batch, scratch, hits, ends);
    for (std::size_t i = 0; i < batch.size(); ++i)
      each(first + i, std::span<const int>(hits.data() + ends[i], ends[i + 1] - ends[i]));
  }
}

std::size_t prefilter_only(const selftalk::Ruleset& rules, std::string_view text,
                           const std::vector<selftalk::detail::Span>& spans) {
  const auto patterns = static_cast<int>(rules.impl().entries.size());
  std::size_t n = 0;
  prefilter_batches(rules, text, spans, [&](std::size_t, std::span<const int> hits) {
    n += static_cast<std::size_t>(std::lower_bound(hits.begin(), hits.end(), patterns) - hits.begin());
  });
  return n;
}

// The (pattern, sentence) pairs the prefilter lets through for rules, by pattern, as the analysis
// runs them.
std::vector<std::pair<int, std::size_t>> prefilter_pairs(const selftalk::Ruleset& rules, std::string_view text,
                                                         const std::vector<selftalk::detail::Span>& spans) {
  const auto patterns = static_cast<int>(rules.impl().entries.size());
  std::vector<std::pair<int, std::size_t>> pairs;
  prefilter_batches(rules, text, spans, [&](std::size_t k, std::span<const int> hits) {
    for (int p : hits)
      if (p < patterns) pairs.emplace_back(p, k);
  });
  std::stable_sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return pairs;
}

// RE2 alone on those pairs, as the analysis asks it (detail::PatternSearch, one pattern's
// sentences at a time). Returns the matches.
std::size_t re2_only(const selftalk::Ruleset& rules, std::string_view text,
                     const std::vector<selftalk::detail::Span>& spans,
                     const std::vector<std::pair<int, std::size_t>>& pairs) {
  selftalk::detail::PatternSearch search;
  std::vector<selftalk::detail::PatternSearch::Match> matches;
  std::vector<std::size_t> ks;
  for (std::size_t i = 0; i < pairs.size();) {
    const int p = pairs[i].first;
    ks.clear();
    for (; i < pairs.size() && pairs[i].first == p; ++i) ks.push_back(pairs[i].second);
    const auto& entry = rules.impl().entries[static_cast<std::size_t>(p)];
    const RE2* re = rules.impl().rules[entry.rule].patterns[entry.pattern].re->get();
    if (re == nullptr) continue;
    search.find(*re, selftalk::detail::context_free(re->pattern()), text, spans, ks, matches);
  }
  return matches.size();
}

// Patterns the prefilter hands to RE2 per sentence of `text`, on average.
double candidates_per_sentence(const selftalk::Ruleset& rules, selftalk::detail::Segmenter& seg, std::string_view text) {
  std::vector<selftalk::detail::Span> spans;
  seg.sentences(text, spans);
  return spans.empty() ? 0.0 : static_cast<double>(prefilter_only(rules, text, spans)) / static_cast<double>(spans.size());
}

// The naive baseline: sentences, then every pattern of every rule run for all its matches.
std::size_t naive(const selftalk::Ruleset& rules, selftalk::detail::Segmenter& seg, std::string_view text,
                  std::vector<selftalk::detail::Span>& spans) {
  icu_sentences(seg, text, spans);
  std::size_t matches = 0;
  re2::StringPiece m;
  for (const auto& span : spans) {
    const std::string_view s = text.substr(span.begin, span.end - span.begin);
    for (const auto& rule : rules.impl().rules) {
      for (const auto& p : rule.patterns) {
        for (std::size_t pos = 0, n = 0; n < 64 && pos <= s.size(); ++n) {
          if (!p.re->get()->Match(s, pos, s.size(), RE2::UNANCHORED, &m, 1)) break;
          const std::size_t e = static_cast<std::size_t>(m.data() - s.data()) + m.size();
          pos = e > pos ? e : pos + 1;
          ++matches;
        }
      }
    }
  }
  return matches;
}

std::size_t analyze(selftalk::Analyzer& a, std::string_view text, const selftalk::AnalyzeOptions& o = {}) {
  selftalk::Analysis r = a.analyze(text, o);
  return r.findings.size() + r.scores.words;
}

// Analyses every document of `docs` with `threads` threads, one Analyzer each.
// With `own_rules`, thread t > 0 uses own_rules[t - 1] instead of the shared `rules`.
void analyze_batch(const std::shared_ptr<const selftalk::Ruleset>& rules, const std::vector<std::string>& docs,
                   unsigned threads, bool segment_only,
                   const std::vector<std::shared_ptr<const selftalk::Ruleset>>& own_rules = {}) {
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> sink{0};
  auto work = [&](unsigned t) {
    selftalk::Analyzer analyzer(t > 0 && t <= own_rules.size() ? own_rules[t - 1] : rules);
    selftalk::detail::Segmenter seg(rules->language());
    std::vector<selftalk::detail::Span> spans;
    std::size_t local = 0;
    for (std::size_t i = next++; i < docs.size(); i = next++)
      local += segment_only ? icu_sentences(seg, docs[i], spans) : analyze(analyzer, docs[i]);
    sink += local;
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& t : pool) t.join();
  g_sink += sink;
}

struct Check {
  std::string what;
  double value;
  double target;
  bool higher_is_better;
};

void print_checks(const std::vector<Check>& checks) {
  std::printf("\ntargets\n");
  for (const Check& c : checks) {
    const bool met = c.higher_is_better ? c.value >= c.target : c.value <= c.target;
    std::printf("  %-58s %8.3f  (%s %g)  %s\n", c.what.c_str(), c.value, c.higher_is_better ? ">=" : "<=", c.target,
                met ? "MET" : "NOT MET");
  }
}

// ---------------------------------------------------------------------------------------------
// Commands.

struct Args {
  std::vector<std::string> v;
  std::string get(const std::string& name, const std::string& fallback) const {
    for (std::size_t i = 0; i + 1 < v.size(); ++i)
      if (v[i] == name) return v[i + 1];
    return fallback;
  }
  double num(const std::string& name, double fallback) const { return std::stod(get(name, std::to_string(fallback))); }
};

int throughput(const Args& args) {
  const auto bytes = static_cast<std::size_t>(args.num("--mb", 2) * 1024 * 1024);
  const auto docs_n = static_cast<std::size_t>(args.num("--docs", 64));
  const auto doc_bytes = static_cast<std::size_t>(args.num("--doc-kb", 16) * 1024);
  const double min_time = args.num("--min-time", 1.0);
  selftalk::bench::JournalOptions jo;
  jo.seed = static_cast<std::uint64_t>(args.num("--seed", 1));

  print_machine();
  auto t0 = Clock::now();
  auto packs = selftalk::default_packs();
  if (!packs) {
    std::fprintf(stderr, "%s\n", packs.error().to_string().c_str());
    return 3;
  }
  const double parse_s = seconds_since(t0);
  t0 = Clock::now();
  auto compiled = selftalk::Ruleset::compile(*packs);
  if (!compiled) {
    std::fprintf(stderr, "%s\n", compiled.error().to_string().c_str());
    return 3;
  }
  const double compile_s = seconds_since(t0);
  std::shared_ptr<const selftalk::Ruleset> rules = *compiled;
  std::size_t patterns = rules->impl().entries.size();
  std::printf("rules:   %zu rules, %zu patterns in the default packs; parse %.1f ms, compile %.1f ms\n",
              rules->impl().rules.size(), patterns, parse_s * 1e3, compile_s * 1e3);

  const std::string text = generate_journal(bytes, jo);
  selftalk::detail::Segmenter seg(rules->language());
  std::vector<selftalk::detail::Span> spans;
  selftalk::Analyzer analyzer(rules);
  const selftalk::Analysis sample = analyzer.analyze(text);
  std::size_t reported = 0;
  for (const auto& f : sample.findings) reported += f.reported ? 1 : 0;
  std::printf("text:    %.2f MB journal (seed %llu), %zu sentences, %zu words, %zu findings\n",
              static_cast<double>(text.size()) / kMB, static_cast<unsigned long long>(jo.seed),
              sample.scores.sentences, sample.scores.words, sample.findings.size() - reported);

  std::printf("         prefilter: %zu atoms, %zu of %zu patterns always run, %.2f patterns run per sentence\n\n",
              rules->impl().prefilter.atom_count(), rules->impl().prefilter.unfiltered_count(), patterns,
              candidates_per_sentence(*rules, seg, text));
  std::printf("single thread, one %.1f MB text\n", static_cast<double>(text.size()) / kMB);
  std::vector<Row> rows;
  auto run = [&](const std::string& name, const std::function<void()>& fn, std::size_t reps = 3, bool warm = true) {
    rows.push_back({name, text.size(), measure(fn, min_time, reps, warm)});
    return rows.back();
  };
  const Row icu = run("ICU sentence segmentation alone", [&] { g_sink += icu_sentences(seg, text, spans); });
  run("  ICU word segmentation alone (scores)", [&] { g_sink += icu_words(seg, text); });
  run("  UTF-8 validation alone", [&] { g_sink += selftalk::detail::count_invalid_utf8(text); });
  std::vector<selftalk::detail::Span> found;
  run("  sentences as the analysis finds them", [&] {
    found.clear();
    seg.sentences(text, found);
    g_sink += found.size();
  });
  run("  literal prefilter alone (sentences given)", [&] { g_sink += prefilter_only(*rules, text, found); });
  const auto pairs = prefilter_pairs(*rules, text, found);
  run("  RE2 on the prefilter's candidates (given)", [&] { g_sink += re2_only(*rules, text, found, pairs); });
  const Row full = run("full analysis (default options)", [&] { g_sink += analyze(analyzer, text); });
  selftalk::AnalyzeOptions no_scores;
  no_scores.scores = false;
  run("  full analysis, scores off", [&] { g_sink += analyze(analyzer, text, no_scores); });
  selftalk::AnalyzeOptions no_reframes;
  no_reframes.reframes = false;
  run("  full analysis, reframes off", [&] { g_sink += analyze(analyzer, text, no_reframes); });
  const Row base = run("naive baseline: every pattern, every sentence", [&] { g_sink += naive(*rules, seg, text, spans); }, 2, false);
  print_rows(rows, icu);
  // Where a byte's time goes, in CPU ns: the parts measured alone, scores and reframes as what
  // turning them off saves, and what is left (the context engine, building the findings); all
  // measured in turn, so that their differences mean something on a shared machine.
  const std::vector<double> part = measure_interleaved(
      {[&] { g_sink += icu_sentences(seg, text, spans); }, [&] { g_sink += analyze(analyzer, text); },
       [&] {
         found.clear();
         seg.sentences(text, found);
       },
       [&] { g_sink += prefilter_only(*rules, text, found); }, [&] { g_sink += re2_only(*rules, text, found, pairs); },
       [&] { g_sink += analyze(analyzer, text, no_scores); }, [&] { g_sink += analyze(analyzer, text, no_reframes); }},
      min_time);
  auto ns = [&](double secs) { return secs * 1e9 / static_cast<double>(text.size()); };
  const double scores = ns(part[1]) - ns(part[5]), reframes = ns(part[1]) - ns(part[6]);
  std::printf("\n  ns per byte: full analysis %.1f = sentences %.1f + prefilter %.1f + RE2 %.1f + scores %.1f"
              " + reframes %.1f + the rest %.1f; 0.5x ICU allows %.1f\n",
              ns(part[1]), ns(part[2]), ns(part[3]), ns(part[4]), scores, reframes,
              ns(part[1]) - ns(part[2]) - ns(part[3]) - ns(part[4]) - scores - reframes, 2 * ns(part[0]));

  std::vector<Check> checks;
  checks.push_back({"full analysis / ICU segmentation speed, 1 thread (cpu)", part[0] / part[1], 0.5, true});
  checks.push_back({"full analysis speed-up over the naive baseline (cpu)", base.t.cpu_best / full.t.cpu_best, 40, true});

  const auto docs = generate_documents(docs_n, doc_bytes, jo);
  std::size_t batch_bytes = 0;
  for (const auto& d : docs) batch_bytes += d.size();
  std::printf("\nthreads, a batch of %zu documents of %zu KB (%.2f MB)\n", docs.size(), doc_bytes / 1024,
              static_cast<double>(batch_bytes) / kMB);
  std::printf("  %-44s %10s %10s %9s\n", "", "1 thread", "2 threads", "speed-up");
  double full_speedup = 0;
  // 1 and 2 threads measured in turn (wall time), as the ratios above.
  for (bool segment_only : {true, false}) {
    const std::vector<double> t = measure_interleaved({[&] { analyze_batch(rules, docs, 1, segment_only); },
                                                       [&] { analyze_batch(rules, docs, 2, segment_only); }},
                                                      min_time, /*wall=*/true);
    std::printf("  %-44s %10.2f %10.2f %8.3fx\n", segment_only ? "ICU sentence segmentation (MB/s)" : "full analysis (MB/s)",
                mbps(batch_bytes, t[0]), mbps(batch_bytes, t[1]), t[0] / t[1]);
    if (!segment_only) full_speedup = t[0] / t[1];
  }
  {
    // Diagnosis: the same with a Ruleset per thread, so the threads share no RE2 DFA cache.
    auto own = selftalk::Ruleset::compile(*packs);
    const std::vector<double> t = measure_interleaved({[&] { analyze_batch(rules, docs, 1, false); },
                                                       [&] { analyze_batch(rules, docs, 2, false, {*own}); }},
                                                      min_time, /*wall=*/true);
    std::printf("  %-44s %10.2f %10.2f %8.3fx\n", "full analysis, a Ruleset per thread (MB/s)", mbps(batch_bytes, t[0]),
                mbps(batch_bytes, t[1]), t[0] / t[1]);
  }
  checks.push_back({"full analysis, 2 threads / 1 thread on the batch", full_speedup, 1.7, true});

  std::printf("\nrule count (full analysis, 1 thread, the %.1f MB text)\n", static_cast<double>(text.size()) / kMB);
  std::printf("  %-8s %7s %9s %12s %10s %10s %9s\n", "rules", "count", "patterns", "compile ms", "MB/s cpu", "time x", "run/sent");
  // Compiled first, then analysed in turn (see measure_interleaved).
  struct Scaled {
    std::size_t factor, rules;
    double compile_s;
    std::shared_ptr<const selftalk::Ruleset> compiled;
  };
  std::vector<Scaled> scaled;
  double ten_x = std::numeric_limits<double>::infinity();
  for (std::size_t factor : {1, 3, 10}) {
    const auto c0 = Clock::now();
    auto scaled_packs = selftalk::bench::scale_packs(*packs, factor);
    std::size_t rule_count = 0;
    for (const auto& p : scaled_packs) rule_count += p.rules.size();
    auto made = selftalk::Ruleset::compile(std::move(scaled_packs));
    const double cs = seconds_since(c0);
    if (!made) {
      std::printf("  %-8s %7zu %9s %12.1f   does not compile: %s\n", (std::to_string(factor) + "x").c_str(), rule_count,
                  "-", cs * 1e3, made.error().to_string().c_str());
      continue;
    }
    scaled.push_back({factor, rule_count, cs, *made});
  }
  std::vector<std::unique_ptr<selftalk::Analyzer>> analyzers;
  std::vector<std::function<void()>> runs;
  for (const Scaled& x : scaled) {
    analyzers.push_back(std::make_unique<selftalk::Analyzer>(x.compiled));
    runs.push_back([&a = *analyzers.back(), &text] { g_sink += analyze(a, text); });
  }
  const std::vector<double> best = measure_interleaved(runs, min_time);
  const double base_time = !scaled.empty() && scaled[0].factor == 1 ? best[0] : 0;
  for (std::size_t k = 0; k < scaled.size(); ++k) {
    const Scaled& x = scaled[k];
    if (x.factor == 10 && base_time > 0) ten_x = best[k] / base_time;
    std::printf("  %-8s %7zu %9zu %12.1f %10.2f %9.3fx %9.2f\n", (std::to_string(x.factor) + "x").c_str(), x.rules,
                x.compiled->impl().entries.size(), x.compile_s * 1e3, mbps(text.size(), best[k]), best[k] / base_time,
                candidates_per_sentence(*x.compiled, seg, text));
  }
  checks.push_back({"time with 10x the rules / time with 1x (cpu)", ten_x, 3, false});
  print_checks(checks);
  return g_sink == 42 ? 1 : 0;  // never true in practice; keeps g_sink alive
}

// Runs one measured workload `--reps` times with nothing else, for perf or callgrind.
int loop(const Args& args) {
  const std::string what = args.get("--what", "full");
  const auto reps = static_cast<std::size_t>(args.num("--reps", 3));
  selftalk::bench::JournalOptions jo;
  jo.seed = static_cast<std::uint64_t>(args.num("--seed", 1));
  auto packs = selftalk::default_packs();
  if (!packs) return 3;
  auto rules = selftalk::Ruleset::compile(selftalk::bench::scale_packs(*packs, static_cast<std::size_t>(args.num("--rules-x", 1))));
  if (!rules) {
    std::fprintf(stderr, "%s\n", rules.error().to_string().c_str());
    return 3;
  }
  const std::string text = generate_journal(static_cast<std::size_t>(args.num("--mb", 1) * 1024 * 1024), jo);
  selftalk::Analyzer analyzer(*rules);
  selftalk::detail::Segmenter seg((*rules)->language());
  std::vector<selftalk::detail::Span> spans;
  for (std::size_t r = 0; r < reps; ++r) {
    if (what == "full") g_sink += analyze(analyzer, text);
    else if (what == "icu") g_sink += icu_sentences(seg, text, spans);
    else if (what == "naive") g_sink += naive(**rules, seg, text, spans);
    else if (what == "compile") g_sink += selftalk::Ruleset::compile(*packs).ok() ? 1 : 0;
    else return 2;
  }
  std::printf("%zu\n", g_sink);
  return 0;
}

// Per compiled pattern of the default packs: program size, compile time, and time to run it over
// every sentence of the text; the costliest first. Also how selective the prefilter is.
int patterns(const Args& args) {
  const auto top = static_cast<std::size_t>(args.num("--top", 15));
  auto rules = selftalk::Ruleset::default_ruleset();
  if (!rules) return 3;
  const auto& impl = (*rules)->impl();
  const std::string text = generate_journal(static_cast<std::size_t>(args.num("--mb", 0.25) * 1024 * 1024));
  selftalk::detail::Segmenter seg(impl.language);
  std::vector<selftalk::detail::Span> spans;
  icu_sentences(seg, text, spans);

  std::printf("prefilter: %zu atoms, %zu of %zu patterns always run, %.2f patterns run per sentence\n",
              impl.prefilter.atom_count(), impl.prefilter.unfiltered_count(), impl.entries.size(),
              candidates_per_sentence(**rules, seg, text));

  struct Cost {
    std::string rule;
    std::size_t pattern;
    int prog;
    double compile_ms;
    double match_ms;
  };
  std::vector<Cost> costs;
  re2::StringPiece m;
  for (const auto& rule : impl.rules) {
    for (std::size_t p = 0; p < rule.patterns.size(); ++p) {
      const RE2& re = *rule.patterns[p].re->get();
      const double c0 = thread_cpu_seconds();
      RE2 again(re.pattern(), re.options());
      const double compile_ms = (thread_cpu_seconds() - c0) * 1e3;
      const double m0 = thread_cpu_seconds();
      for (const auto& sp : spans) g_sink += again.Match(text, sp.begin, sp.end, RE2::UNANCHORED, &m, 1) ? 1 : 0;
      costs.push_back({rule.spec->id, p, again.ProgramSize(), compile_ms, (thread_cpu_seconds() - m0) * 1e3});
    }
  }
  auto show = [&](const char* title, auto key) {
    std::sort(costs.begin(), costs.end(), [&](const Cost& a, const Cost& b) { return key(a) > key(b); });
    double total = 0;
    for (const Cost& c : costs) total += key(c);
    std::printf("\n%s (total %.1f ms)\n  %-44s %4s %8s %11s %9s\n", title, total, "rule", "pat", "prog", "compile ms",
                "match ms");
    for (std::size_t i = 0; i < std::min(top, costs.size()); ++i)
      std::printf("  %-44s %4zu %8d %11.2f %9.2f\n", costs[i].rule.c_str(), costs[i].pattern, costs[i].prog,
                  costs[i].compile_ms, costs[i].match_ms);
  };
  std::printf("\n%.2f MB text, %zu sentences; CPU times\n", static_cast<double>(text.size()) / kMB, spans.size());
  show("costliest to compile", [](const Cost& c) { return c.compile_ms; });
  show("costliest to run on every sentence (the naive baseline's cost)", [](const Cost& c) { return c.match_ms; });
  return 0;
}

int generate(const Args& args) {
  const std::string out = args.get("--out", "");
  if (out.empty()) {
    std::fprintf(stderr, "generate: --out FILE is required\n");
    return 2;
  }
  selftalk::bench::JournalOptions jo;
  jo.seed = static_cast<std::uint64_t>(args.num("--seed", 1));
  const std::string text = generate_journal(static_cast<std::size_t>(args.num("--bytes", 1 << 20)), jo);
  std::ofstream f(out, std::ios::binary);
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  return f ? 0 : 4;
}

// Runs `exe ARGS...` with stdin from `input` and output to /dev/null, `runs` times; reports the
// wall time and the peak resident set size of the child.
int process(const Args& args) {
  const std::string exe = args.get("--exe", "");
  const std::string input = args.get("--input", "");
  const auto runs = static_cast<std::size_t>(args.num("--runs", 20));
  if (exe.empty() || input.empty()) {
    std::fprintf(stderr, "process: --exe PATH and --input FILE are required\n");
    return 2;
  }
  std::vector<std::string> argv_s{exe};
  for (std::size_t i = 0; i < args.v.size(); ++i) {
    if (args.v[i] == "--exe" || args.v[i] == "--input" || args.v[i] == "--runs") ++i;
    else argv_s.push_back(args.v[i]);
  }
  std::vector<char*> argv;
  for (auto& s : argv_s) argv.push_back(s.data());
  argv.push_back(nullptr);

  std::vector<double> wall;
  long max_rss_kb = 0;
  std::vector<double> cpu;
  int status = 0;
  for (std::size_t r = 0; r < runs; ++r) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, input.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    const auto t0 = Clock::now();
    pid_t pid = 0;
    if (posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), environ) != 0) {
      std::fprintf(stderr, "process: cannot run %s\n", exe.c_str());
      return 4;
    }
    rusage ru{};
    wait4(pid, &status, 0, &ru);
    wall.push_back(seconds_since(t0));
    posix_spawn_file_actions_destroy(&fa);
    max_rss_kb = std::max(max_rss_kb, ru.ru_maxrss);
    auto secs = [](timeval tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6; };
    cpu.push_back(secs(ru.ru_utime) + secs(ru.ru_stime));
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  std::ifstream in(input, std::ios::binary | std::ios::ate);
  const auto size = static_cast<double>(in.tellg());
  std::printf("process: %s < %s (%.2f MB), %zu runs, exit status %d\n", exe.c_str(), input.c_str(), size / kMB, runs,
              WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  std::printf("  wall ms: best %.1f, median %.1f; CPU ms (user+sys): best %.1f, median %.1f\n", wall.front() * 1e3,
              wall[wall.size() / 2] * 1e3, cpu.front() * 1e3, cpu[cpu.size() / 2] * 1e3);
  std::printf("  peak RSS %.1f MB", static_cast<double>(max_rss_kb) * 1024 / kMB);
  if (size > 1e6) std::printf(" (%.2fx the input)", static_cast<double>(max_rss_kb) * 1024 / size);
  std::printf("\n");
  return 0;
}

// Checks the generator and the synthetic packs; prints one line per check and fails on any.
int selftest() {
  int passed = 0;
  int failed = 0;
  auto check = [&](bool ok, const char* what) {
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    (ok ? passed : failed) += 1;
  };
  selftalk::bench::JournalOptions a;
  selftalk::bench::JournalOptions b;
  b.seed = 2;
  const std::string t1 = generate_journal(1 << 20, a);
  check(t1 == generate_journal(1 << 20, a), "the same seed gives the same text");
  check(t1 != generate_journal(1 << 20, b), "another seed gives another text");
  check(t1.size() >= (1u << 20) && t1.size() < (1u << 20) + 1024, "the size is what was asked, give or take a sentence");
  check(generate_journal(0).empty(), "zero bytes gives an empty text");
  check(selftalk::detail::count_invalid_utf8(t1) == 0, "the text is valid UTF-8");
  check(t1.find("\u2019") != std::string::npos && t1.find('\'') != std::string::npos, "both apostrophes occur");
  check(t1.find("\u201C") != std::string::npos && t1.find("\xF0\x9F") != std::string::npos, "curly quotes and emoji occur");
  auto rules = selftalk::Ruleset::default_ruleset();
  if (!rules) {
    std::printf("FAIL default ruleset: %s\n", rules.error().to_string().c_str());
    return 1;
  }
  selftalk::Analyzer analyzer(*rules);
  const auto r = analyzer.analyze(t1);
  const double rate = static_cast<double>(r.findings.size()) / static_cast<double>(r.scores.sentences);
  std::printf("     %zu findings in %zu sentences (%.1f%%)\n", r.findings.size(), r.scores.sentences, rate * 100);
  check(rate > 0.005 && rate < 0.15, "a few percent of sentences are found self-critical");
  check(selftalk::bench::vary_pattern("\\bi always (?P<x>fail)\\b", 1) != selftalk::bench::vary_pattern("\\bi always (?P<x>fail)\\b", 2),
        "variants of a pattern differ");
  check(selftalk::bench::vary_pattern("\\bi always\\b", 1).find("(?:\\bi usually\\b)") == 0,
        "a variant swaps known words and keeps escapes");
  auto packs = selftalk::default_packs();
  auto count = [](const std::vector<selftalk::RulePack>& ps) {
    std::size_t n = 0;
    for (const auto& p : ps) n += p.rules.size();
    return n;
  };
  const auto ten = selftalk::bench::scale_packs(*packs, 10);
  check(count(ten) == 10 * count(*packs), "10x packs have 10x the rules");
  auto three = selftalk::Ruleset::compile(selftalk::bench::scale_packs(*packs, 3));
  if (!three) std::printf("     %s\n", three.error().to_string().c_str());
  check(three.ok() && (*three)->impl().rules.size() == 3 * (*rules)->impl().rules.size(), "3x packs compile");
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows through pipes
  Args args;
  std::string command = "throughput";
  for (int i = 1; i < argc; ++i) args.v.emplace_back(argv[i]);
  if (!args.v.empty() && args.v[0].rfind("--", 0) != 0) {
    command = args.v[0];
    args.v.erase(args.v.begin());
  }
  if (command == "throughput") return throughput(args);
  if (command == "generate") return generate(args);
  if (command == "loop") return loop(args);
  if (command == "patterns") return patterns(args);
  if (command == "process") return process(args);
  if (command == "selftest") return selftest();
  std::fprintf(stderr, "usage: selftalk_bench [throughput|generate|process|loop|patterns|selftest] [options]\n");
  return 2;
}
