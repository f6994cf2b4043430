#include "selftalk/person.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

namespace selftalk {
namespace {

constexpr std::string_view kCurlyApostrophe = "\xE2\x80\x99";

enum class Kind : std::uint8_t {
  kOther,
  kI,             // I, i
  kIContraction,  // I'm, I've, I'd, I'll
  kIm,            // im (informal I'm)
  kIve,           // ive (informal I've)
  kMe,
  kMy,
  kMine,
  kMyself,
  kAm,
  kWas,
  kWasnt,      // wasn't
  kWasntBare,  // wasnt
};

// A maximal run of word characters: ASCII letters and digits, Latin, Greek
// and Cyrillic letters, and apostrophes between two of those.
struct Token {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string key;  // lowercase, apostrophes as '\''; set only for short pure-ASCII words
  Kind kind = Kind::kOther;
  bool eligible = false;  // only ASCII letters/apostrophes, not glued to '.', '/', ...
  bool curly = false;
  bool has_digit = false;
  bool has_lower = false;
  bool upper_first = false;
  int letters = 0;
  bool linked = false;  // am/was agreeing with a subject I
};

enum class Gap : std::uint8_t { kPlain, kComma, kBlock };

bool is_letter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_alnum(unsigned char c) { return is_letter(c) || is_digit(c); }
bool is_blank(unsigned char c) { return c == ' ' || c == '\t'; }
bool is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
bool is_terminator(unsigned char c) { return c == '.' || c == '!' || c == '?' || c == '\n'; }

unsigned char at(std::string_view s, std::size_t i) {
  return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}

// Byte length of a non-ASCII letter (U+00C0-U+053F except x and division
// sign, or U+1E00-U+1EFF) starting at i, else 0.
std::size_t foreign_letter_len(std::string_view s, std::size_t i) {
  const unsigned char c = at(s, i);
  const unsigned char c1 = at(s, i + 1);
  if (c >= 0xC3 && c <= 0xD4 && (c1 & 0xC0) == 0x80) {
    if (c == 0xC3 && (c1 == 0x97 || c1 == 0xB7)) return 0;
    return 2;
  }
  if (c == 0xE1 && c1 >= 0xB8 && c1 <= 0xBB && (at(s, i + 2) & 0xC0) == 0x80) return 3;
  return 0;
}

std::size_t word_char_len(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  return is_alnum(at(s, i)) ? 1 : foreign_letter_len(s, i);
}

std::size_t apostrophe_len(std::string_view s, std::size_t i) {
  if (at(s, i) == '\'') return 1;
  return s.substr(std::min(i, s.size()), 3) == kCurlyApostrophe ? 3 : 0;
}

bool one_of(std::string_view key, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), key) != words.end();
}

Kind classify(std::string_view key) {
  if (key == "i") return Kind::kI;
  if (key == "im") return Kind::kIm;
  if (key == "ive") return Kind::kIve;
  if (key == "me") return Kind::kMe;
  if (key == "my") return Kind::kMy;
  if (key == "mine") return Kind::kMine;
  if (key == "myself") return Kind::kMyself;
  if (key == "am") return Kind::kAm;
  if (key == "was") return Kind::kWas;
  if (key == "wasn't") return Kind::kWasnt;
  if (key == "wasnt") return Kind::kWasntBare;
  if (key.starts_with("i'") && one_of(key.substr(2), {"m", "ve", "d", "ll"})) {
    return Kind::kIContraction;
  }
  return Kind::kOther;
}

