// Tests for the reframes of the default packs: the friend's voice, never the critic's.
#include <nlohmann/json.hpp>
#include <regex>

#include "app.h"
#include "reframe.h"
#include "test_util.h"

using namespace selftalk;

namespace {

// Phrases that command a feeling away or offer hollow positivity.
const std::regex kCommands(
    R"((don'?t|do not|never|stop|quit) (feel|feeling|be|being) (sad|bad|upset|anxious|down|so)|stop (feeling|thinking|crying|worrying)|just stop|cheer up|get over it|snap out of|(shouldn'?t|should not) feel|toughen up|man up|calm down|everything happens for a reason|look on the bright side|just (be|think) positive|good vibes only|no need to feel)",
    std::regex::icase);

// A label asserted of the person: "I'm a failure", "you are so useless".
const std::regex kLabel(
    R"(\b(i am|i'm|im|you are|you're)\s+((such|so|a|an|just|really|the|completely|totally|truly|utterly|complete|total|absolute)\s+)*(failure|idiot|loser|stupid|useless|worthless|pathetic|lazy|hopeless|burden|fraud|mess|disappointment|disaster|incompetent|inadequate|not good enough|broken|weak|ugly|terrible|awful|bad person|dumb|\{label\}))",
    std::regex::icase);

// Straightens curly apostrophes and blanks out quoted passages (“…”, "…"): quoting the critic's
// words ("I notice the thought “I'm a failure”") is not asserting them.
std::string without_quotes(const std::string& text) {
  std::string s;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\u2019") == 0) {
      s += '\'';
      i += 2;
    } else {
      s += text[i];
    }
  }
  std::string out;
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 3, "\u201C") == 0 || s.compare(i, 3, "\u201D") == 0) {
      quoted = s.compare(i, 3, "\u201C") == 0;
      out += ' ';
      i += 2;
      continue;
    }
    if (s[i] == '"') {
      quoted = !quoted;
      out += ' ';
      continue;
    }
    out += quoted ? ' ' : s[i];
  }
  return out;
}

// True when a label assertion in `text` is not negated just before it ("doesn't make me a
// failure", "not proof that I'm a failure", "instead of deciding I'm a failure").
bool asserts_label(const std::string& raw) {
  std::string text = without_quotes(raw);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kLabel); it != std::sregex_iterator(); ++it) {
    std::string before = text.substr(0, static_cast<std::size_t>(it->position()));
    if (before.size() > 40) before = before.substr(before.size() - 40);
    static const std::regex negated(R"((not|n't|no|never|instead of|rather than|without|whether)\b)", std::regex::icase);
    if (!std::regex_search(before, negated)) return true;
  }
  return false;
}

std::size_t sentence_count(const std::string& raw) {
  std::string t = without_quotes(raw);
  std::size_t n = 0;
  for (std::size_t i = 0; i < t.size(); ++i)
    if ((t[i] == '.' || t[i] == '!' || t[i] == '?') && (i + 1 == t.size() || t[i + 1] == ' ')) ++n;
  return std::max<std::size_t>(n, 1);
}

std::vector<std::string> corpus_texts() {
  std::vector<std::string> texts;
  std::istringstream lines(selftalk::test::read_source_file("corpus/sentences.jsonl"));
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) texts.push_back(nlohmann::json::parse(line)["text"].get<std::string>());
  return texts;
}

}  // namespace

TEST_CASE("the checks themselves catch what they must") {
  CHECK(asserts_label("I am a failure, and that is okay."));
  CHECK(asserts_label("You're so lazy."));
  CHECK(asserts_label("Maybe I\u2019m just useless at this."));
  CHECK_FALSE(asserts_label("That doesn't make me a failure."));
  CHECK_FALSE(asserts_label("One mistake is not proof that I'm a failure."));
  CHECK_FALSE(asserts_label("I notice the thought \u201cI'm a failure\u201d."));
  CHECK(std::regex_search("Don't feel sad about it.", kCommands));
  CHECK(std::regex_search("Just stop worrying.", kCommands));
  CHECK_FALSE(std::regex_search("It makes sense that I feel sad.", kCommands));
  CHECK(sentence_count("One. Two. Three.") == 3);
  CHECK(sentence_count("One “quoted. thing.” Two. Three.") == 2);
}

TEST_CASE("no template of the default packs asserts a label or commands a feeling away") {
  auto rules = selftalk::test::default_rules();
  std::vector<const Located*> texts;
  for (const RulePack& p : rules->packs()) {
    for (const CategoryDefaults& d : p.category_defaults) {
      if (!d.friend_view.text.empty()) texts.push_back(&d.friend_view);
      for (const ReframeTemplate& t : d.reframes) texts.push_back(&t.text);
    }
    for (const RuleSpec& r : p.rules) {
      if (!r.friend_view.text.empty()) texts.push_back(&r.friend_view);
      for (const ReframeTemplate& t : r.reframes) texts.push_back(&t.text);
    }
  }
  REQUIRE(texts.size() >= 30);
  for (const Located* t : texts) {
    INFO(t->where.file << ":" << t->where.line << ": " << t->text);
    CHECK_FALSE(asserts_label(t->text));
    CHECK_FALSE(std::regex_search(t->text, kCommands));
  }
}

