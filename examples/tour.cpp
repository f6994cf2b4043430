// A tour of the C++ API (docs/library.md walks through it): load packs, compile once, analyse
// from several threads, filter, read spans in other units, reframes, scores, and streaming.
//
//   selftalk_tour [PACK_FILE_OR_DIR]   # extra packs merged over the embedded ones
#include <selftalk/selftalk.h>
#include <selftalk/stream.h>

#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

// A pack written inline: one rule with its own examples (format: rules/README.md).
constexpr std::string_view kMyPack = R"({
  "name": "my-pack", "version": "1", "language": "en",
  "rules": [{
    "id": "mine.hopeless-case", "category": "self_label", "pillar": "self_kindness", "severity": "high",
    "patterns": ["(?i)\\bI'?m a hopeless case\\b"],
    "message": "A global label for a whole person.",
    "reframes": [{"strategy": "specific", "text": "Something is hard for me right now; that is not all I am."},
                 {"strategy": "self_kindness", "text": "I can talk to myself the way I would talk to a friend."}],
    "examples": {"match": ["I'm a hopeless case."], "no_match": ["It's a hopeless case of rust."]}
  }]})";

}  // namespace

int main(int argc, char** argv) {
  // 1. Packs: the embedded defaults, plus one from a string, plus files given on the command line.
  auto packs = selftalk::default_packs();
  if (!packs) return std::cerr << packs.error().to_string() << '\n', 3;
  auto mine = selftalk::parse_pack(kMyPack, "my-pack.json");
  if (!mine) return std::cerr << mine.error().to_string() << '\n', 3;
  std::vector<selftalk::RulePack> extra{std::move(*mine)};
  if (argc > 1) {
    auto files = selftalk::load_packs(argv[1]);  // a file, or every *.json of a directory
    if (!files) return std::cerr << files.error().to_string() << '\n', 3;  // file:line:col: pack/rule: ...
    for (auto& p : *files) extra.push_back(std::move(p));
  }

  // 2. Compile once. The Ruleset is immutable: share it between threads.
  auto rules = selftalk::Ruleset::compile(selftalk::merge_packs(std::move(*packs), std::move(extra)));
  if (!rules) return std::cerr << rules.error().to_string() << '\n', 3;

  // 3. Analyse many texts from many threads: one Analyzer per thread, one shared Ruleset.
  const std::vector<std::string> texts = {
      "I always ruin everything. I should have known better.",
      "Caf\u00e9 first \U0001F600. Then: I'm a hopeless case.\nEveryone thinks I'm boring.",
      "My boss said I'm useless.",  // someone else's words: not reported unless asked
  };
  std::vector<selftalk::Analysis> results(texts.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < texts.size(); ++i)
    threads.emplace_back([&, i] { results[i] = selftalk::Analyzer(*rules).analyze(texts[i]); });
  for (auto& t : threads) t.join();

  // 4. Findings: byte spans into the text, with line:column, code point and UTF-16 offsets;
  //    OffsetMap converts any other byte offset.
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::string& text = texts[i];
    selftalk::OffsetMap map(text);
    for (const selftalk::Finding& f : results[i].findings) {
      std::cout << "text " << i << " " << f.line << ':' << f.column << " [" << selftalk::to_string(f.category) << ", "
                << selftalk::to_string(f.severity) << ", " << f.rule << "] \"" << text.substr(f.begin, f.end - f.begin) << "\" bytes "
                << f.begin << '-' << f.end << ", code points " << f.cp_begin << '-' << f.cp_end << ", UTF-16 "
                << f.utf16_begin << '-' << f.utf16_end << " (sentence ends at line "
                << map.line_column(f.sentence_end).line << ")\n";
      std::cout << "    a friend: " << f.friend_view << '\n';
      for (const selftalk::Reframe& r : f.reframes) std::cout << "    try (" << r.strategy << "): " << r.text << '\n';
    }
    const selftalk::Scores& s = results[i].scores;
    std::cout << "    scores: " << s.words << " words, " << s.sentences << " sentences, critic intensity "
              << s.critic_intensity << " per 100 words\n";
  }

  // 5. Filters: only self-labels of high severity, and other people's words too.
  selftalk::AnalyzeOptions only;
  only.categories.fill(false);
  only.categories[static_cast<std::size_t>(selftalk::Category::kSelfLabel)] = true;
  only.min_severity = selftalk::Severity::kHigh;
  only.include_reported = true;
  selftalk::Analyzer analyzer(*rules);
  for (const std::string& text : texts)
    for (const selftalk::Finding& f : analyzer.analyze(text, only).findings)
      std::cout << "self-label" << (f.reported ? " (someone else's words)" : "") << ": " << f.text << '\n';

  // 6. Streaming: feed chunks of any size; findings arrive as sentences complete.
  selftalk::StreamAnalyzer stream(*rules);
  std::size_t streamed = 0;
  for (const std::string& text : texts) {
    for (std::size_t at = 0; at < text.size(); at += 8) streamed += stream.feed(text.substr(at, 8)).size();
    streamed += stream.feed("\n").size();
  }
  streamed += stream.finish().size();
  std::cout << "streamed: " << streamed << " findings in " << stream.consumed() << " bytes, "
            << stream.scores().words << " words\n";
  return 0;
}
