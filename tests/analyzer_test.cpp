// Tests for selftalk/analyzer.h: spans, offsets, ordering, determinism, robustness.
#include <algorithm>
#include <array>
#include <random>

#include "corpus_texts.h"
#include "generator.h"
#include "ruleset_impl.h"
#include "test_util.h"
#include "text.h"

using namespace selftalk;
using selftalk::test::categories_of;
using selftalk::test::default_rules;

namespace {
std::string cut(std::string_view text, const Finding& f) { return std::string(text.substr(f.begin, f.end - f.begin)); }
}  // namespace

TEST_CASE("the issue's example names an absolute - a should and a self-label - each with reframes") {
  Analyzer an(default_rules());
  std::string text = "I always ruin everything. I should have known better. I'm such a failure.\n";
  Analysis a = an.analyze(text);
  std::array<bool, kCategoryCount> seen{};
  for (const Finding& f : a.findings) {
    seen[static_cast<std::size_t>(f.category)] = true;
    CHECK(f.reframes.size() >= 2);
    CHECK_FALSE(f.friend_view.empty());
    CHECK(cut(text, f) == f.text);
  }
  CHECK(seen[static_cast<std::size_t>(Category::kAbsolute)]);
  CHECK(seen[static_cast<std::size_t>(Category::kShould)]);
  CHECK(seen[static_cast<std::size_t>(Category::kSelfLabel)]);
}

TEST_CASE("byte spans cut the match exactly after ’ - é and emoji") {
  Analyzer an(default_rules());
  for (std::string text : {std::string("Caf\u00e9 day \U0001F600\U0001F622 and it\u2019s late. I\u2019m such a failure."),
                           std::string("\u00e9\u00e9\u00e9 \U0001F4A9 I'm such a failure"),
                           std::string("na\u00efve \u2019quote\u2019 \U0001F469\u200D\U0001F4BB\nI'm such a failure.")}) {
    CAPTURE(text);
    Analysis a = an.analyze(text);
    REQUIRE(!a.findings.empty());
    const Finding& f = a.findings.back();
    CHECK(cut(text, f) == f.text);
    CHECK(f.text.find("failure") != std::string::npos);
    OffsetMap map(text);
    CHECK(map.code_point(f.begin) == f.cp_begin);
    CHECK(map.code_point(f.end) == f.cp_end);
    CHECK(map.utf16(f.begin) == f.utf16_begin);
    CHECK(map.utf16(f.end) == f.utf16_end);
    auto lc = map.line_column(f.begin);
    CHECK(lc.line == f.line);
    CHECK(lc.column == f.column);
  }
}

TEST_CASE("line and column count code points - CRLF and lone CR end lines") {
  Analyzer an(default_rules());
  std::string text = "Fine.\r\n\u00e9\u00e9 I'm such a failure.\rI'm such a failure.";
  Analysis a = an.analyze(text);
  REQUIRE(a.findings.size() == 2);
  CHECK(a.findings[0].line == 2);
  CHECK(a.findings[0].column == 4);
  CHECK(a.findings[1].line == 3);
  CHECK(a.findings[1].column == 1);
}

TEST_CASE("offsets agree with OffsetMap wherever line breaks and four-byte characters fall") {
  // The offsets are counted eight bytes at a time between line breaks: pieces of every byte
  // length before findings (and emoji inside some) move breaks, accents and emoji across those
  // eight-byte steps.
  Analyzer an(default_rules());
  // Longer stretches without a finding are counted 64 bytes at a time, breaks and all.
  const std::array<std::string_view, 13> pieces = {"I'm such a failure. ",
                                                   "They can tell I am \U0001F600\u00e9\U0001F600 a failure. ",
                                                   "I always ruin everything. ", "x", "ab ", "\u00e9", "\u2019",
                                                   "\U0001F600", "\r\n", "\r", "\n",
                                                   "We walked along the river to the old mill and back. ",
                                                   "Then tea. Then a nap, and the rain stopped by four. "};
  std::mt19937_64 rng(7);
  std::size_t findings = 0;
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const std::size_t n = 1 + rng() % 80;
    for (std::size_t i = 0; i < n; ++i) text += pieces[rng() % pieces.size()];
    CAPTURE(text);
    const Analysis a = an.analyze(text);
    const OffsetMap map(text);
    for (const Finding& f : a.findings) {
      ++findings;
      const auto lc = map.line_column(f.begin);
      CHECK(f.line == lc.line);
      CHECK(f.column == lc.column);
      CHECK(f.cp_begin == map.code_point(f.begin));
      CHECK(f.cp_end == map.code_point(f.end));
      CHECK(f.utf16_begin == map.utf16(f.begin));
      CHECK(f.utf16_end == map.utf16(f.end));
    }
  }
  CHECK(findings > 300);
}

