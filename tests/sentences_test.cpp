// Sentences are the unit of analysis: the fast path for lines of plain ASCII must split them
// exactly where ICU's sentence break rules do, in any mix with lines ICU splits itself.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "corpus_texts.h"
#include "generator.h"
#include "text.h"

namespace {

using Spans = std::vector<std::pair<std::size_t, std::size_t>>;

Spans spans_of(selftalk::detail::Segmenter& seg, std::string_view text, bool icu_only) {
  std::vector<selftalk::detail::Span> out;
  if (icu_only) seg.sentences_icu(text, out);
  else seg.sentences(text, out);
  Spans s;
  for (const auto& span : out) s.emplace_back(span.begin, span.end);
  return s;
}

Spans fast(selftalk::detail::Segmenter& seg, std::string_view text) { return spans_of(seg, text, false); }
Spans icu(selftalk::detail::Segmenter& seg, std::string_view text) { return spans_of(seg, text, true); }

std::string show(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c == '\f') out += "\\f";
    else if (c == '\v') out += "\\v";
    else out += c;
  }
  return out;
}

}  // namespace

TEST_CASE("sentences: the fast path splits like ICU on hand-picked cases") {
  selftalk::detail::Segmenter seg("en");
  for (std::string_view text :
       {"I always ruin everything. I should have known better!", "Mr. Smith went home. He said hi.",
        "e.g. this one. etc. and so on", "3.14 is pi. Yes! 1.5 and .5", "He said \"Stop.\" Then he left.",
        "Wait... what?! (yes.) No. (Fine.) ok", "U.S.A. is big. The U.S. government.", "end.\nNext line",
        "a.\r\nb. c", "lone\rCR. x", "x.) Y", "etc.: fine", "Hi!, ok", "...", "a. 1. b", "tab.\tNext\fform.\vfeed",
        "no end", "  spaced .  out  ", "\"Quoted!\" she said. 'Single.' Done", "[Bracket.] {Brace.} x",
        "Why? because. Why? Because.", "a.b.c. D", "A.B. c", "x.-y", "x. - y", "x.; y", "#1. @home. $5.",
        "caf\u00e9. Ok.\nplain. Text.\n\u201CQuoted.\u201D Next.\nmore. Here", "\u00c4rger. Fine.\r\nOK. yes\rno. NO",
        "\u0301start. e.\u0301g. x.\u00AD Y", "end.\n\u0301Next", "\u00ABQuoted.\u00BB Next", "Done\u3002Next\u3002",
        "Why\u203C Ok. \u00DFtra\u00DFe. Done", "a.\u2029b. c\u0085d"}) {
    CAPTURE(show(text));
    CHECK(fast(seg, text) == icu(seg, text));
  }
}

