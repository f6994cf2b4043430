// The literal prefilter (lib/src/prefilter.h) decides which patterns RE2 runs on a sentence, so
// one wrong "no" is a missed finding. These tests hold it to RE2 itself.
#include <doctest/doctest.h>
#include <re2/re2.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <map>

#include "corpus_texts.h"
#include "generator.h"
#include "prefilter.h"
#include "ruleset_impl.h"
#include "selftalk/pack.h"
#include "selftalk/ruleset.h"
#include "text.h"

namespace {

using selftalk::detail::Prefilter;
using selftalk::detail::PrefilterBuilder;
using selftalk::detail::kBatchTexts;
using selftalk::detail::kTextSetWords;
using Macros = std::map<std::string, std::string, std::less<>>;

// Candidates among `patterns` for `text`.
std::vector<int> run(const std::vector<std::string>& patterns, std::string_view text, const Macros& macros = {},
                     std::vector<std::string>* names = nullptr) {
  PrefilterBuilder b(&macros);
  for (const std::string& p : patterns) b.add(p, names);
  Prefilter pf = b.build();
  Prefilter::Scratch scratch;
  std::vector<int> out;
  pf.candidates(text, scratch, out);
  return out;
}

bool passes(const std::string& pattern, std::string_view text, const Macros& macros = {}) {
  return !run({pattern}, text, macros).empty();
}

#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kGeneratedBytes = 20'000;
#else
constexpr std::size_t kGeneratedBytes = 200'000;
#endif

}  // namespace

TEST_CASE("prefilter: a pattern needs its literal words in any case") {
  CHECK(passes("\\bi\\s+never\\s+win", "I NEVER win"));
  CHECK_FALSE(passes("\\bi\\s+never\\s+win", "I always win"));
  CHECK_FALSE(passes("\\bi\\s+never\\s+win", "I never lose"));  // both words are needed
  CHECK(passes("(?:always|never)\\s+fail", "we never fail"));
  CHECK_FALSE(passes("(?:always|never)\\s+fail", "we seldom fail"));
}

TEST_CASE("prefilter: patterns of one literal each - every one found and found again") {
  // No inner nodes: the first pass queues every node of the tree, then sees them again (a
  // queue of exactly the nodes' number was overrun here; ASan in the sanitizer run tells).
  CHECK(run({"zebra", "quilt"}, "zebra quilt zebra quilt") == std::vector<int>{0, 1});
  CHECK(run({"zebra", "quilt", "walrus"}, "walrus quilt zebra walrus zebra") == std::vector<int>{0, 1, 2});
}

TEST_CASE("prefilter: apostrophes in a pattern stand for both ' and the curly one") {
  CHECK(passes("can't\\s+cope", "I can’t cope"));
  CHECK(passes("can’t\\s+cope", "I can't cope"));
  CHECK_FALSE(passes("can't\\s+cope", "I cant cope"));
  CHECK(passes("can'?t\\s+cope", "I cant cope"));
}

TEST_CASE("prefilter: non-ASCII text is case-folded as RE2 matches it") {
  CHECK(passes("\\bcafé\\b", "THE CAFÉ WAS SHUT"));
  CHECK(passes("\\bnaïve\\b", "so Naïve"));
  CHECK_FALSE(passes("\\bcafé\\b", "the cafe was shut"));
}

TEST_CASE("prefilter: optional and repeated pieces are not required") {
  CHECK(passes("colou?r", "the color"));
  CHECK(passes("colou?r", "the colour"));
  CHECK(passes("(?:very\\s+)*tired", "tired"));
  CHECK(passes("(?:so\\s+){0,3}tired", "tired"));
  CHECK(passes("(?:so\\s+){1,3}tired", "so so tired"));
  CHECK_FALSE(passes("(?:really\\s+){1,3}tired", "so tired"));  // at least one "really"
  CHECK(passes("[ck]ould", "I kould"));
  CHECK(passes("[^x]ould", "could"));
  CHECK(passes("a{2}rgh", "aargh"));
}

