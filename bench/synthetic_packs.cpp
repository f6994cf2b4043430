#include "synthetic_packs.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

namespace selftalk::bench {
namespace {

struct Swap {
  std::string_view word;
  std::string_view alternatives;  // separated by '|'
};

// The n-th (modulo their count) of the '|'-separated alternatives.
std::string_view nth(std::string_view alternatives, std::size_t n) {
  std::vector<std::string_view> all;
  for (std::size_t at = 0;;) {
    std::size_t bar = alternatives.find('|', at);
    all.push_back(alternatives.substr(at, bar - at));
    if (bar == std::string_view::npos) break;
    at = bar + 1;
  }
  return all[n % all.size()];
}

// Words that rule patterns use, with alternatives a pack author might have written instead.
constexpr std::array<Swap, 27> kSwaps{{
    {"always", "usually|constantly|invariably|forever|often"},
    {"never", "rarely|seldom|hardly ever"},
    {"everything", "anything|all of it|every bit"},
    {"nothing", "none of it|not one thing|zero"},
    {"failure", "flop|letdown|wreck"},
    {"idiot", "fool|clown|dunce"},
    {"stupid", "dim|thick|dense"},
    {"should", "could|would"},
    {"ruin", "wreck|spoil|botch"},
    {"ruined", "wrecked|spoiled|botched"},
    {"luck", "chance|fortune"},
    {"lucky", "fortunate|blessed"},
    {"perfect", "flawless|ideal"},
    {"better", "greater|finer"},
    {"mess", "shambles|muddle"},
    {"want", "need|long"},
    {"nice", "sweet|kind"},
    {"count", "matter|register"},
    {"anyone", "anybody|any person"},
    {"only", "merely|purely"},
    {"just", "simply|merely"},
    {"right", "well|correctly"},
    {"known", "guessed|seen"},
    {"enough", "sufficient|adequate"},
    {"whole", "entire|complete"},
    {"passed", "cleared|survived"},
    {"got", "received|landed"},
}};

constexpr std::array<std::string_view, 12> kSyllables{"bra", "flo", "quin", "dre", "vax", "tul",
                                                      "mir", "zon", "pev", "kri", "sol", "gax"};

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_letter(char c) { return is_lower(c) || (c >= 'A' && c <= 'Z'); }

// A made-up word that no journal contains, unique for (k, n).
std::string nonce(std::size_t k, std::size_t n) {
  std::string w = "zy";
  for (std::size_t v = k * 131 + n; ; v /= kSyllables.size()) {
    w += kSyllables[v % kSyllables.size()];
    if (v < kSyllables.size()) break;
  }
  return w;
}

}  // namespace

std::string vary_pattern(const std::string& pattern, std::size_t k) {
  std::string out;
  out.reserve(pattern.size() + 48);
  std::size_t swapped = 0;
  for (std::size_t i = 0; i < pattern.size();) {
    if (!is_letter(pattern[i])) {
      out += pattern[i++];
      continue;
    }
    std::size_t end = i;
    while (end < pattern.size() && is_letter(pattern[end])) ++end;
    std::size_t word = i;
    const char before = i > 0 ? pattern[i - 1] : '\0';
    if (before == '\\') ++word;  // \b, \s, \p: an escape, not a word
    const bool literal = before != '{' && before != '<' && before != '?' && before != '-';
    std::string_view w(pattern.data() + word, end - word);
    out.append(pattern, i, word - i);
    bool done = false;
    if (literal && !w.empty() && std::all_of(w.begin(), w.end(), is_lower)) {
      for (const Swap& s : kSwaps) {
        if (s.word != w) continue;
        out += nth(s.alternatives, k - 1 + swapped);
        ++swapped;
        done = true;
        break;
      }
    }
    if (!done) out += w;
    i = end;
  }
  return "(?:" + out + ")|\\bi\\s+" + nonce(k, pattern.size()) + "\\s+" + nonce(k + 7, swapped) + "\\b";
}

std::vector<RulePack> scale_packs(std::vector<RulePack> packs, std::size_t factor) {
  for (RulePack& pack : packs) {
    const std::size_t originals = pack.rules.size();
    pack.rules.reserve(originals * factor);
    for (std::size_t k = 1; k < factor; ++k) {
      for (std::size_t r = 0; r < originals; ++r) {
        RuleSpec variant = pack.rules[r];
        variant.id += ".x" + std::to_string(k);
        for (Located& p : variant.patterns) p.text = vary_pattern(p.text, k);
        variant.match_examples.clear();
        variant.no_match_examples.clear();
        pack.rules.push_back(std::move(variant));
      }
    }
  }
  return packs;
}

}  // namespace selftalk::bench