TEST_CASE("sentences: the fast path splits like ICU on the corpus and a generated journal") {
  selftalk::detail::Segmenter seg("en");
  std::vector<std::string> texts = selftalk::test::corpus_texts();
  texts.push_back(selftalk::bench::generate_journal(300'000));
  std::size_t sentences = 0;
  for (const std::string& t : texts) {
    const Spans a = fast(seg, t), b = icu(seg, t);
    CHECK(a == b);
    sentences += b.size();
  }
  CHECK(sentences > 5'000);
}

#ifndef SENTENCES_ROUNDS
#define SENTENCES_ROUNDS 30000
#endif

TEST_CASE("sentences: the fast path splits like ICU on random strings of tricky characters") {
  selftalk::detail::Segmenter seg("en");
  // Every ASCII sentence break class, some twice; then characters only ICU handles (other
  // classes, separators, combining marks, CJK full stop), which must not change ASCII lines.
  static constexpr const char* kAscii[] = {"a", "z", "Z", "B", "7", "0", ".", ".", "!", "?", ",", ";", ":", "-",
                                           "\"", "'", "(", ")", "[", "]", "{", "}", " ", " ", "\t", "\n", "\r",
                                           "\r\n", "\f", "\v", "Word", "e.g.", "#", "_", "/", "\x01", "\x7f"};
  static constexpr const char* kOther[] = {
      "\u00e9", "\u201C", "\u201D", "\u2029", "\u2028", "\u0085", "\u0301", "\U0001F600", "\u00A0", "\u3002",
      "\u00C4", "\u00AD", "\u2019", "\u05D0", "\u00AB", "\u00BB", "\u203C", "\u061F", "\u3001", "\uFF0C",
      "\u200D", "\uFE0F", "\u01C5", "\u00DF", "\u00AA", "\u0663", "\u2024", "\uFE52", "\u2060", "\u3000",
      "\U0001F44D\U0001F3FD", "\u0915\u094D", "\uFF0E", "\uFF01", "\u2E2E", "\u00B7"};
  constexpr std::size_t kAsciiCount = sizeof kAscii / sizeof kAscii[0];
  constexpr std::size_t kOtherCount = sizeof kOther / sizeof kOther[0];
  std::uint64_t state = 20261122;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(state >> 33);
  };
  std::size_t differ = 0;
  for (int round = 0; round < SENTENCES_ROUNDS; ++round) {
    std::string text;
    const bool mixed = round % 2 == 1;
    // Every fourth text long, mostly words and spaces: runs of 16 bytes and more with no break
    // class, which the fast path passes over sixteen at a time.
    const bool long_runs = round % 4 == 3;
    const std::size_t len = long_runs ? 20 + next() % 120 : 1 + next() % 16;
    for (std::size_t k = 0; k < len; ++k) {
      if (long_runs && next() % 3 != 0) text += next() % 2 == 0 ? "Word" : " ";
      else if (mixed && next() % 5 == 0) text += kOther[next() % kOtherCount];
      else text += kAscii[next() % kAsciiCount];
    }
    if (fast(seg, text) != icu(seg, text)) {
      if (++differ <= 5) FAIL_CHECK("differs on: \"" << show(text) << "\"");
    }
  }
  CHECK(differ == 0);
}

TEST_CASE("sentences: the fast path splits like ICU around every character of two and of E2 80-81 bytes") {
  // Their classes come from a table of ICU's data built once (U+0080-U+07FF, U+2000-U+207F), not
  // from ICU per character: each, next to a terminator, between words, before a lower-case
  // letter, at a line's end.
  selftalk::detail::Segmenter seg("en");
  auto utf8 = [](char32_t cp) {
    std::string s;
    if (cp < 0x800) {
      s += static_cast<char>(0xC0 | cp >> 6);
    } else {
      s += static_cast<char>(0xE0 | cp >> 12);
      s += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    }
    s += static_cast<char>(0x80 | (cp & 0x3F));
    return s;
  };
  std::size_t differ = 0, texts = 0;
  for (char32_t cp = 0x80; cp < 0x2080; ++cp) {
    if (cp == 0x800) cp = 0x2000;
    const std::string x = utf8(cp);
    for (const std::string& text : {"Hi. " + x + "x a.", "Word." + x + " Next one.", "A" + x + ". b c. D.", "e.g." + x + " we",
                                    "so " + x + "\nand", "Stop!" + x + "? " + x + " Go.", x + " Yes. No " + x + " x."}) {
      ++texts;
      if (fast(seg, text) != icu(seg, text) && ++differ <= 5) FAIL_CHECK("differs on: \"" << show(text) << "\"");
    }
  }
  CHECK(differ == 0);
  CHECK(texts > 10000);
}

TEST_CASE("sentences: a language whose rules ICU tailors is split by ICU - English by hand") {
  // ICU's Greek rules end a sentence at ';' (the Greek question mark); the untailored rules do not.
  const std::string text = "\u03A4\u03B9 \u03BA\u03AC\u03BD\u03B5\u03B9\u03C2; \u039A\u03B1\u03BB\u03AC. Is it; yes";
  selftalk::detail::Segmenter greek("el"), english("en-GB");
  CHECK(fast(greek, text) == icu(greek, text));
  CHECK(fast(greek, text).size() == 4);
  CHECK(fast(english, text) == icu(english, text));
  CHECK(fast(english, text).size() == 2);
}

namespace {

// A text without sentence ends: words joined by runs of white space (one or more of ' ', '\t',
// NBSP), with the runs recorded. Words are 1..maxword letters, sometimes much longer.
struct Soup {
  std::string text;
  std::vector<std::pair<std::size_t, std::size_t>> runs;  // white space runs, in order
};

Soup soup(std::uint64_t seed, std::size_t bytes) {
  std::uint64_t state = seed;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(state >> 33);
  };
  Soup s;
  while (s.text.size() < bytes) {
    const std::size_t word = next() % 40 == 0 ? 300 + next() % 900 : 1 + next() % 12;
    for (std::size_t i = 0; i < word; ++i) s.text += static_cast<char>('a' + next() % 26);
    const std::size_t begin = s.text.size();
    for (std::size_t k = 0, n = 1 + (next() % 6 == 0 ? next() % 3 : 0); k < n; ++k)
      s.text += next() % 7 == 0 ? "\t" : next() % 9 == 0 ? "\u00A0" : " ";
    s.runs.emplace_back(begin, s.text.size());
  }
  s.text += "end";
  return s;
}

// The pieces kMaxSentenceBytes describes, worked out from the recorded runs alone.
Spans expected_pieces(const Soup& s) {
  constexpr std::size_t kMax = selftalk::detail::kMaxSentenceBytes;
  Spans out;
  std::size_t p = 0;
  const std::size_t end = s.text.size();
  while (end - p >= kMax) {
    const std::pair<std::size_t, std::size_t>* cut = nullptr;
    for (const auto& run : s.runs) {
      if (run.first <= p) continue;
      if (run.first < p + kMax) {
        cut = &run;  // the last run starting in the window...
        continue;
      }
      if (cut == nullptr) cut = &run;  // ... or, with none there, the first after it
      break;
    }
    if (cut == nullptr) break;
    out.emplace_back(p, cut->first);
    p = cut->second;
  }
  out.emplace_back(p, end);
  return out;
}

}  // namespace

TEST_CASE("sentences: a sentence of kMaxSentenceBytes or more is taken in pieces cut at white space") {
  selftalk::detail::Segmenter seg("en");
  std::size_t pieces = 0, long_words = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const Soup s = soup(seed, 300 + seed * 250);
    CAPTURE(seed);
    const Spans want = expected_pieces(s);
    CHECK(fast(seg, s.text) == want);
    CHECK(icu(seg, s.text) == want);
    pieces += want.size();
    for (const auto& [b, e] : want) long_words += e - b > selftalk::detail::kMaxSentenceBytes ? 1 : 0;
  }
  CHECK(pieces > 200);
  CHECK(long_words > 0);  // a window without white space: the piece ends at the first after it

  // Shorter sentences, and text without any white space, are left whole.
  const std::string short_one = "I always ruin everything and " + std::string(400, 'x') + " then I stop.";
  CHECK(fast(seg, short_one) == Spans{{0, short_one.size()}});
  const std::string no_space(5000, 'x');
  CHECK(fast(seg, no_space) == Spans{{0, no_space.size()}});
  // A sentence end still ends the last piece, and the next sentence starts afresh.
  const std::string mixed = std::string(300, 'a') + " " + std::string(300, 'b') + ". Next one.";
  CHECK(fast(seg, mixed) == Spans{{0, 300}, {301, 602}, {603, mixed.size()}});
}