TEST_CASE("prefilter: macros are read once and their groups counted where they are used") {
  Macros macros{{"NEG", "(?P<neg>never|not)"}, {"TWICE", "{{NEG}}\\s+{{NEG}}"}};
  std::vector<std::string> names;
  CHECK(run({"\\bi\\s+{{NEG}}\\s+(win)", "(?P<a>x)({{TWICE}})"}, "I never win", macros, &names) ==
        std::vector<int>{0});  // the second needs one of "xnever never", "xnot never", ...
  CHECK(run({"(?P<a>x)({{TWICE}})"}, "xnot \t never", macros) == std::vector<int>{0});
  CHECK(run({"\\bi\\s+{{NEG}}\\s+(win)", "(?P<a>x)({{TWICE}})"}, "I always win", macros).empty());
  CHECK(names == std::vector<std::string>{"neg", "", "a", "", "neg", "neg"});
}

TEST_CASE("prefilter: a run of white space reads as one space in patterns and text alike") {
  CHECK(passes("\\bno\\s+one\\b", "no one"));
  CHECK(passes("\\bno\\s+one\\b", "there is NO \t\n  ONE"));
  CHECK_FALSE(passes("\\bno\\s+one\\b", "no, not one"));  // "no" and "one" alone no longer do
  CHECK(passes("no one", "no  \r\none"));     // a literal space needs white space there (one or more)
  CHECK(passes("a  b\\tc", "a b c"));         // runs in the pattern collapse too (over-approximate)
  CHECK(passes("so\\s*sorry", "sosorry"));
  CHECK(passes("so\\s*sorry", "so \t sorry"));
  CHECK(passes("so[\\s,]sorry", "so\nsorry"));
  CHECK(passes("so\\s{2,}sorry", "so  sorry"));
  CHECK(passes("so\\x20sorry", "so sorry"));
  CHECK_FALSE(passes("so\\s+sorry", "so\u00a0sorry"));  // RE2's \\s is ASCII white space only
}

TEST_CASE("prefilter: syntax it does not follow makes the pattern run on every sentence") {
  CHECK(passes("\\Qa.b\\E", "nothing alike"));
  CHECK(passes("{{MISSING}}", "nothing alike"));
  CHECK(passes("(?P=back)", "nothing alike"));
  CHECK(passes(std::string(5000, '(') + "x" + std::string(5000, ')'), "nothing alike"));
}

TEST_CASE("prefilter: common words are checked only when a pattern needs them") {
  // "in" is weak (found in most sentences): the pattern still needs it, checked top-down.
  CHECK(passes("\\bin\\b", "in the end"));
  CHECK_FALSE(passes("\\bin\\b", "I am here"));
  CHECK(passes("\\bmessed\\s+up\\s+in\\b", "I messed up in class"));
  CHECK_FALSE(passes("\\bmessed\\s+up\\s+in\\b", "messed up"));
  CHECK(passes("(?:on|at)\\s+(?:failure|ruin)", "at ruin"));
  CHECK_FALSE(passes("(?:on|at)\\s+(?:failure|ruin)", "a ruin"));
}

