// Word counts feed the scores (words, critic intensity, absolutist rate): the fast path for plain
// Latin text must find exactly the words ICU's word break rules find.
#include <doctest/doctest.h>

#include <unicode/uchar.h>

#include <cstdint>

#include "corpus_texts.h"
#include "generator.h"
#include "text.h"

namespace {

using Words = std::vector<std::pair<std::size_t, std::size_t>>;

Words fast(selftalk::detail::Segmenter& seg, std::string_view text) {
  Words w;
  seg.words(text, [&](std::size_t b, std::size_t e) { w.emplace_back(b, e); });
  return w;
}

Words by_icu(selftalk::detail::Segmenter& seg, std::string_view text) {
  Words w;
  seg.words_icu(text, [&](std::size_t b, std::size_t e) { w.emplace_back(b, e); });
  return w;
}

}  // namespace

TEST_CASE("words: the fast path splits like ICU on hand-picked cases") {
  selftalk::detail::Segmenter seg("en");
  for (std::string_view text :
       {"I can't do this.", "e.g. U.S.A. 3.14 1,000 a.b 1;2 a;b", "snake_case __ _x x_ 1_000", "don’t ’quoted’ ’",
        "café naïve Ærø ×÷ a×b", "wait... what?! (yes) \"no\" -- dash-word", "one\ttwo\nthree\r\nfour",
        "“quoted” — and … fine", "ratio 3:2 and 10:30", "me@example.com @ a@ @b", "emoji 😀 and 👍🏽 ok", "a'b' 'a' a''b a..b 1..2 1.a a.1"}) {
    CAPTURE(text);
    CHECK(fast(seg, text) == by_icu(seg, text));
  }
}

