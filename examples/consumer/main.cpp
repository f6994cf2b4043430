// Prints the findings of the sentence given as the first argument (or a sample), and with a
// packs directory (-DSELFTALK_PACKS_DIR) also checks that the installed packs load.
#include <selftalk/selftalk.h>
#include <selftalk/stream.h>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  const std::string text = argc > 1 ? argv[1] : "I always ruin everything. I should have known better.";
  auto rules = selftalk::Ruleset::default_ruleset();
  if (!rules) {
    std::cerr << rules.error().to_string() << '\n';
    return 3;
  }
#ifdef SELFTALK_PACKS_DIR
  auto installed = selftalk::load_packs(SELFTALK_PACKS_DIR);
  if (!installed) {
    std::cerr << installed.error().to_string() << '\n';
    return 3;
  }
  std::cout << "installed packs: " << installed->size() << '\n';
#endif
  selftalk::Analyzer analyzer(*rules);
  selftalk::Analysis a = analyzer.analyze(text);
  std::cout << "selftalk " << selftalk::version() << ": " << a.findings.size() << " findings\n";
  for (const selftalk::Finding& f : a.findings)
    std::cout << f.line << ':' << f.column << ": " << selftalk::to_string(f.category) << ": \"" << f.text << "\"\n";
  selftalk::StreamAnalyzer stream(*rules);
  std::size_t streamed = stream.feed(text).size();
  streamed += stream.finish().size();
  std::cout << "streamed: " << streamed << " findings\n";
  return streamed == a.findings.size() ? 0 : 1;
}
