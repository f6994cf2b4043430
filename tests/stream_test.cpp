// Tests for selftalk/stream.h: chunked analysis equals whole-text analysis, offsets continue across
// chunks, findings arrive once their sentence is complete, the buffer stays bounded.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <tuple>

#include "corpus_texts.h"
#include "selftalk/stream.h"
#include "test_util.h"
#include "text.h"

using namespace selftalk;
using selftalk::test::default_rules;

namespace {

// Findings as comparable JSON lines, ordered by position (a stream orders safety first per call).
std::vector<std::string> lines_of(std::vector<Finding> findings) {
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.begin, a.end, a.rule) < std::tie(b.begin, b.end, b.rule);
  });
  std::vector<std::string> out;
  for (const Finding& f : findings) {
    std::string s;
    append_json(s, f);
    s += " line=" + std::to_string(f.line) + " col=" + std::to_string(f.column) + " cp=" + std::to_string(f.cp_begin) +
         "-" + std::to_string(f.cp_end) + " u16=" + std::to_string(f.utf16_begin) + "-" + std::to_string(f.utf16_end) +
         " sentence=" + std::to_string(f.sentence_begin) + "-" + std::to_string(f.sentence_end);
    out.push_back(std::move(s));
  }
  return out;
}

struct Streamed {
  std::vector<Finding> findings;
  Scores scores;
  std::string self_compassion_break;
  std::size_t invalid = 0;
};

Streamed stream_in_chunks(std::string_view text, std::size_t chunk, const AnalyzeOptions& o = {},
                          const StreamOptions& so = {}) {
  StreamAnalyzer stream(default_rules(), o, so);
  Streamed out;
  for (std::size_t at = 0; at < text.size(); at += chunk) {
    for (Finding& f : stream.feed(text.substr(at, chunk))) out.findings.push_back(std::move(f));
    CHECK(stream.buffered() <= so.max_buffered);
    CHECK(stream.consumed() + stream.buffered() == std::min(text.size(), at + chunk));
  }
  for (Finding& f : stream.finish()) out.findings.push_back(std::move(f));
  CHECK(stream.consumed() == text.size());
  out.scores = stream.scores();
  out.self_compassion_break = stream.self_compassion_break();
  out.invalid = stream.invalid_utf8_bytes();
  return out;
}

void check_same_as_whole(const std::string& text, std::initializer_list<std::size_t> chunks) {
  Analyzer analyzer(default_rules());
  Analysis whole = analyzer.analyze(text);
  for (std::size_t chunk : chunks) {
    CAPTURE(chunk);
    Streamed s = stream_in_chunks(text, chunk);
    CHECK(lines_of(s.findings) == lines_of(whole.findings));
    CHECK(s.scores.words == whole.scores.words);
    CHECK(s.scores.sentences == whole.scores.sentences);
    CHECK(s.scores.by_category == whole.scores.by_category);
    CHECK(s.scores.by_pillar == whole.scores.by_pillar);
    CHECK(s.scores.absolutist_words == whole.scores.absolutist_words);
    // The rates are computed from the same sums, not added up from the parts': equal exactly.
    CHECK(s.scores.critic_intensity == whole.scores.critic_intensity);
    CHECK(s.scores.absolutist_rate == whole.scores.absolutist_rate);
    CHECK(s.self_compassion_break == whole.self_compassion_break);
    CHECK(s.invalid == whole.invalid_utf8_bytes);
  }
}