TEST_CASE("invalid UTF-8 never shifts offsets and is counted") {
  Analyzer an(default_rules());
  std::string text = "\xff\xfe bad \xc3 bytes \xed\xa0\x80 then I'm such a failure.";
  Analysis a = an.analyze(text);
  CHECK(a.invalid_utf8_bytes == 6);
  REQUIRE(!a.findings.empty());
  const Finding& f = a.findings.back();
  CHECK(cut(text, f) == f.text);
  std::string json;
  append_json(json, a);
  CHECK(json.find('\xff') == std::string::npos);
}

TEST_CASE("sentences that case folding changes are found wherever they fall") {
  // "ſ" folds to "s" and the Kelvin sign to "k", as RE2 matches them: such sentences are read
  // folded. Which ones are is found once for the whole text (and after invalid bytes are
  // replaced); each must be told so, in the first batch of sentences and in later ones.
  Analyzer an(default_rules());
  const std::string critics[] = {"I ſhould have \u212Anown better.", "I always ruin everything ſo badly.",
                                 "\u00C9verything I do is wrong, I ſhould have known better."};
  std::string text;
  std::vector<std::size_t> expected;  // where each critic sentence's findings begin
  for (int k = 0; k < 700; ++k) {
    if (k % 97 == 5 || k == 256 || k == 257 || k == 699) {
      const std::string& c = critics[static_cast<std::size_t>(k) % std::size(critics)];
      const Analysis alone = an.analyze(c);
      REQUIRE_FALSE(alone.findings.empty());
      for (const Finding& f : alone.findings) expected.push_back(text.size() + f.begin);
      text += c;
    } else {
      text += k == 300 ? "The caf\xff was quiet." : "The cafe was quiet.";
    }
    text += ' ';
  }
  // The context cues are read folded too: "ſaid" reports another's voice as "said" does.
  const std::string reported = "She \u017Faid I\u2019m such a failure.";
  CHECK(an.analyze(reported).findings.empty());
  AnalyzeOptions with_reported;
  with_reported.include_reported = true;
  const Analysis voiced = an.analyze(reported, with_reported);
  REQUIRE(voiced.findings.size() == 1);
  CHECK(voiced.findings[0].reported);
  text += reported;
  const Analysis a = an.analyze(text);
  CHECK(a.invalid_utf8_bytes == 1);
  std::vector<std::size_t> got;
  for (const Finding& f : a.findings) got.push_back(f.begin);
  std::sort(got.begin(), got.end());
  std::sort(expected.begin(), expected.end());
  CHECK(got == expected);
  CHECK(expected.size() >= 10);
}

TEST_CASE("empty and blank input give no findings and zero scores") {
  Analyzer an(default_rules());
  for (std::string text : {std::string(), std::string(" \n\t\r\n "), std::string("\xEF\xBB\xBF")}) {
    Analysis a = an.analyze(text);
    CHECK(a.findings.empty());
    CHECK(a.scores.words == 0);
    CHECK(a.scores.critic_intensity == 0);
  }
  CHECK(an.analyze(std::string("\0\0 I'm such a failure \0", 24)).findings.size() == 1);
}

TEST_CASE("safety findings come first - with support and no reframe") {
  Analyzer an(default_rules());
  Analysis a = an.analyze("I always ruin everything. I want to die.");
  REQUIRE(a.findings.size() >= 2);
  CHECK(a.findings[0].category == Category::kSafety);
  CHECK_FALSE(a.findings[0].support.empty());
  CHECK(a.findings[0].reframes.empty());
  CHECK(a.findings[0].friend_view.empty());
  CHECK(a.has_safety());
  for (std::size_t i = 1; i < a.findings.size(); ++i) CHECK(a.findings[i].category != Category::kSafety);
}

TEST_CASE("the same text gives the same result") {
  Analyzer one(default_rules()), two(default_rules());
  std::string text = "I'm such an idiot. I always mess up. I should be further along by now.";
  std::string a, b;
  append_json(a, one.analyze(text));
  append_json(b, two.analyze(text));
  CHECK(a == b);
  std::string c;
  append_json(c, one.analyze(text));
  CHECK(a == c);
}

TEST_CASE("options filter categories and severities - reported findings on request") {
  Analyzer an(default_rules());
  AnalyzeOptions only_should;
  only_should.categories.fill(false);
  only_should.categories[static_cast<std::size_t>(Category::kShould)] = true;
  Analysis a = an.analyze("I'm such a failure. I should have known better.", only_should);
  REQUIRE(a.findings.size() == 1);
  CHECK(a.findings[0].category == Category::kShould);

  AnalyzeOptions reported;
  reported.include_reported = true;
  Analysis r = an.analyze("My boss said I'm useless.", reported);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].reported);
  CHECK(an.analyze("My boss said I'm useless.").findings.empty());
}