// Soundness on real patterns: whenever RE2 finds a default pattern in a text, the prefilter
// listed it. Texts: the corpus, every rule example, a generated journal, and their upper-case,
// apostrophe-swapped and white-space-changed forms.
TEST_CASE("prefilter: never rules out a default pattern that RE2 finds") {
  auto packs = selftalk::default_packs();
  REQUIRE(packs.ok());
  std::vector<std::string> texts = selftalk::test::corpus_texts();
  for (const auto& pack : *packs)
    for (const auto& rule : pack.rules) {
      for (const auto& e : rule.match_examples) texts.push_back(e.text);
      for (const auto& e : rule.no_match_examples) texts.push_back(e.text);
    }
  {
    const std::string journal = selftalk::bench::generate_journal(kGeneratedBytes);
    selftalk::detail::Segmenter seg("en");
    std::vector<selftalk::detail::Span> spans;
    seg.sentences(journal, spans);
    for (const auto& s : spans) texts.push_back(journal.substr(s.begin, s.end - s.begin));
  }
  const std::size_t originals = texts.size();
  for (std::size_t i = 0; i < originals; ++i) {
    std::string upper = texts[i];
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; });
    texts.push_back(upper);
    std::string swapped;
    for (std::size_t k = 0; k < texts[i].size(); ++k) {
      if (texts[i].compare(k, 3, "\u2019") == 0) {
        swapped += '\'';
        k += 2;
      } else {
        swapped += texts[i][k] == '\'' ? std::string("\u2019") : std::string(1, texts[i][k]);
      }
    }
    texts.push_back(swapped);
    std::string spaced;  // other white space, and runs of it, where the text has one space
    std::size_t n = 0;
    for (char c : texts[i]) spaced += c != ' ' ? std::string(1, c) : (n++ % 3 == 0 ? "  " : n % 3 == 2 ? "\t" : " \n ");
    texts.push_back(spaced);
  }
  auto rules = selftalk::Ruleset::compile(*packs);
  REQUIRE(rules.ok());
  const auto& impl = (*rules)->impl();
  REQUIRE(impl.prefilter.unfiltered_count() * 20 < impl.entries.size());  // it does filter
  std::vector<const RE2*> compiled;
  for (const auto& e : impl.entries) compiled.push_back(impl.rules[e.rule].patterns[e.pattern].re->get());
  REQUIRE(std::count(compiled.begin(), compiled.end(), nullptr) == 0);
  selftalk::detail::Prefilter::Scratch scratch, cue_scratch;
  std::vector<int> candidates, cue_candidates;
  std::vector<std::pair<int, const RE2*>> cues;
  for (const auto* set : {&impl.negation, &impl.reported, &impl.past})
    for (std::size_t j = 0; j < set->cues.size(); ++j) cues.emplace_back(static_cast<int>(set->first + j), set->cues[j]->get());
  REQUIRE(cues.size() > 40);
  REQUIRE(std::none_of(cues.begin(), cues.end(), [](const auto& c) { return c.second == nullptr; }));
  std::size_t found = 0, checked = 0, cues_found = 0;
  for (const std::string& text : texts) {
    impl.prefilter.candidates(text, scratch, candidates);
    for (std::size_t i = 0; i < impl.entries.size(); ++i) {
      const auto& e = impl.entries[i];
      if (!RE2::PartialMatch(text, *compiled[i])) continue;
      ++found;
      const bool listed = std::binary_search(candidates.begin(), candidates.end(), static_cast<int>(i));
      if (!listed) FAIL_CHECK(impl.rules[e.rule].spec->id << " pattern " << e.pattern << " missed in: " << text);
      ++checked;
    }
    // Context cues are searched in a clause only when the cue prefilter lists them for the sentence.
    impl.cue_prefilter.candidates(text, cue_scratch, cue_candidates);
    for (const auto& [number, cue] : cues) {
      if (!RE2::PartialMatch(text, *cue)) continue;
      ++cues_found;
      if (!std::binary_search(cue_candidates.begin(), cue_candidates.end(), number))
        FAIL_CHECK("context cue " << number << " missed in: " << text);
    }
  }
  CHECK(found > texts.size() / 10);  // the texts do exercise the patterns
  CHECK(cues_found > 100);
  CHECK(checked == found);
}

TEST_CASE("prefilter: group names read from the built-in packs equal RE2's") {
  auto packs = selftalk::default_packs();
  REQUIRE(packs.ok());
  auto lazy = selftalk::Ruleset::compile(*packs);  // built in: names from the prefilter's reading
  for (auto& p : *packs) p.builtin = false;
  auto eager = selftalk::Ruleset::compile(*packs);  // every pattern compiled: names from RE2
  REQUIRE(lazy.ok());
  REQUIRE(eager.ok());  // and so every built-in pattern compiles
  const auto& a = (*lazy)->impl();
  const auto& b = (*eager)->impl();
  REQUIRE(a.entries.size() == b.entries.size());
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    const auto& pa = a.rules[a.entries[i].rule].patterns[a.entries[i].pattern];
    const auto& pb = b.rules[b.entries[i].rule].patterns[b.entries[i].pattern];
    CHECK_MESSAGE(pa.group_name == pb.group_name, a.rules[a.entries[i].rule].spec->id);
  }
}