const Finding* find_category(const std::vector<Finding>& fs, Category c) {
  for (const Finding& f : fs)
    if (f.category == c) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("streaming every corpus entry in chunks of any size equals analysing it whole") {
  std::vector<std::string> texts = test::corpus_texts();
  std::string journal;  // all entries, one after another
  for (std::size_t i = texts.size() - 12; i < texts.size(); ++i) journal += texts[i] + "\n";
  REQUIRE(journal.size() > 2000);
  check_same_as_whole(journal, {1, 2, 3, 7, 64, 1000, 100000});
  for (std::size_t i = texts.size() - 12; i < texts.size(); ++i) check_same_as_whole(texts[i], {13});
  // Some of them call for the Self-Compassion Break, so comparing it above means something.
  Analyzer analyzer(default_rules());
  std::size_t breaks = 0;
  for (std::size_t i = texts.size() - 12; i < texts.size(); ++i)
    breaks += analyzer.analyze(texts[i]).self_compassion_break.empty() ? 0 : 1;
  CHECK(breaks > 0);
}

TEST_CASE("streaming keeps line - column - code point and UTF-16 offsets across chunks and mid-line sentences") {
  // "Café 😀. " is 12 bytes, 8 code points, 9 UTF-16 units; the second sentence starts mid-line.
  const std::string text = "Caf\u00e9 \U0001F600. I always ruin everything.\r\nThen I\u2019m such a failure.";
  for (std::size_t chunk : {1, 5, 11, 200}) {
    CAPTURE(chunk);
    Streamed s = stream_in_chunks(text, chunk);
    const Finding* absolute = find_category(s.findings, Category::kAbsolute);
    REQUIRE(absolute != nullptr);
    CHECK(absolute->begin == 12);
    CHECK(absolute->line == 1);
    CHECK(absolute->column == 9);
    CHECK(absolute->cp_begin == 8);
    CHECK(absolute->utf16_begin == 9);
    CHECK(absolute->sentence_begin == 12);
    const Finding* label = find_category(s.findings, Category::kSelfLabel);
    REQUIRE(label != nullptr);
    CHECK(label->line == 2);
    CHECK(label->column == 6);
    CHECK(text.substr(label->begin, label->end - label->begin) == label->text);
    OffsetMap map(text);
    CHECK(map.utf16(label->begin) == label->utf16_begin);
    CHECK(map.code_point(label->end) == label->cp_end);
  }
}

TEST_CASE("a sentence's findings come once the next sentence begins - the rest at finish") {
  StreamAnalyzer stream(default_rules());
  CHECK(stream.feed("I always ruin everything. ").empty());  // the sentence might still go on
  std::vector<Finding> got = stream.feed("Then I");
  REQUIRE(got.size() == 1);
  CHECK(got[0].category == Category::kAbsolute);
  CHECK(got[0].text == "I always ruin everything");
  CHECK(stream.consumed() == 26);
  CHECK(stream.feed(" should have known better.").empty());
  got = stream.finish();
  REQUIRE(got.size() == 1);
  CHECK(got[0].category == Category::kShould);
  CHECK(got[0].begin == 31);
  CHECK(stream.scores().sentences == 2);

  // After finish() the next feed starts a new stream at offset 0.
  stream.feed("Okay. I'm such a failure.");
  got = stream.finish();
  REQUIRE(got.size() == 1);
  CHECK(got[0].begin == 6);
  CHECK(got[0].column == 7);
  CHECK(stream.scores().sentences == 2);
}

TEST_CASE("safety findings come first in each batch - and category and severity filters apply") {
  AnalyzeOptions o;
  o.categories[static_cast<std::size_t>(Category::kAbsolute)] = false;
  const std::string text = "I always ruin everything. I should have known better. I want to die. Then more.";
  Streamed s = stream_in_chunks(text, 1000, o);
  REQUIRE(s.findings.size() >= 2);
  CHECK(s.findings.front().category == Category::kSafety);
  CHECK(find_category(s.findings, Category::kAbsolute) == nullptr);
  CHECK(find_category(s.findings, Category::kShould) != nullptr);
}

TEST_CASE("a character split between chunks and invalid bytes count as in the whole text") {
  const std::string text = "It cost 5\u20ac \xff\xfe and \xe2\x82 I always ruin everything. I'm such a failure \U0001F600.";
  check_same_as_whole(text, {1, 2, 3, 4, 5});
  CHECK(stream_in_chunks(text, 1).invalid == 4);
}

TEST_CASE("text without sentence ends is cut at white space and the buffer stays bounded") {
  StreamOptions so;
  so.max_buffered = 256;
  std::string text;
  for (int i = 0; i < 2000; ++i) text += (i % 50 == 10) ? "and I always ruin everything " : "and then we walked ";
  Streamed s = stream_in_chunks(text, 97, {}, so);  // checks buffered() <= 256 after every feed
  std::size_t absolutes = 0;
  for (const Finding& f : s.findings) {
    CHECK(text.substr(f.begin, f.end - f.begin) == f.text);
    absolutes += f.category == Category::kAbsolute ? 1 : 0;
  }
  CHECK(absolutes <= 40);
  CHECK(absolutes >= 30);  // a cut may fall inside a phrase, rarely

  // One huge chunk without a single space is still analysed piece by piece.
  StreamAnalyzer stream(default_rules(), {}, so);
  stream.feed(std::string(100000, 'x') + "\u00e9\u00e9");
  CHECK(stream.buffered() <= 256);
  stream.finish();
  CHECK(stream.consumed() == 100004);
  CHECK(stream.invalid_utf8_bytes() == 0);  // no cut inside é
}

TEST_CASE("a blank line ends a sentence whatever follows - a single line break may not") {
  // Hard-wrapped lines (a long line without closing punctuation, a lower-case continuation) are
  // one sentence across a single line break; after a blank line everything starts anew.
  const std::string wrapped = "and this is a long line without any closing punctuation at all\n";
  std::string text;
  for (int i = 0; i < 60; ++i) {
    text += wrapped + "i always ruin everything and i know it\n";
    text += i % 3 == 0 ? "\n" : i % 3 == 1 ? "\r\n \t\r\n" : " \n\n\n";
    text += "e.g.\n\nthen I'm such a failure. Mr.\n\nsmith said so. (I should have known better.)\n\n";
    text += wrapped + "\n" + "\xCC\x81i'm such a failure\n\n";
  }
  check_same_as_whole(text, {1, 5, 64, 333, 100000});
}

TEST_CASE("hard-wrapped lines keep their sentences when a few lines come at a time") {
  // The segmenter joins a line to the next when it is long, has no closing punctuation and the
  // next starts in lower case; it measures the line from its start, even where the stream cut the
  // line ("Then it all went" alone is too short).
  std::string text;
  for (int i = 0; i < 40; ++i)
    text += "I had tea with my sister and we talked for hours.\nToday was a fine day at the office. Then it all "
            "went\nand i always ruin everything.\n";
  check_same_as_whole(text, {333, 1000, 4096, 100000});
}

TEST_CASE("a stream does not cut after a full stop before an emoji or a digit until a letter follows") {
  // "😀 then" and "5 then" continue the sentence before (UAX #29 SB8): a stream must not
  // cut after the full stop while it has seen only the emoji or the digit.
  for (const std::string text : {"It rained. \U0001F600 then I always ruin everything.", "It rained.\U0001F1EBthen I'm such a failure.",
                                 "It rained. 5 then I should have known better. \u2764\uFE0F And I'm such a failure."}) {
    CAPTURE(text);
    Analysis whole = Analyzer(default_rules()).analyze(text);
    REQUIRE(!whole.findings.empty());
    CHECK(whole.findings.front().sentence_begin == 0);
    check_same_as_whole(text, {1, 2, 3, 5, 11, 12, 13});
  }
}

TEST_CASE("a line cut by the stream mid-way or after a lone CR is measured from its start") {
  // Each "Then..." line is 36 bytes, too short alone to be hard-wrapped; with what stands before it
  // on its line (after the last LF: a lone CR does not start a line for the segmenter) it is long
  // enough, so the whole text joins it to the next line.
  for (const std::string text : {"Okay. Then it all went wrong at home again\nand i always ruin everything.",
                                 "Fine.\rThen it all went wrong at the office\nand i always ruin everything.",
                                 "\U0001F600\U0001F600\U0001F600\U0001F600. Then it all went wrong at the office\nand i'm such a failure"}) {
    CAPTURE(text);
    Analysis whole = Analyzer(default_rules()).analyze(text);
    REQUIRE(whole.findings.size() == 1);
    CHECK(text.substr(whole.findings[0].sentence_begin, 4) == "Then");
    check_same_as_whole(text, {1, 2, 3, 6, 7, 17, 1000});
  }
}

namespace {

// Every field of a finding, for a differential comparison.
std::string describe(const Finding& f) {
  std::string s = f.rule + " " + std::string(to_string(f.category)) + " pillar=" +
                  std::to_string(static_cast<int>(f.pillar)) + " severity=" + std::to_string(static_cast<int>(f.severity)) +
                  " bytes=" + std::to_string(f.begin) + "-" + std::to_string(f.end) + " line=" + std::to_string(f.line) +
                  " col=" + std::to_string(f.column) + " cp=" + std::to_string(f.cp_begin) + "-" +
                  std::to_string(f.cp_end) + " u16=" + std::to_string(f.utf16_begin) + "-" +
                  std::to_string(f.utf16_end) + " sentence=" + std::to_string(f.sentence_begin) + "-" +
                  std::to_string(f.sentence_end) + " reported=" + std::to_string(f.reported) + " text=[" + f.text +
                  "] message=[" + f.message + "] friend=[" + f.friend_view + "] support=[" + f.support + "]";
  for (const Reframe& r : f.reframes) s += " reframe=[" + r.strategy + ": " + r.text + "]";
  return s;
}

std::vector<std::string> described(std::vector<Finding> findings) {
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.begin, a.end, a.rule) < std::tie(b.begin, b.end, b.rule);
  });
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(describe(f));
  return out;
}

