// Thread-safety: one compiled Ruleset shared by several threads (each with its own Analyzer,
// StreamAnalyzer or C analyzer) gives exactly the single-threaded results. Meant to run under
// ThreadSanitizer too (scripts/tsan); test names start with "threads:".
#include <algorithm>
#include <atomic>
#include <thread>

#include "corpus_texts.h"
#include "selftalk/selftalk_c.h"
#include "selftalk/stream.h"
#include "test_util.h"

using namespace selftalk;

namespace {

constexpr int kThreads = 4;

std::string json_of(Analyzer& analyzer, const std::string& text) {
  std::string out;
  append_json(out, analyzer.analyze(text));
  return out;
}

// Findings of a stream fed in `chunk`-byte pieces, as JSON, in position order.
std::string streamed_json(StreamAnalyzer& stream, const std::string& text, std::size_t chunk) {
  std::vector<Finding> all;
  for (std::size_t at = 0; at < text.size(); at += chunk)
    for (Finding& f : stream.feed(std::string_view(text).substr(at, chunk))) all.push_back(std::move(f));
  for (Finding& f : stream.finish()) all.push_back(std::move(f));
  std::stable_sort(all.begin(), all.end(), [](const Finding& a, const Finding& b) { return a.begin < b.begin; });
  std::string out;
  for (const Finding& f : all) append_json(out, f);
  return out;
}

}  // namespace

TEST_CASE("threads: analysing the corpus from several threads sharing one Ruleset equals one thread") {
  const std::vector<std::string> texts = test::corpus_texts();
  // A ruleset compiled here, not the process-wide default, so the threads also share its first use.
  auto packs = default_packs();
  REQUIRE(packs.ok());
  auto compiled = Ruleset::compile(std::move(*packs));
  REQUIRE(compiled.ok());
  std::shared_ptr<const Ruleset> rules = *compiled;

  std::vector<std::string> expected;
  {
    Analyzer analyzer(rules);
    for (const std::string& t : texts) expected.push_back(json_of(analyzer, t));
  }

  std::vector<std::vector<std::string>> got(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Analyzer analyzer(rules);
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();  // start together
      std::vector<std::string>& mine = got[static_cast<std::size_t>(t)];
      mine.resize(texts.size());
      // Each thread walks half the corpus from its own starting point: every text is analysed by
      // at least two threads, and threads meet on different texts.
      for (std::size_t k = 0; k < (texts.size() + 1) / 2; ++k) {
        const std::size_t i = (k + static_cast<std::size_t>(t) * texts.size() / kThreads) % texts.size();
        mine[i] = json_of(analyzer, texts[i]);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  std::vector<int> analysed(texts.size(), 0);
  for (int t = 0; t < kThreads; ++t)
    for (std::size_t i = 0; i < texts.size(); ++i) {
      const std::string& g = got[static_cast<std::size_t>(t)][i];
      if (g.empty()) continue;
      ++analysed[i];
      CAPTURE(t);
      CAPTURE(i);
      CHECK(g == expected[i]);
    }
  CHECK(std::all_of(analysed.begin(), analysed.end(), [](int n) { return n >= 2; }));
}

TEST_CASE("threads: streams and the C API share one ruleset across threads") {
  const std::vector<std::string> texts = test::corpus_texts();
  std::string journal;  // the multi-paragraph entries, one after another
  for (std::size_t i = texts.size() - 12; i < texts.size(); ++i) journal += texts[i] + "\n";
  std::shared_ptr<const Ruleset> rules = test::default_rules();
  std::string expected_stream;
  {
    StreamAnalyzer stream(rules);
    expected_stream = streamed_json(stream, journal, 4096);
  }
  selftalk_ruleset* c_rules = selftalk_ruleset_default(nullptr);
  REQUIRE(c_rules != nullptr);
  std::vector<std::string> expected_c;
  {
    Analyzer analyzer(rules);
    for (const std::string& t : texts) expected_c.push_back(json_of(analyzer, t));
  }

  std::vector<std::string> stream_got(kThreads);
  std::vector<int> c_mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const auto ti = static_cast<std::size_t>(t);
      StreamAnalyzer stream(rules);
      stream_got[ti] = streamed_json(stream, journal, 100 + 997 * ti);
      selftalk_analyzer* an = selftalk_analyzer_new(c_rules, nullptr, nullptr);
      for (std::size_t i = ti; i < texts.size(); i += kThreads) {
        selftalk_result* r = selftalk_analyze(an, texts[i].data(), texts[i].size());
        char* json = selftalk_result_to_json(r, nullptr);
        c_mismatches[ti] += (json == nullptr || expected_c[i] != json) ? 1 : 0;
        selftalk_string_free(json);
        selftalk_result_free(r);
      }
      selftalk_analyzer_free(an);
    });
  }
  for (std::thread& th : threads) th.join();
  selftalk_ruleset_free(c_rules);
  for (int t = 0; t < kThreads; ++t) {
    CAPTURE(t);
    CHECK(stream_got[static_cast<std::size_t>(t)] == expected_stream);
    CHECK(c_mismatches[static_cast<std::size_t>(t)] == 0);
  }
}