TEST_CASE("scores: words - categories - pillars - intensity - absolutist rate") {
  Analyzer an(default_rules());
  Analysis a = an.analyze("I'm such a failure. Everything is always fine with the dog.");
  CHECK(a.scores.words == 11);
  CHECK(a.scores.sentences == 2);
  CHECK(a.scores.absolutist_words == 2);  // everything, always
  CHECK(a.scores.absolutist_rate == doctest::Approx(2.0 / 11.0));
  // Any case; whole words only, not words that share a length and first letter with one.
  CHECK(an.analyze("ALWAYS NeVeR Every evert alwayz al wholE whale.").scores.absolutist_words == 4);
  CHECK(a.scores.by_category[static_cast<std::size_t>(Category::kSelfLabel)] == 1);
  CHECK(a.scores.by_pillar[static_cast<std::size_t>(Pillar::kSelfKindness)] >= 1);
  double weight = 0;
  for (const Finding& f : a.findings) weight += static_cast<int>(f.severity);
  CHECK(a.scores.critic_intensity == doctest::Approx(weight * 100.0 / 11.0));
}

TEST_CASE("scores: absolutist words are the words ICU finds that the dictionary holds - in any case") {
  // The reference: ICU's words, ASCII letters lower-cased, looked up in the dictionary.
  auto reference = [](const std::vector<std::string>& dict, std::string_view text) {
    selftalk::detail::Segmenter seg("en");
    std::size_t n = 0;
    seg.words_icu(text, [&](std::size_t b, std::size_t e) {
      std::string w(text.substr(b, e - b));
      for (char& c : w)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      n += std::find(dict.begin(), dict.end(), w) != dict.end() ? 1 : 0;
    });
    return n;
  };
  std::vector<std::string> texts = selftalk::test::corpus_texts();
  texts.push_back(selftalk::bench::generate_journal(60'000));
  texts.push_back("ALL all All aLL alL No NO nO no. Ever EVER evert ever’s Every everyone's 24/7 o'clock O’CLOCK Éver éver "
                  "a-ok A-OK xx XX x Nothing-else nothing_else allover all-over al ll");
  // The default dictionary, and one with short words, marks and a letter that is not ASCII.
  const auto defaults = default_rules();
  const std::vector<std::string> own = {"no", "all", "ever", "24", "o'clock", "\u00e9ver", "a", "xx", "nothing_else", "ok"};
  std::string words_json;
  for (const std::string& w : own) words_json += (words_json.empty() ? "\"" : ", \"") + w + "\"";
  auto custom = selftalk::test::compile_texts({selftalk::test::one_rule_pack(R"("\\bx\\b")", "", R"("absolutist_words": [)" + words_json + "],")});
  REQUIRE_MESSAGE(custom.ok(), (custom.ok() ? "" : custom.error().to_string()));
  Analyzer default_analyzer(defaults), custom_analyzer(*custom);
  std::size_t found = 0;
  for (const std::string& t : texts) {
    const std::size_t want = reference(defaults->impl().absolutist_words, t), own_want = reference(own, t);
    CHECK(default_analyzer.analyze(t).scores.absolutist_words == want);
    CHECK(custom_analyzer.analyze(t).scores.absolutist_words == own_want);
    found += want + own_want;
  }
  CHECK(found > 200);
}

TEST_CASE("a Self-Compassion Break appears only for dense entries") {
  Analyzer an(default_rules());
  CHECK(an.analyze("I'm such a failure. The weather was nice today and we walked.").self_compassion_break.empty());
  Analysis dense = an.analyze("I'm such an idiot. I always ruin everything. I should have known better. I'm useless.");
  CHECK_FALSE(dense.self_compassion_break.empty());
}

TEST_CASE("engine: exceptions - negation - past - reported - quotes - with a local pack") {
  const std::string ctx = R"("context": {"negation": ["\\bdon't think\\b"], "past": ["\\bused to think\\b"],
                              "reported": ["\\bhe said\\b"]},)";
  auto rules = selftalk::test::compile_texts(
      {selftalk::test::one_rule_pack(R"re("\\bi'm (?P<label>useless)")re", R"("exceptions": ["\\buseless at chess\\b"],)", ctx)});
  REQUIRE_MESSAGE(rules.ok(), (rules.ok() ? "" : rules.error().to_string()));
  Analyzer an(*rules);
  AnalyzeOptions all;
  all.include_reported = true;
  CHECK(an.analyze("I'm useless.", all).findings.size() == 1);
  CHECK(an.analyze("I'm useless at chess.", all).findings.empty());
  CHECK(an.analyze("I don't think I'm useless.", all).findings.empty());
  CHECK(an.analyze("I don't think so, but I'm useless.", all).findings.size() == 1);  // new clause
  CHECK(an.analyze("I used to think I'm useless.", all).findings.empty());
  Analysis rep = an.analyze("He said I'm useless.", all);
  REQUIRE(rep.findings.size() == 1);
  CHECK(rep.findings[0].reported);
  for (std::string quoted : {"The song \"I'm useless\" played.", "The song \u201cI'm useless\u201d played.",
                             "She wrote 'I'm useless' on the card."}) {
    CAPTURE(quoted);
    Analysis q = an.analyze(quoted, all);
    REQUIRE(q.findings.size() == 1);
    CHECK(q.findings[0].reported);
  }
  Analysis slot = an.analyze("I'm useless");
  REQUIRE(slot.findings.size() == 1);
  CHECK(slot.findings[0].friend_view == "Friend you're useless");
}

TEST_CASE("reframes name the groups of their own match") {
  std::string pack = selftalk::test::one_rule_pack(R"re("\\bi'm (?:an? |such an? )?(?P<label>idiot|fool|loser)(?P<tail> again)?")re");
  pack.replace(pack.find("friend {match|you}"), std::string("friend {match|you}").size(), "call it {label}");
  pack.replace(pack.find(R"("text": "two")"), std::string(R"("text": "two")").size(), R"("text": "two {tail}")");
  auto rules = selftalk::test::compile_texts({pack});
  REQUIRE_MESSAGE(rules.ok(), (rules.ok() ? "" : rules.error().to_string()));
  Analyzer an(*rules);
  AnalyzeOptions every;
  every.all_reframes = true;
  const Analysis a = an.analyze("I'm an idiot. Later I'm such a fool and I'm a loser again.", every);
  REQUIRE(a.findings.size() == 3);
  std::vector<std::string> friends, reframes;
  for (const Finding& f : a.findings) {
    friends.push_back(f.friend_view);
    std::string texts;
    for (const Reframe& r : f.reframes) texts += r.text + "|";
    reframes.push_back(texts);
  }
  CHECK(friends == std::vector<std::string>{"Call it idiot", "Call it fool", "Call it loser"});
  // {tail} took part only in the last match: the template that needs it renders only there.
  CAPTURE(reframes[0]);
  CAPTURE(reframes[1]);
  CAPTURE(reframes[2]);
  CHECK(reframes == std::vector<std::string>{"One|", "One|", "One|Two again|"});
}

TEST_CASE("overlapping matches of one category give one finding") {
  auto rules = selftalk::test::compile_texts({selftalk::test::one_rule_pack(R"("always fail", "i always fail", "fail")")});
  REQUIRE(rules.ok());
  Analyzer an(*rules);
  Analysis a = an.analyze("I always fail. Then fail again.");
  REQUIRE(a.findings.size() == 2);
  CHECK(a.findings[0].text == "I always fail");
  CHECK(a.findings[1].text == "fail");
}

TEST_CASE("analyzers sharing one ruleset in threads give the single-thread result") {
  auto rules = default_rules();
  std::string text = selftalk::test::read_source_file("corpus/sample.md");
  Analyzer single(rules);
  std::string expected;
  append_json(expected, single.analyze(text));
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < got.size(); ++t)
    threads.emplace_back([&, t] {
      Analyzer an(rules);
      for (int i = 0; i < 20; ++i) {
        std::string j;
        append_json(j, an.analyze(text));
        if (i == 0 || j != got[t]) got[t] = j;
      }
    });
  for (auto& th : threads) th.join();
  for (const std::string& g : got) CHECK(g == expected);
}

TEST_CASE("Scores::add sums counts and recomputes the rates over both texts") {
  Scores a, b;
  a.words = 10;
  a.sentences = 2;
  a.by_category[static_cast<std::size_t>(Category::kShould)] = 1;
  a.by_pillar[static_cast<std::size_t>(Pillar::kSelfKindness)] = 1;
  a.critic_intensity = 20.0;  // weight 2 over 10 words
  a.absolutist_words = 1;
  a.absolutist_rate = 0.1;
  b.words = 30;
  b.sentences = 3;
  b.by_category[static_cast<std::size_t>(Category::kShould)] = 2;
  b.critic_intensity = 10.0;  // weight 3 over 30 words
  b.absolutist_words = 3;
  b.absolutist_rate = 0.1;
  a.add(b);
  CHECK(a.words == 40);
  CHECK(a.sentences == 5);
  CHECK(a.by_category[static_cast<std::size_t>(Category::kShould)] == 3);
  CHECK(a.by_pillar[static_cast<std::size_t>(Pillar::kSelfKindness)] == 1);
  CHECK(a.critic_intensity == doctest::Approx(5.0 * 100.0 / 40.0));
  CHECK(a.absolutist_words == 4);
  CHECK(a.absolutist_rate == doctest::Approx(0.1));
  Scores empty;
  empty.add(Scores{});
  CHECK(empty.words == 0);
  CHECK(empty.critic_intensity == 0);
}