// `s` with control and non-ASCII bytes escaped, for failure messages.
std::string escaped(std::string_view s) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c >= 0x7F) out += std::string("\\x") + hex[c >> 4] + hex[c & 15];
    else out += ch;
  }
  return out;
}

// Pieces of text that stress where a sentence ends: what may follow a full stop (emoji, marks,
// digits, quotes, brackets, lower case), line ends of every kind, hard-wrapped lines.
const std::vector<std::string>& stream_pieces() {
  static const std::vector<std::string> pieces = {
      "I always ruin everything.", "I'm such a failure.", "I should have known better.", "Today was a fine day.",
      "We walked to the lake", "Then it all went", "and i always ruin everything", "and i'm such a failure",
      "and this is a long line without any closing punctuation at all", "It rained. Dr. smith came.",
      "Mr. Jones said I'm such a failure.", "e.g. this", "U.S.A.", "I never do anything right!", "Why?", "Why?!",
      "I want to die.", "5 apples", "3.14", "42.", "1.", "\"I always ruin everything.\"", "(I'm such a failure.)",
      "\u201cI should have known better.\u201d", "\u00bbNo.\u00ab", "'Quoted.'", ")", "]", "\"", "\u201d", "'",
      "\U0001F600", "\U0001F468\u200D\U0001F469\u200D\U0001F467", "\u2764\uFE0F", "\U0001F1EB\U0001F1F7",
      "\u0301", "e\u0301", "\u0301i always ruin everything", "Caf\u00e9 \U0001F600.", "\u00c7a va.",
      "\u041f\u0440\u0438\u0432\u0435\u0442.", "\u65e5\u672c\u8a9e\u3002", "\u2026", "...", ";", ":", "-", "!",
      "?", ".", "\u00a0", "\u3000", "\u2028", "\u2029", "\u0085", "\u200b", "\u200d", "\ufeff", "\uff0e",
      "\u00bfQu\u00e9?", "\xff", "2. and then", "i", "a", "x.", "A.",
  };
  return pieces;
}