bool is_glue(unsigned char c) { return c == '@' || c == '#' || c == '_' || c == '/' || c == '\\'; }

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> tokens;
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    std::size_t len = word_char_len(s, i);
    if (len == 0) {
      ++i;
      continue;
    }
    Token t;
    t.begin = i;
    i += len;
    while (i < n) {
      if ((len = word_char_len(s, i)) != 0) {
        i += len;
      } else if ((len = apostrophe_len(s, i)) != 0 && word_char_len(s, i + len) != 0) {
        i += len;
      } else {
        break;
      }
    }
    t.end = i;

    bool pure = true;
    for (std::size_t p = t.begin; p < t.end;) {
      const unsigned char c = at(s, p);
      if (is_letter(c)) {
        const bool lower = c >= 'a';
        if (t.letters == 0) t.upper_first = !lower;
        t.has_lower = t.has_lower || lower;
        ++t.letters;
        if (t.key.size() < 8) t.key.push_back(static_cast<char>(c | 0x20));
        ++p;
      } else if (c == '\'') {
        if (t.key.size() < 8) t.key.push_back('\'');
        ++p;
      } else if (apostrophe_len(s, p) == 3) {
        t.curly = true;
        if (t.key.size() < 8) t.key.push_back('\'');
        p += 3;
      } else {
        t.has_digit = t.has_digit || is_digit(c);
        pure = false;
        ++p;
      }
    }
    if (!pure || t.end - t.begin > 8) t.key.clear();

    const unsigned char prev = t.begin > 0 ? at(s, t.begin - 1) : 0;
    const unsigned char next = at(s, t.end);
    t.eligible = pure && !t.key.empty() && !is_glue(prev) && !is_glue(next) &&
                 !(prev == '.' && t.begin >= 2 && is_alnum(at(s, t.begin - 2))) &&
                 !(next == '.' && is_alnum(at(s, t.end + 1))) &&
                 !(t.key == "i" && next == '-' && is_digit(at(s, t.end + 1)));
    if (t.eligible) t.kind = classify(t.key);
    tokens.push_back(std::move(t));
  }
  return tokens;
}

class Rewriter {
 public:
  explicit Rewriter(std::string_view s) : s_(s), tokens_(tokenize(s)) {}

  std::string run() {
    next_terminator_.assign(tokens_.size(), 0);
    char cur = 0;
    for (std::size_t i = tokens_.size(); i-- > 0;) {
      const std::size_t stop = i + 1 < tokens_.size() ? tokens_[i + 1].begin : s_.size();
      for (std::size_t p = tokens_[i].end; p < stop; ++p) {
        if (is_terminator(at(s_, p))) {
          cur = s_[p];
          break;
        }
      }
      next_terminator_[i] = cur;
    }
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      if (tokens_[i].kind == Kind::kI) link_verbs(i);
    }