// The built-in packs' reading is made at build time (lib/src/embed_reading.cpp) and loaded by
// Ruleset::compile; these tests keep that copy current, exact and safe to load.
namespace {

struct BuiltinReading {
  std::shared_ptr<const selftalk::Ruleset> rules;
  std::vector<std::string_view> sources;
  std::string key;
};

BuiltinReading builtin_reading() {
  auto packs = selftalk::default_packs();
  REQUIRE(packs.ok());
  auto rules = selftalk::Ruleset::compile(std::move(packs).value());
  REQUIRE(rules.ok());
  BuiltinReading r{*rules, {}, {}};
  r.sources = selftalk::detail::pattern_sources(r.rules->impl().packs);
  r.key = selftalk::detail::reading_key(r.rules->impl().macros, r.sources);
  return r;
}

}  // namespace

TEST_CASE("prefilter: the readings embedded at build time equal reading the built-in packs now") {
  const BuiltinReading b = builtin_reading();
  const auto& macros = b.rules->impl().macros;
  const std::string fresh = selftalk::detail::save_reading(selftalk::detail::read_patterns(macros, b.sources), b.key);
  REQUIRE_FALSE(selftalk::detail::embedded_reading().empty());
  CHECK(fresh.size() == selftalk::detail::embedded_reading().size());
  CHECK(fresh == selftalk::detail::embedded_reading());  // else stale, or the reading is not deterministic
  // The cues, read apart (a sentence's cues are looked for only when it has a finding).
  const auto cues = selftalk::detail::cue_sources(b.rules->impl().packs);
  REQUIRE(cues.size() > 20);
  const std::string fresh_cues = selftalk::detail::save_reading(selftalk::detail::read_patterns(macros, cues),
                                                                selftalk::detail::reading_key(macros, cues));
  REQUIRE_FALSE(selftalk::detail::embedded_cue_reading().empty());
  CHECK(fresh_cues == selftalk::detail::embedded_cue_reading());
  // Both are what a Ruleset of the built-in packs uses (it falls back to reading them now).
  CHECK(b.rules->impl().prefilter.pattern_count() == b.sources.size());
  CHECK(b.rules->impl().cue_prefilter.pattern_count() == cues.size());
}

TEST_CASE("prefilter: a saved reading loads under its own key only and filters as the original") {
  const BuiltinReading b = builtin_reading();
  const auto& macros = b.rules->impl().macros;
  const auto original = selftalk::detail::read_patterns(macros, b.sources);
  const std::string bytes = selftalk::detail::save_reading(original, b.key);
  auto loaded = selftalk::detail::load_reading(bytes, b.key);
  REQUIRE(loaded.has_value());
  CHECK(loaded->group_names == original.group_names);
  CHECK(loaded->understood == original.understood);
  CHECK(loaded->prefilter.atom_count() == original.prefilter.atom_count());
  Prefilter::Scratch s1, s2;
  std::vector<int> c1, c2;
  std::size_t listed = 0;
  for (const std::string& text : selftalk::test::corpus_texts()) {
    original.prefilter.candidates(text, s1, c1);
    loaded->prefilter.candidates(text, s2, c2);
    CHECK_MESSAGE(c1 == c2, text);
    listed += c1.size();
  }
  CHECK(listed > 100);  // the texts do reach patterns

  CHECK_FALSE(selftalk::detail::load_reading(bytes, b.key + "x").has_value());
  std::vector<std::string_view> fewer(b.sources.begin(), b.sources.end() - 1);
  CHECK_FALSE(selftalk::detail::load_reading(bytes, selftalk::detail::reading_key(macros, fewer)).has_value());
  // The key spells lengths, so moving a boundary between patterns changes it.
  const std::vector<std::string_view> ab_c{"ab", "c"}, a_bc{"a", "bc"};
  CHECK(selftalk::detail::reading_key({}, ab_c) != selftalk::detail::reading_key({}, a_bc));
}