TEST_CASE("sentences: the first pieces of a long sentence do not change with the text after them") {
  // What lets a stream analyse a long sentence piece by piece: the text up to the start of any
  // piece splits into exactly the pieces before it.
  selftalk::detail::Segmenter seg("en");
  std::size_t checked = 0;
  for (std::uint64_t seed = 100; seed < 130; ++seed) {
    const Soup s = soup(seed, 6000);
    const Spans all = fast(seg, s.text);
    for (std::size_t k = 1; k < all.size(); ++k) {
      CAPTURE(seed);
      CAPTURE(k);
      const Spans head = fast(seg, std::string_view(s.text).substr(0, all[k].first));
      CHECK(head == Spans(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k)));
      ++checked;
    }
  }
  CHECK(checked > 200);
}

TEST_CASE("sentences: each is trimmed of the white space around it - CRLF and lone CR and Unicode spaces") {
  // A sentence's span starts and ends at a character that is not white space: the ASCII ones,
  // NBSP, U+2028/2029, U+3000, U+FEFF and U+200B.
  auto ends_in_space = [](std::string_view s, bool at_end) {
    for (std::string_view sp : {" ", "\t", "\n", "\r", "\f", "\v", "\u00A0", "\u2028", "\u2029", "\u3000", "\uFEFF", "\u200B"})
      if (s.size() >= sp.size() && (at_end ? s.substr(s.size() - sp.size()) : s.substr(0, sp.size())) == sp) return true;
    return false;
  };
  const std::string journal = selftalk::bench::generate_journal(20'000);
  std::string crlf, cr, spaced;
  for (char c : journal) {
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    cr += c == '\n' ? '\r' : c;
    spaced += c == '\n' ? std::string(" \u00A0\n\u3000") : std::string(1, c);
  }
  selftalk::detail::Segmenter seg("en");
  std::size_t checked = 0;
  for (const std::string& text : {journal, crlf, cr, spaced, std::string("I fail.\r\n\r\nI fail.\u2028 I fail. \u200B\t")}) {
    for (const auto& [b, e] : fast(seg, text)) {
      const std::string_view s = std::string_view(text).substr(b, e - b);
      CAPTURE(show(s));
      CHECK_FALSE(s.empty());
      CHECK_FALSE(ends_in_space(s, false));
      CHECK_FALSE(ends_in_space(s, true));
      ++checked;
    }
  }
  CHECK(checked > 1000);
}