    std::string out;
    out.reserve(s_.size() + s_.size() / 4 + 8);
    std::size_t pos = 0;
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      const std::string replacement = lower_replacement(i);
      if (replacement.empty()) continue;
      const Token& t = tokens_[i];
      out.append(s_.substr(pos, t.begin - pos));
      emit(i, replacement, out);
      pos = t.end;
    }
    out.append(s_.substr(pos));
    return out;
  }

 private:
  const Token& tok(std::size_t i) const { return tokens_[i]; }

  std::string_view gap_text(std::size_t left) const {
    const std::size_t b = tokens_[left].end;
    const std::size_t e = left + 1 < tokens_.size() ? tokens_[left + 1].begin : s_.size();
    return s_.substr(b, e - b);
  }

  Gap gap(std::size_t left) const {
    bool comma = false;
    for (const char ch : gap_text(left)) {
      const auto c = static_cast<unsigned char>(ch);
      if (is_blank(c)) continue;
      if (c == ',' && !comma) {
        comma = true;
        continue;
      }
      return Gap::kBlock;
    }
    return comma ? Gap::kComma : Gap::kPlain;
  }

  bool is_verb(std::size_t i) const {
    const Kind k = tok(i).kind;
    return k == Kind::kAm || k == Kind::kWas || k == Kind::kWasnt || k == Kind::kWasntBare;
  }

  bool is_adverb(std::size_t i) const {
    const Token& t = tok(i);
    if (!t.eligible) return false;
    if (t.key.size() >= 4 && t.key.ends_with("ly")) return true;
    return one_of(t.key, {"too",      "also",    "just",   "really",    "still",
                          "never",    "always",  "even",   "actually",  "only",
                          "so",       "sometimes", "often", "usually",  "already",
                          "probably", "definitely", "maybe", "perhaps", "ever",
                          "myself",   "kind",    "sort",   "kinda",     "sorta",
                          "of",       "not",     "then",   "once",      "now"});
  }

  // The first word of the string, of a line, or after . ! ? and a space.
  bool sentence_initial(std::size_t i) const {
    const std::size_t floor = i > 0 ? tokens_[i - 1].end : 0;
    bool space = false;
    for (std::size_t p = tokens_[i].begin; p-- > floor;) {
      const unsigned char c = at(s_, p);
      if (c == '\n') return true;
      if (is_space(c)) {
        space = true;
      } else if (c == '.' || c == '!' || c == '?') {
        return space;
      }
    }
    return i == 0;
  }

  // Links am/was to the subject I at index i: "I (really|, too,) am",
  // "Why am I", "Was I ...?".
  void link_verbs(std::size_t i) {
    const std::size_t n = tokens_.size();
    for (std::size_t k = i + 1; k < n && k <= i + 3; ++k) {
      if (gap(k - 1) == Gap::kBlock) break;
      if (is_verb(k)) {
        tokens_[k].linked = true;
        break;
      }
      if (!is_adverb(k)) break;
    }
    if (i + 1 < n && gap(i) == Gap::kComma) {
      for (std::size_t k = i + 1; k + 1 < n && k <= i + 3; ++k) {
        const Gap g = gap(k);
        if (g == Gap::kComma && is_verb(k + 1)) {
          tokens_[k + 1].linked = true;
          break;
        }
        if (g != Gap::kPlain) break;
      }
    }
    if (i == 0 || !is_verb(i - 1) || gap(i - 1) != Gap::kPlain) return;
    const std::size_t v = i - 1;
    if (tok(v).kind == Kind::kAm) {
      const bool clock_time = v > 0 && tok(v - 1).has_digit && gap(v - 1) == Gap::kPlain;
      tokens_[v].linked = tokens_[v].linked || !clock_time;
      return;
    }
    bool question = next_terminator_[v] == '?' || sentence_initial(v);
    for (std::size_t j = v; !question && j-- > 0 && j + 2 >= v;) {
      if (gap(j) == Gap::kBlock) break;
      question = tok(j).eligible &&
                 one_of(tok(j).key, {"why", "what", "how", "where", "when", "who", "whom",
                                     "which", "so", "nor", "neither"});
    }
    tokens_[v].linked = tokens_[v].linked || question;
  }

  bool mine_is_noun(std::size_t i) const {
    return i > 0 && gap(i - 1) == Gap::kPlain && tok(i - 1).eligible &&
           one_of(tok(i - 1).key, {"a", "an", "the", "coal", "gold", "salt", "land", "diamond",
                                   "copper", "silver", "iron", "tin"});
  }

  std::string lower_replacement(std::size_t i) const {
    const Token& t = tok(i);
    switch (t.kind) {
      case Kind::kI:
      case Kind::kMe:
        return "you";
      case Kind::kIContraction: {
        const std::string_view suffix = std::string_view(t.key).substr(2);
        return "you'" + std::string(suffix == "m" ? "re" : suffix);
      }
      case Kind::kIm:
        return "you're";
      case Kind::kIve:
        return "you've";
      case Kind::kMy:
        return "your";
      case Kind::kMine:
        return mine_is_noun(i) ? "" : "yours";
      case Kind::kMyself:
        return "yourself";
      case Kind::kAm:
        return t.linked ? "are" : "";
      case Kind::kWas:
        return t.linked ? "were" : "";
      case Kind::kWasnt:
        return t.linked ? "weren't" : "";
      case Kind::kWasntBare:
        return t.linked ? "werent" : "";
      case Kind::kOther:
        break;
    }
    return "";
  }

  // A lone "I" is all caps when its nearest multi-letter neighbours are.
  bool neighbours_all_caps(std::size_t i) const {
    bool any = false;
    const std::size_t lo = i >= 8 ? i - 8 : 0;
    for (std::size_t j = i; j-- > lo;) {
      if (tok(j).letters < 2) continue;
      if (tok(j).has_lower) return false;
      any = true;
      break;
    }
    for (std::size_t j = i + 1; j < tokens_.size() && j <= i + 8; ++j) {
      if (tok(j).letters < 2) continue;
      if (tok(j).has_lower) return false;
      any = true;
      break;
    }
    return any;
  }

  void emit(std::size_t i, std::string_view lower, std::string& out) const {
    const Token& t = tok(i);
    const bool i_family = t.kind == Kind::kI || t.kind == Kind::kIContraction ||
                          t.kind == Kind::kIm || t.kind == Kind::kIve;
    const bool caps = t.letters >= 2 ? !t.has_lower : (!t.has_lower && neighbours_all_caps(i));
    const bool cap_first = caps || sentence_initial(i) || (!i_family && t.upper_first);
    for (std::size_t p = 0; p < lower.size(); ++p) {
      const char c = lower[p];
      if (c == '\'') {
        out.append(t.curly ? kCurlyApostrophe : std::string_view("'"));
      } else if (caps || (p == 0 && cap_first)) {
        out.push_back(static_cast<char>(c - 'a' + 'A'));
      } else {
        out.push_back(c);
      }
    }
  }

  std::string_view s_;
  std::vector<Token> tokens_;
  std::vector<char> next_terminator_;
};

}  // namespace

std::string to_second_person(std::string_view first_person) {
  return Rewriter(first_person).run();
}

}  // namespace selftalk