TEST_CASE("prefilter: automata of more states than 16 bits number find every literal - fresh and reloaded") {
  // Up to 65,536 states the transition table holds 16-bit entries, past that 32-bit ones: both
  // must find exactly the literals a text holds (a literal pattern's condition is exact).
  std::uint64_t seed = 11;
  auto next = [&] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return seed >> 33;
  };
  for (const std::size_t count : {std::size_t{300}, std::size_t{12'000}}) {
    std::vector<std::string> literals;
    while (literals.size() < count) {
      std::string w;
      for (int i = 0; i < 10; ++i) w += static_cast<char>('a' + next() % 26);
      literals.push_back(w);
    }
    std::sort(literals.begin(), literals.end());
    literals.erase(std::unique(literals.begin(), literals.end()), literals.end());
    const std::vector<std::string_view> sources(literals.begin(), literals.end());
    const auto fresh = selftalk::detail::read_patterns({}, sources);
    const std::string key = selftalk::detail::reading_key({}, sources);
    const auto loaded = selftalk::detail::load_reading(selftalk::detail::save_reading(fresh, key), key);
    REQUIRE(loaded.has_value());
    CHECK((fresh.prefilter.state_count() > 65'536) == (count > 1'000));
    CHECK(loaded->prefilter.state_count() == fresh.prefilter.state_count());
    Prefilter::Scratch s1, s2;
    std::vector<int> c1, c2;
    std::size_t found = 0;
    for (int round = 0; round < 200; ++round) {
      std::string text = "Some words";
      for (std::uint64_t k = 0, n = next() % 12; k < n; ++k) {
        std::string piece = literals[next() % literals.size()];
        if (next() % 3 == 0) piece.pop_back();  // not quite the literal
        if (next() % 2 == 0) piece[0] = static_cast<char>(piece[0] - 'a' + 'A');
        text += (next() % 2 == 0 ? " " : "") + piece;
      }
      std::string lower = text;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      std::vector<int> expected;
      for (std::size_t p = 0; p < literals.size(); ++p)
        if (lower.find(literals[p]) != std::string::npos) expected.push_back(static_cast<int>(p));
      fresh.prefilter.candidates(text, s1, c1);
      loaded->prefilter.candidates(text, s2, c2);
      CAPTURE(text);
      CHECK(c1 == expected);
      CHECK(c2 == expected);
      found += expected.size();
    }
    CHECK(found > 200);
  }
}

TEST_CASE("prefilter: a damaged saved reading is refused or loads without leaving its bounds") {
  const BuiltinReading b = builtin_reading();
  const std::string bytes(selftalk::detail::embedded_reading());
  REQUIRE(selftalk::detail::load_reading(bytes, b.key).has_value());
  for (std::size_t k = 0; k < 200; ++k) {
    const std::size_t cut = bytes.size() * k / 200;
    CHECK_FALSE(selftalk::detail::load_reading(std::string_view(bytes).substr(0, cut), b.key).has_value());
  }
  const std::vector<std::string> texts = {"I always ruin everything.", "I should have known better.",
                                          "Nobody will ever love me.", "It's all my fault, I'm such an idiot."};
  std::uint64_t state = 12345;
  std::size_t refused = 0;
  for (int trial = 0; trial < 200; ++trial) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    std::string damaged = bytes;
    const std::size_t at = b.key.size() + 64 + (state >> 33) % (damaged.size() - b.key.size() - 64);
    damaged[at] = static_cast<char>(damaged[at] ^ (1 + (state >> 13) % 255));
    auto loaded = selftalk::detail::load_reading(damaged, b.key);
    if (!loaded) {
      ++refused;
      continue;
    }
    Prefilter::Scratch scratch;  // under the sanitizers, any read out of bounds fails here
    std::vector<int> out;
    for (const std::string& t : texts) loaded->prefilter.candidates(t, scratch, out);
  }
  CHECK(refused > 0);
}