TEST_CASE("words: the fast path splits like ICU on the corpus and a generated journal") {
  selftalk::detail::Segmenter seg("en");
  std::vector<std::string> texts = selftalk::test::corpus_texts();
  texts.push_back(selftalk::bench::generate_journal(300'000));
  std::size_t words = 0;
  for (const std::string& t : texts) {
    const Words a = fast(seg, t), b = by_icu(seg, t);
    CHECK(a == b);
    words += b.size();
  }
  CHECK(words > 50'000);
}

TEST_CASE("words: the count is every word - a sieve reports exactly the words it admits") {
  using Sieve = selftalk::detail::Segmenter::WordSieve;
  constexpr std::uint32_t kOther = selftalk::detail::Segmenter::kOtherSecond;
  auto letter = [](char c) { return 1U << (c - 'a'); };
  Sieve sieve{};
  sieve['a'] = letter('l');                 // "al..." in lower case only
  sieve['E'] = letter('v') | letter('n');   // "Ev...", "En...", either case after the first
  sieve['n'] = sieve['N'] = kOther | letter('e');
  sieve['1'] = kOther;                      // "1" alone, or a digit or anything but a letter after it
  sieve[0xC3] = kOther;                     // é, Æ, ...
  // The test's own reading of the sieve, for a word text[b, e).
  auto admitted = [&](std::string_view text, std::size_t b, std::size_t e) {
    std::uint32_t bit = kOther;
    if (e - b > 1) {
      const auto c = static_cast<unsigned char>(text[b + 1]);
      if (c >= 'a' && c <= 'z') bit = 1U << (c - 'a');
      else if (c >= 'A' && c <= 'Z') bit = 1U << (c - 'A');
    }
    return (sieve[static_cast<unsigned char>(text[b])] & bit) != 0;
  };
  selftalk::detail::Segmenter seg("en");
  std::vector<std::string> texts = selftalk::test::corpus_texts();
  texts.push_back(selftalk::bench::generate_journal(100'000));
  texts.push_back("ALWAYS aLways Always all ALL EVERY every EVER eNough n No NEVER 1 12 1a 1.5 1st Ærø éa café Éa");
  std::size_t reported = 0;
  for (const std::string& t : texts) {
    const Words all = fast(seg, t);
    CHECK(seg.words(t, [](std::size_t, std::size_t) {}) == all.size());
    CHECK(seg.words_icu(t, [](std::size_t, std::size_t) {}) == all.size());
    Words want;
    for (const auto& [b, e] : all)
      if (admitted(t, b, e)) want.emplace_back(b, e);
    Words got;
    CHECK(seg.words(t, sieve, [&](std::size_t b, std::size_t e) { got.emplace_back(b, e); }) == all.size());
    CHECK(got == want);
    reported += got.size();
  }
  CHECK(reported > 500);
}

#ifndef WORDS_ROUNDS
#define WORDS_ROUNDS 20000
#endif
constexpr int kRounds = WORDS_ROUNDS;

TEST_CASE("words: the fast path splits like ICU on random strings of tricky characters") {
  selftalk::detail::Segmenter seg("en");
  // Pictographs and symbols the fast path calls Other, next to what joins them (ZWJ, U+FE0F, a
  // skin tone), squared letters (ALetter, left to ICU) and a regional indicator.
  static constexpr const char* kPieces[] = {"a", "Z", "é", "7", "0", ".", ",", ";", ":", "'", "\u2019", "_",
                                            " ", "-", "!", "\u201C", "\u2014", "\u2026", "\n", "x", "\u00D7",
                                            "\u0301", "😀", "\u2018", "?", ")", "\"", "word", "Ok", "€", "☕",
                                            "\u2764", "\uFE0F", "\u200D", "\U0001F3FD", "👍", "\U0001F170",
                                            "\U0001F1EC", "\U0001FAE0", "\U0001F3FA"};
  std::uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(state >> 33);
  };
  for (int round = 0; round < kRounds; ++round) {
    std::string text;
    const std::size_t len = 1 + next() % 12;
    for (std::size_t k = 0; k < len; ++k) text += kPieces[next() % (sizeof kPieces / sizeof kPieces[0])];
    const Words a = fast(seg, text), b = by_icu(seg, text);
    if (a != b) {
      FAIL_CHECK("differs on: \"" << text << "\"");
      break;
    }
  }
}

TEST_CASE("words: the plain lane splits like ICU on long random texts of every ASCII mark") {
  // Texts of several 64-byte windows, mostly words (with accents and digits) and white space, then
  // every printable ASCII mark, then other characters, some of which the lane takes (’ “ — … € ☕
  // À-ÿ) and some not, so that it takes most windows and stops at what it does not take.
  selftalk::detail::Segmenter seg("en");
  const std::vector<std::string> words = {"a", "I", "word", "Ok", "don", "t", "e", "g", "café", "Zoë", "ÀÖØöøÿ", "3", "10", "1st",
                                          " ", " ", "  ", "\n", "\t", "\r\n", "\f", "\v"};
  std::vector<std::string> marks;
  for (char c = '!'; c <= '~'; ++c)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) marks.emplace_back(1, c);
  const std::vector<std::string> others = {"\u2019", "\u2018", "\u201C", "\u201D", "\u2013", "\u2014", "\u2026", "\u2024",
                                           "€", "☕", "\u2764", "\u27BF", "\u2800", "\uFE0F", "é", "\u00D7", "\u00F7", "\u00BF",
                                           "\u0100", "😀", "\u200D", "\u0301", "\u00A0", "\u2022", "\u20AD", "\x7F", "\x01"};
  std::uint64_t state = 777;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(state >> 33);
  };
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& { return v[next() % v.size()]; };
  std::size_t bytes = 0;
  for (int round = 0; round < kRounds / 10; ++round) {
    std::string text;
    const std::size_t len = 20 + next() % 300;
    for (std::size_t k = 0; k < len; ++k) {
      const std::size_t r = next() % 100;
      text += r < 75 ? pick(words) : r < 95 ? pick(marks) : pick(others);
    }
    bytes += text.size();
    const Words a = fast(seg, text), b = by_icu(seg, text);
    if (a != b) {
      FAIL_CHECK("differs on: \"" << text << "\"");
      break;
    }
  }
  CHECK(bytes > static_cast<std::size_t>(kRounds / 10) * 200);
}

TEST_CASE("words: the characters the fast path calls Other are Other to ICU") {
  // Its table of classes (lib/src/text.cpp, word_class) for the symbols and pictographs it knows:
  // one wrong entry would count a word ICU does not, or split one it joins.
  selftalk::detail::Segmenter seg("en");
  std::size_t checked = 0;
  for (const auto& [first, last] : {std::pair<char32_t, char32_t>{0x20AC, 0x20AC}, {0x2600, 0x27BF},
                                    {0x1F300, 0x1F3FA}, {0x1F400, 0x1FAFF}}) {
    for (char32_t cp = first; cp <= last; ++cp) {
      INFO("U+" << std::hex << static_cast<std::uint32_t>(cp));
      CHECK(u_getIntPropertyValue(static_cast<UChar32>(cp), UCHAR_WORD_BREAK) == U_WB_OTHER);
      std::string text = "ab";
      char buf[4];
      std::size_t n = 0;
      if (cp < 0x10000) {
        buf[0] = static_cast<char>(0xE0 | cp >> 12);
        buf[1] = static_cast<char>(0x80 | (cp >> 6 & 0x3F));
        buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
        n = 3;
      } else {
        buf[0] = static_cast<char>(0xF0 | cp >> 18);
        buf[1] = static_cast<char>(0x80 | (cp >> 12 & 0x3F));
        buf[2] = static_cast<char>(0x80 | (cp >> 6 & 0x3F));
        buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
        n = 4;
      }
      text.append(buf, n);
      text += "7.5";
      text.append(buf, n);
      CHECK(fast(seg, text) == by_icu(seg, text));
      ++checked;
    }
  }
  CHECK(checked > 2000);
}