TEST_CASE("rendered reframes over the corpus: kind - short - in the writer's voice") {
  Analyzer an(selftalk::test::default_rules());
  AnalyzeOptions all;
  all.all_reframes = true;
  std::size_t rendered = 0;
  for (const std::string& text : corpus_texts()) {
    Analysis a = an.analyze(text, all);
    for (const Finding& f : a.findings) {
      INFO(text << " [" << f.rule << "]");
      if (f.category == Category::kSafety) {
        CHECK(f.reframes.empty());
        CHECK(f.friend_view.empty());
        CHECK_FALSE(f.support.empty());
        continue;
      }
      CHECK(f.reframes.size() >= 2);
      CHECK_FALSE(f.friend_view.empty());
      CHECK_FALSE(std::regex_search(without_quotes(f.friend_view), kCommands));
      // Common-humanity lines may be impersonal ("Many people feel this"), but the writer's own
      // voice must be there among the reframes.
      static const std::regex first_person(R"(\b(I|me|my|myself|I'm|I'd|I've|I'll)\b)");
      bool own_voice = false;
      for (const Reframe& r : f.reframes) {
        INFO(r.text);
        ++rendered;
        CHECK_FALSE(asserts_label(r.text));
        CHECK_FALSE(std::regex_search(r.text, kCommands));
        CHECK(sentence_count(r.text) <= 2);
        CHECK(r.text.find('{') == std::string::npos);
        own_voice |= std::regex_search(without_quotes(r.text), first_person);
      }
      CHECK(own_voice);
    }
  }
  CHECK(rendered > 100);
}

TEST_CASE("reframes speak to the writer's own words") {
  Analyzer an(selftalk::test::default_rules());
  Analysis a = an.analyze("I'm such a failure, I always mess up");
  bool label = false, absolute = false;
  for (const Finding& f : a.findings) {
    CHECK(f.reframes.size() == 2);
    CHECK(f.reframes[0].strategy != f.reframes[1].strategy);
    std::string all = f.friend_view;
    for (const Reframe& r : f.reframes) all += " " + r.text;
    if (f.category == Category::kSelfLabel) label = all.find("failure") != std::string::npos;
    if (f.category == Category::kAbsolute) absolute = all.find("mess up") != std::string::npos;
  }
  CHECK(label);
  CHECK(absolute);
}

TEST_CASE("the same input twice gives byte-identical CLI output") {
  auto run = [](std::string input) {
    std::vector<std::string> args = {"selftalk", "--all-reframes"};
    std::vector<char*> argv;
    for (std::string& s : args) argv.push_back(s.data());
    std::istringstream in(input);
    std::ostringstream out, err;
    selftalk::cli::run(static_cast<int>(argv.size()), argv.data(), in, out, err);
    return out.str();
  };
  std::string text = selftalk::test::read_source_file("corpus/sample.md");
  std::string first = run(text);
  CHECK(first.find("try: ") != std::string::npos);
  CHECK(run(text) == first);
}

TEST_CASE("person transformation leaves no first-person word in any corpus sentence") {
  // A first-person word between spaces or ASCII punctuation (bytes of accented letters such as
  // "crème" are not word boundaries). without_quotes() has straightened curly apostrophes.
  const std::regex first_person(
      R"((^|[\s(\[,;:.!?-])(i|me|my|mine|myself|i'm|im|i've|ive|i'd|i'll)(?=$|[\s)\],;:.!?-]))", std::regex::icase);
  for (const std::string& text : corpus_texts()) {
    std::string you = to_second_person(text);
    // Quoted words are the writer's own quotation and stay as they were.
    std::string checked = without_quotes(you);
    INFO(text << " -> " << you);
    CHECK_FALSE(std::regex_search(checked, first_person));
  }
}

TEST_CASE("render_template: white space in a slot reads as one space - none at the start") {
  // A slot may span a hard-wrapped line; tabs, line ends and runs of spaces read as one space.
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"I  always\truin\r\neverything ", "Said: I always ruin everything ."},
      {"  \n I fail", "Said: I fail."},
      {"I fail", "Said: I fail."},
      {"\tnever \t good  enough", "Said: never good enough."},
      // Each on its own: a tab, a line end, two spaces, a space at the start.
      {"I\talways fail", "Said: I always fail."},
      {"I\nfail", "Said: I fail."},
      {"I  fail", "Said: I fail."},
      {" I fail", "Said: I fail."},
  };
  for (const auto& [value, want] : cases) {
    detail::SlotValues slots;
    slots.set("clause", value);
    CAPTURE(value);
    CHECK(detail::render_template("said: {clause}.", slots) == std::string(want));
  }
  detail::SlotValues slots;
  slots.set("clause", "I  ALWAYS\tFail");
  CHECK(detail::render_template("{clause|lower}", slots) == std::string("I always fail"));
}