// The closure lists are saved just before `understood` and the group names: damage aimed at them.
TEST_CASE("prefilter: damaged closure lists are refused or load without leaving their bounds") {
  const BuiltinReading b = builtin_reading();
  const std::string bytes(selftalk::detail::embedded_reading());
  const auto intact = selftalk::detail::load_reading(bytes, b.key);
  REQUIRE(intact.has_value());
  REQUIRE(intact->prefilter.uses_closures());
  std::size_t tail = 8 + intact->understood.size();
  for (const auto& names : intact->group_names) {
    tail += 8;
    for (const std::string& n : names) tail += 8 + n.size();
  }
  REQUIRE(tail < bytes.size() / 2);
  const std::size_t end = bytes.size() - tail, span = bytes.size() / 5;
  std::string text;  // one long text, to enter many states
  for (const std::string& t : selftalk::test::corpus_texts()) text += t + "\n";
  std::uint64_t state = 777;
  std::size_t refused = 0, loaded_n = 0;
  for (int trial = 0; trial < 200; ++trial) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    std::string damaged = bytes;
    const std::size_t at = end - 1 - (state >> 33) % span;
    damaged[at] = static_cast<char>(damaged[at] ^ (1 << (state >> 13) % 8));
    auto loaded = selftalk::detail::load_reading(damaged, b.key);
    if (!loaded) {
      ++refused;
      continue;
    }
    ++loaded_n;
    Prefilter::Scratch scratch;  // under the sanitizers, any read out of bounds fails here
    std::vector<int> out;
    loaded->prefilter.candidates(text, scratch, out);
  }
  CHECK(refused > 0);
  CHECK(loaded_n > 0);  // not every flipped bit is caught: some leave every index in range
}

// An AND of more distinct strong children than a closure list's slot mask holds makes the whole
// prefilter count children instead (Prefilter::uses_closures); both ways give the same answers.
namespace {

std::string and_of_words(int words) {
  std::string p;
  for (int k = 0; k < words; ++k) p += (k > 0 ? ".*" : "") + std::string("word") + std::to_string(k) + "x";
  return p;
}

std::string words_but(int words, int missing) {
  std::string t;
  for (int k = 0; k < words; ++k)
    if (k != missing) t += "word" + std::to_string(k) + "x ";
  return t;
}

// The default patterns read as they are (closure lists), and with an AND too wide for them
// (counting), over the same macros.
struct BothWays {
  BuiltinReading builtin = builtin_reading();
  std::vector<std::string_view> wide;
  selftalk::detail::PatternReading closures, counting;
  BothWays() {
    static const std::string extra = and_of_words(40);
    wide.assign(builtin.sources.begin(), builtin.sources.end());
    wide.push_back(extra);
    closures = selftalk::detail::read_patterns(builtin.rules->impl().macros, builtin.sources);
    counting = selftalk::detail::read_patterns(builtin.rules->impl().macros, wide);
  }
};

// The corpus and the sentences of a generated journal.
std::vector<std::string> corpus_and_journal_sentences() {
  std::vector<std::string> texts = selftalk::test::corpus_texts();
  const std::string journal = selftalk::bench::generate_journal(kGeneratedBytes);
  selftalk::detail::Segmenter seg("en");
  std::vector<selftalk::detail::Span> spans;
  seg.sentences(journal, spans);
  for (const auto& s : spans) texts.push_back(journal.substr(s.begin, s.end - s.begin));
  return texts;
}

}  // namespace

TEST_CASE("prefilter: an AND of more strong words than a slot mask holds falls back to counting") {
  const Macros macros;
  for (int words : {2, 32, 33, 40}) {
    PrefilterBuilder b(&macros);
    b.add(and_of_words(words), nullptr);
    b.add("\\bnever\\s+again\\b", nullptr);
    const Prefilter pf = b.build();
    CHECK(pf.uses_closures() == (words <= 32));
    Prefilter::Scratch scratch;
    std::vector<int> out;
    pf.candidates(words_but(words, -1) + "never again", scratch, out);
    CHECK(out == std::vector<int>{0, 1});
    for (int missing : {0, words / 2, words - 1}) {
      pf.candidates(words_but(words, missing), scratch, out);
      CHECK_MESSAGE(out.empty(), words << " words, without " << missing);
    }
    pf.candidates(words_but(words, -1), scratch, out);
    CHECK(out == std::vector<int>{0});
  }
}