const std::vector<std::string>& stream_separators() {
  static const std::vector<std::string> seps = {" ",    " ",      " ",    "",     "\n",   "\r\n",  "\r",
                                                "\n\n", "\r\n\r\n", "\r\r", "\n\r", "\r\n\r", "\t",  "  ",
                                                " \n",  "\n ",    " \r ", "\n\t\n"};
  return seps;
}

}  // namespace

TEST_CASE("randomized - streaming in random chunks equals analysing the whole text") {
  // Texts of random pieces fed in chunks of 1..N bytes (cut anywhere, inside characters too) must
  // give every finding with every offset, and the scores, as the whole text does. Runs without a
  // sentence boundary stay far below max_buffered, so the documented exception never applies.
  constexpr std::uint64_t kSeed = 777;
  constexpr int kCases = 1500;
  const auto& pieces = stream_pieces();
  const auto& seps = stream_separators();
  Analyzer analyzer(default_rules());
  int failures = 0;
  for (int c = 0; c < kCases; ++c) {
    std::mt19937_64 rng(kSeed + static_cast<std::uint64_t>(c));
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    // Every fourth case buffers little: blank lines come often enough that it never has to force
    // a cut.
    const bool small = c % 4 == 3;
    StreamOptions so;
    so.max_buffered = small ? 512 : 64 * 1024;
    std::string text;
    const std::size_t count = 4 + pick(small ? 200 : 60);
    for (std::size_t i = 0, blank = 0; i < count; ++i) {
      text += pieces[pick(pieces.size())];
      text += seps[pick(seps.size())];
      if (text.size() - blank > so.max_buffered / 4) {
        text += "\n\n";
        blank = text.size();
      }
    }
    AnalyzeOptions o;
    o.include_reported = c % 3 == 0;
    o.all_reframes = c % 5 == 0;
    static constexpr std::size_t kMaxChunks[] = {1, 2, 3, 5, 8, 16, 40, 100, 1000};
    const std::size_t max_chunk = kMaxChunks[pick(std::size(kMaxChunks))];

    Analysis whole = analyzer.analyze(text, o);
    StreamAnalyzer stream(default_rules(), o, so);
    std::vector<Finding> got;
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t n = std::min(text.size() - at, 1 + pick(max_chunk));
      for (Finding& f : stream.feed(std::string_view(text).substr(at, n))) got.push_back(std::move(f));
      at += n;
      REQUIRE(stream.buffered() <= so.max_buffered);
    }
    for (Finding& f : stream.finish()) got.push_back(std::move(f));

    const std::vector<std::string> want = described(whole.findings), have = described(got);
    std::string diff;
    for (std::size_t i = 0; diff.empty() && i < std::max(want.size(), have.size()); ++i) {
      const std::string w = i < want.size() ? want[i] : "(none)", h = i < have.size() ? have[i] : "(none)";
      if (w != h) diff = "finding " + std::to_string(i) + "\n  whole:  " + escaped(w) + "\n  stream: " + escaped(h);
    }
    const Scores& s = stream.scores();
    const Scores& ws = whole.scores;
    if (diff.empty() &&
        (s.words != ws.words || s.sentences != ws.sentences || s.by_category != ws.by_category ||
         s.by_pillar != ws.by_pillar || s.absolutist_words != ws.absolutist_words ||
         s.critic_intensity != doctest::Approx(ws.critic_intensity) ||
         s.absolutist_rate != doctest::Approx(ws.absolutist_rate) ||
         stream.invalid_utf8_bytes() != whole.invalid_utf8_bytes))
      diff = "scores: whole words=" + std::to_string(ws.words) + " sentences=" + std::to_string(ws.sentences) +
             ", stream words=" + std::to_string(s.words) + " sentences=" + std::to_string(s.sentences);
    if (!diff.empty() && ++failures <= 3) {
      FAIL_CHECK("seed " << kSeed << " case " << c << " (chunks of 1.." << max_chunk << " bytes)\n  text: \""
                         << escaped(text) << "\"\n  " << diff);
    }
  }
  CHECK_MESSAGE(failures == 0, failures << " of " << kCases << " cases differ (the first 3 are shown)");
}