TEST_CASE("prefilter: the closure lists and the counting fallback list the same default patterns") {
  const BothWays both;
  const BuiltinReading& b = both.builtin;
  const auto& closures = both.closures;
  const auto& counting = both.counting;
  REQUIRE(closures.prefilter.uses_closures());
  REQUIRE_FALSE(counting.prefilter.uses_closures());
  // Saved and loaded, each keeps its way (the lists are loaded, not made again).
  const auto wide_key = selftalk::detail::reading_key(b.rules->impl().macros, both.wide);
  const auto closures_loaded = selftalk::detail::load_reading(selftalk::detail::save_reading(closures, b.key), b.key);
  const auto counting_loaded =
      selftalk::detail::load_reading(selftalk::detail::save_reading(counting, wide_key), wide_key);
  REQUIRE(closures_loaded.has_value());
  REQUIRE(counting_loaded.has_value());
  CHECK(closures_loaded->prefilter.uses_closures());
  CHECK_FALSE(counting_loaded->prefilter.uses_closures());
  const std::vector<std::string> texts = corpus_and_journal_sentences();
  Prefilter::Scratch s1, s2, s3, s4;
  std::vector<int> c1, c2, c3, c4;
  std::size_t listed = 0;
  for (const std::string& text : texts) {
    closures.prefilter.candidates(text, s1, c1);
    counting.prefilter.candidates(text, s2, c2);
    closures_loaded->prefilter.candidates(text, s3, c3);
    counting_loaded->prefilter.candidates(text, s4, c4);
    CHECK_MESSAGE(c1 == c2, text);
    CHECK_MESSAGE(c1 == c3, text);
    CHECK_MESSAGE(c2 == c4, text);
    listed += c1.size();
  }
  CHECK(listed > 100);
}

TEST_CASE("prefilter: texts in a batch get what each gets alone") {
  const BothWays both;
  REQUIRE(both.closures.prefilter.uses_closures());
  REQUIRE_FALSE(both.counting.prefilter.uses_closures());
  // Fewer texts than lanes, as many, more; up to and past each word of a text set, and past the
  // texts run at once.
  static_assert(kBatchTexts == 64 * kTextSetWords);
  const std::size_t sizes[] = {1, 2, 3, 4, 5, 7, 11, 63, 64, 65, 130, kBatchTexts - 1, kBatchTexts, kBatchTexts + 1};
  std::vector<std::string> texts = corpus_and_journal_sentences();
  std::size_t one_round = 0;
  for (std::size_t size : sizes) one_round += size;
  const std::vector<std::string> once = texts;
  while (texts.size() < one_round) texts.insert(texts.end(), once.begin(), once.end());  // a smaller journal under ASan
  // Texts of no byte and of one, texts scanned case-folded (between others that are not; "ſ" folds
  // to "s" as RE2 matches it), white space runs, and a long text whose only critic words are at
  // its end.
  for (const std::string& t :
       {std::string(), std::string("I"), std::string("ΣΟΦΙΑ SAID I ſHOULD HAVE KNOWN BETTER"), std::string("I’m  \t such a\n\nFAILURE"),
        std::string("Straße: ICH bin NEVER good enough, İ know"), std::string(3000, 'x') + " I always ruin everything"})
    for (std::size_t at : {std::size_t{0}, texts.size() / 3, texts.size()}) texts.insert(texts.begin() + static_cast<std::ptrdiff_t>(at), t);
  for (const auto* reading : {&both.closures, &both.counting}) {
    const Prefilter& pf = reading->prefilter;
    Prefilter::Scratch alone, together, told;
    std::vector<int> one;
    std::vector<int> out{-7}, told_out;  // appended to, never cleared
    std::vector<std::size_t> ends{1}, told_ends;
    std::vector<std::string_view> batch;
    std::vector<char> unfolded;
    std::vector<std::size_t> unfolded_at;
    std::size_t listed = 0;
    for (std::size_t k = 0, size = 0, call = 0; k < texts.size(); k += size, ++call) {
      size = std::min(texts.size() - k, sizes[call % std::size(sizes)]);
      batch.assign(texts.begin() + static_cast<std::ptrdiff_t>(k), texts.begin() + static_cast<std::ptrdiff_t>(k + size));
      pf.candidates(batch, together, out, ends);
      REQUIRE(ends.size() == k + size + 1);
      // The same batch, told which texts fold to themselves as count_invalid_utf8 finds it.
      unfolded.clear();
      for (std::string_view t : batch) {
        unfolded_at.clear();
        CHECK(selftalk::detail::count_invalid_utf8(t, &unfolded_at) == 0);
        unfolded.push_back(unfolded_at.empty() ? 0 : 1);
      }
      told_out.clear();
      told_ends.assign(1, 0);
      pf.candidates(batch, told, told_out, told_ends, unfolded);
      REQUIRE(told_ends.size() == size + 1);
      for (std::size_t i = k; i < k + size; ++i) {
        pf.candidates(texts[i], alone, one);
        const std::vector<int> got(out.begin() + static_cast<std::ptrdiff_t>(ends[i]), out.begin() + static_cast<std::ptrdiff_t>(ends[i + 1]));
        CHECK_MESSAGE(got == one, texts[i]);
        const std::vector<int> told_got(told_out.begin() + static_cast<std::ptrdiff_t>(told_ends[i - k]),
                                        told_out.begin() + static_cast<std::ptrdiff_t>(told_ends[i - k + 1]));
        CHECK_MESSAGE(told_got == one, texts[i]);
        listed += one.size();
      }
    }
    CHECK(out.front() == -7);
    CHECK(listed > 100);
    pf.candidates(std::span<const std::string_view>(), together, out, ends);  // nothing to add
    CHECK(ends.size() == texts.size() + 1);
  }
}

TEST_CASE("prefilter: text that case folding leaves alone is told apart exactly") {
  // folds_to_itself decides whether a sentence is scanned as it is or folded first; it knows some
  // ranges without asking ICU. Every code point below U+20000: alone, after nine ASCII bytes, and
  // in longer text, which is read sixteen bytes at a time (the last sixteen overlapping).
  auto utf8 = [](char32_t cp) {
    std::string s;
    if (cp < 0x800) {
      s += static_cast<char>(0xC0 | cp >> 6);
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | cp >> 12);
      s += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | cp >> 18);
      s += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
      s += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    }
    s += static_cast<char>(0x80 | (cp & 0x3F));
    return s;
  };
  std::size_t changed = 0;
  std::vector<std::size_t> unfolded;
  for (char32_t cp = 0x80; cp < 0x20000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const bool itself = u_foldCase(static_cast<UChar32>(cp), U_FOLD_CASE_DEFAULT) == static_cast<UChar32>(cp);
    changed += itself ? 0 : 1;
    const std::string one = utf8(cp);
    // count_invalid_utf8 lists where such characters are, for a whole text at once.
    unfolded.clear();
    const std::string around = "It was 5 o'clock and " + one + " then " + one;
    CHECK(selftalk::detail::count_invalid_utf8(around, &unfolded) == 0);
    const std::vector<std::size_t> at = itself ? std::vector<std::size_t>{} : std::vector<std::size_t>{21, 27 + one.size()};
    if (unfolded != at) {
      FAIL_CHECK("count_invalid_utf8: U+" << std::hex << static_cast<std::uint32_t>(cp));
      break;
    }
    if (selftalk::detail::folds_to_itself(one) != itself || selftalk::detail::folds_to_itself("It was 5 " + one + ".") != itself ||
        selftalk::detail::folds_to_itself("It was 5 o'clock and " + one + " then") != itself ||
        selftalk::detail::folds_to_itself("It was 5 o'clockThen " + one + " we went home, I think.") != itself ||
        selftalk::detail::folds_to_itself(one + " and it was 5 o'clock then.") != itself) {
      FAIL_CHECK("U+" << std::hex << static_cast<std::uint32_t>(cp));
      break;
    }
  }
  CHECK(changed > 1000);
  for (std::string_view bad : {"\xC2", "\xC2" "a", "\xE2\x80", "\xE2\x80" "a", "\xF0\x9F\x98", "\xF0\x9F\x98" "a", "\x80"}) {
    CHECK_FALSE(selftalk::detail::folds_to_itself(std::string("abcdefghij") + std::string(bad)));
    // Invalid bytes are counted, never listed as characters; the character after them is.
    unfolded.clear();
    CHECK(selftalk::detail::count_invalid_utf8(std::string("abcdefghij") + std::string(bad) + "\u017F", &unfolded) > 0);
    CHECK(unfolded == std::vector<std::size_t>{10 + bad.size()});
  }
}