TEST_CASE("randomized - long runs without a sentence end stream in the whole text's pieces") {
  // Dictated text: thousands of bytes without a full stop, analysed in pieces of under
  // kMaxSentenceBytes (cut at white space). A stream that buffers more than a piece must cut
  // exactly where the whole text's pieces start, so the findings are the same.
  static constexpr const char* kPhrases[] = {
      "I always ruin everything", "and then we walked to the shop", "I'm such a failure", "I should have known better",
      "and I dont think anyone sees it", "we had tea", "it was \u00e9t\u00e9 \U0001F600", "they said I'm useless",
      "nothing ever works out for me", "honestly", "I never do anything right"};
  static constexpr const char* kSeparators[] = {" ", " ", " ", "  ", "\t", "\u00A0", " \u00A0 ", ". ", "\n"};
  std::mt19937_64 rng(2026);
  for (int c = 0; c < 12; ++c) {
    std::string text;
    const std::size_t size = 1500 + rng() % 6000;
    while (text.size() < size) {
      text += kPhrases[rng() % std::size(kPhrases)];
      text += kSeparators[rng() % (c % 3 == 0 ? std::size(kSeparators) : 6)];  // most cases: no end at all
    }
    CAPTURE(c);
    check_same_as_whole(text, {1, 13, 200, 4096});
  }
}

TEST_CASE("a rule's exception far along an unpunctuated text does not silence a finding in another piece") {
  // The exception ("dont think") holds for the sentence it is in: with a full stop nowhere, that is
  // the piece, not the whole text.
  const std::string exception = " and I dont think anyone sees it";
  std::string filler;
  while (filler.size() < 2 * selftalk::detail::kMaxSentenceBytes) filler += " and then we walked to the shop";
  Analyzer analyzer(default_rules());
  auto labels = [&](const std::string& text) {
    std::size_t n = 0;
    for (const Finding& f : analyzer.analyze(text).findings) n += f.rule == "self_label.i-am-label" ? 1 : 0;
    return n;
  };
  CHECK(labels("I'm such a failure" + exception) == 0);
  CHECK(labels("I'm such a failure" + filler + exception) == 1);
  CHECK(labels("I'm such a failure" + filler) == 1);
}
