#include "pii.h"

#include <algorithm>

namespace selftalk::cli {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool alpha(char c) { return upper(c) || (c >= 'a' && c <= 'z'); }
bool alnum(char c) { return digit(c) || alpha(c); }
char lower(char c) { return upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

bool word_start(std::string_view t, std::size_t i) { return i == 0 || !alnum(t[i - 1]); }
bool word_end(std::string_view t, std::size_t i) { return i >= t.size() || !alnum(t[i]); }

std::size_t digits_at(std::string_view t, std::size_t i) {
  std::size_t n = 0;
  while (i + n < t.size() && digit(t[i + n])) ++n;
  return n;
}

int number(std::string_view t, std::size_t i, std::size_t n) {
  int v = 0;
  for (std::size_t k = 0; k < n; ++k) v = v * 10 + (t[i + k] - '0');
  return v;
}

bool starts_with_ci(std::string_view t, std::size_t i, std::string_view word) {
  if (i + word.size() > t.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k)
    if (lower(t[i + k]) != word[k]) return false;
  return true;
}

struct Scanner {
  std::string_view t;
  std::vector<PiiSpan> spans;
  std::vector<bool> taken;

  void add(PiiKind kind, std::size_t b, std::size_t e) {
    for (std::size_t k = b; k < e; ++k)
      if (taken[k]) return;
    for (std::size_t k = b; k < e; ++k) taken[k] = true;
    spans.push_back({kind, b, e});
  }

  void emails() {
    auto local = [](char c) { return alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; };
    auto domain = [](char c) { return alnum(c) || c == '.' || c == '-'; };
    for (std::size_t at = t.find('@'); at != std::string_view::npos; at = t.find('@', at + 1)) {
      std::size_t b = at;
      while (b > 0 && local(t[b - 1])) --b;
      while (b < at && t[b] == '.') ++b;
      std::size_t e = at + 1;
      while (e < t.size() && domain(t[e])) ++e;
      while (e > at + 1 && (t[e - 1] == '.' || t[e - 1] == '-')) --e;
      if (b == at) continue;
      std::string_view dom = t.substr(at + 1, e - at - 1);
      std::size_t dot = dom.rfind('.');
      if (dot == std::string_view::npos || dot == 0 || dom.size() - dot - 1 < 2) continue;
      if (!std::all_of(dom.begin() + static_cast<std::ptrdiff_t>(dot) + 1, dom.end(), alpha)) continue;
      add(PiiKind::kEmail, b, e);
    }
  }

  void urls() {
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!word_start(t, i)) continue;
      std::size_t prefix = starts_with_ci(t, i, "https://") ? 8
                           : starts_with_ci(t, i, "http://") ? 7
                           : starts_with_ci(t, i, "www.")    ? 4
                                                             : 0;
      if (prefix == 0) continue;
      std::size_t e = i + prefix;
      while (e < t.size()) {
        unsigned char c = static_cast<unsigned char>(t[e]);
        if (c <= ' ' || c >= 0x80 || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' || c == '`') break;
        ++e;
      }
      while (e > i + prefix && std::string_view(".,;:!?)]}").find(t[e - 1]) != std::string_view::npos) --e;
      if (e == i + prefix) continue;
      add(PiiKind::kUrl, i, e);
      i = e;
    }
  }

  // 12/03/1990, 1990-03-12, 12.03.90 (same separator twice).
  void numeric_dates() {
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!digit(t[i]) || !word_start(t, i)) continue;
      std::size_t n1 = digits_at(t, i);
      std::size_t j = i + n1;
      if (n1 > 4 || n1 == 3 || j >= t.size()) {
        i = j;
        continue;
      }
      char sep = t[j];
      if (sep != '/' && sep != '-' && sep != '.') continue;
      std::size_t n2 = digits_at(t, j + 1);
      std::size_t k = j + 1 + n2;
      if (n2 < 1 || n2 > 2 || k >= t.size() || t[k] != sep) continue;
      std::size_t n3 = digits_at(t, k + 1);
      std::size_t e = k + 1 + n3;
      if (!word_end(t, e)) continue;
      int a = number(t, i, n1), b = number(t, j + 1, n2), c = number(t, k + 1, n3);
      bool ok = false;
      if (n1 == 4) ok = a >= 1900 && a <= 2099 && n3 >= 1 && n3 <= 2 && b >= 1 && b <= 12 && c >= 1 && c <= 31;
      else ok = (n3 == 2 || (n3 == 4 && c >= 1900 && c <= 2099)) && a >= 1 && b >= 1 && a <= 31 && b <= 31 &&
                (a <= 12 || b <= 12);
      if (ok) add(PiiKind::kDate, i, e);
    }
  }

  // Skips spaces from i; returns the new position.
  std::size_t spaces(std::size_t i) const {
    while (i < t.size() && t[i] == ' ') ++i;
    return i;
  }

  // A four-digit year 1900-2099 at i, with an optional comma and spaces before it; returns its end.
  std::size_t year_after(std::size_t i) const {
    if (i < t.size() && t[i] == ',') ++i;
    std::size_t y = spaces(i);
    if (y == i && (i == 0 || t[i - 1] != ',')) return 0;
    if (digits_at(t, y) != 4 || !word_end(t, y + 4)) return 0;
    int v = number(t, y, 4);
    return v >= 1900 && v <= 2099 ? y + 4 : 0;
  }

  // A day (1-31, with an optional st/nd/rd/th) at i; returns its end or 0.
  std::size_t day_after(std::size_t i) const {
    std::size_t n = digits_at(t, i);
    if (n < 1 || n > 2 || number(t, i, n) < 1 || number(t, i, n) > 31) return 0;
    std::size_t e = i + n;
    for (std::string_view s : {"st", "nd", "rd", "th"})
      if (starts_with_ci(t, e, s)) {
        e += 2;
        break;
      }
    return word_end(t, e) ? e : 0;
  }

  // 12 March 1990, 12th of March 1990, March 12, 1990.
  void named_dates() {
    static constexpr std::string_view kMonths[] = {"january", "february", "march",     "april",   "may",
                                                   "june",    "july",     "august",    "september", "october",
                                                   "november", "december", "jan",      "feb",     "mar",
                                                   "apr",     "jun",      "jul",       "aug",     "sep",
                                                   "sept",    "oct",      "nov",       "dec"};
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!alpha(t[i]) || !word_start(t, i)) continue;
      std::size_t e = i;
      while (e < t.size() && alpha(t[e])) ++e;
      bool month = false;
      for (std::string_view m : kMonths)
        if (e - i == m.size() && starts_with_ci(t, i, m)) month = true;
      std::size_t me = e < t.size() && t[e] == '.' ? e + 1 : e;
      if (month) {
        // Month D, YYYY
        std::size_t d = spaces(me);
        std::size_t de = d > me ? day_after(d) : 0;
        std::size_t ye = de != 0 ? year_after(de) : 0;
        if (ye != 0) {
          add(PiiKind::kDate, i, ye);
        } else if (std::size_t y2 = year_after(me); y2 != 0) {
          // D Month YYYY / D of Month YYYY
          std::size_t b = i;
          while (b > 0 && t[b - 1] == ' ') --b;
          if (b >= 2 && starts_with_ci(t, b - 2, "of") && word_start(t, b - 2)) {
            b -= 2;
            while (b > 0 && t[b - 1] == ' ') --b;
          }
          std::size_t s = b;
          while (s > 0 && alpha(t[s - 1])) --s;
          std::size_t dstart = s;
          while (dstart > 0 && digit(t[dstart - 1])) --dstart;
          if (b < i && dstart < s && word_start(t, dstart) && day_after(dstart) == b) add(PiiKind::kDate, dstart, y2);
        }
      }
      i = e;
    }
  }

  void postcodes() {
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!word_start(t, i)) continue;
      // UK: A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA.
      if (upper(t[i])) {
        std::size_t j = i + 1;
        if (j < t.size() && upper(t[j])) ++j;
        if (j < t.size() && digit(t[j])) {
          ++j;
          if (j < t.size() && (digit(t[j]) || upper(t[j]))) ++j;
          std::size_t k = j < t.size() && t[j] == ' ' ? j + 1 : j;
          if (k + 3 <= t.size() && digit(t[k]) && upper(t[k + 1]) && upper(t[k + 2]) && word_end(t, k + 3)) {
            add(PiiKind::kPostcode, i, k + 3);
            continue;
          }
        }
      }
      if (!digit(t[i]) || digits_at(t, i) != 5) continue;
      std::size_t e = i + 5;
      if (e + 5 <= t.size() && t[e] == '-' && digits_at(t, e + 1) == 4 && word_end(t, e + 5)) {
        add(PiiKind::kPostcode, i, e + 5);
        continue;
      }
      if (!word_end(t, e) || (e < t.size() && t[e] == '-' && e + 1 < t.size() && digit(t[e + 1]))) continue;
      // Five digits after "CA " or "zip" / "zip code" (with an optional colon).
      std::size_t b = i;
      while (b > 0 && t[b - 1] == ' ') --b;
      if (b == i) continue;
      if (b > 0 && t[b - 1] == ':') --b;
      if (b >= 2 && upper(t[b - 1]) && upper(t[b - 2]) && word_start(t, b - 2)) add(PiiKind::kPostcode, i, e);
      else if ((b >= 3 && starts_with_ci(t, b - 3, "zip") && word_start(t, b - 3)) ||
               (b >= 8 && starts_with_ci(t, b - 8, "zip code") && word_start(t, b - 8)))
        add(PiiKind::kPostcode, i, e);
    }
  }

  void phones() {
    auto sep = [](char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; };
    for (std::size_t i = 0; i < t.size(); ++i) {
      char c = t[i];
      if (!(digit(c) || c == '+' || c == '(')) continue;
      if (i > 0 && (alnum(t[i - 1]) || t[i - 1] == '+')) continue;
      std::size_t e = c == '+' ? i + 1 : i, digits = 0, last_digit_end = i, run = 0;
      bool separated = false;
      while (e < t.size()) {
        if (digit(t[e])) {
          ++digits;
          run = 0;
          last_digit_end = ++e;
        } else if (sep(t[e]) && run < 3 && !(t[e] == ' ' && e > 0 && t[e - 1] == ' ')) {
          ++run;
          separated = true;
          ++e;
        } else {
          break;
        }
      }
      std::size_t end = last_digit_end;
      if (end > i && word_end(t, end)) {
        bool seven = digits == 7 && end - i == 8 && digits_at(t, i) == 3 && (t[i + 3] == '-' || t[i + 3] == '.');
        if ((digits >= 9 && digits <= 15 && (separated || c == '+' || digits >= 10)) || seven)
          add(PiiKind::kPhone, i, end);
      }
      i = std::max(i, end);
    }
  }
};

}  // namespace

std::string_view to_string(PiiKind k) {
  switch (k) {
    case PiiKind::kEmail: return "email";
    case PiiKind::kPhone: return "phone";
    case PiiKind::kUrl: return "url";
    case PiiKind::kPostcode: return "postcode";
    case PiiKind::kDate: return "date";
  }
  return "?";
}

std::vector<PiiSpan> find_pii(std::string_view text) {
  Scanner s{text, {}, std::vector<bool>(text.size(), false)};
  s.emails();
  s.urls();
  s.numeric_dates();
  s.named_dates();
  s.postcodes();
  s.phones();
  std::sort(s.spans.begin(), s.spans.end(), [](const PiiSpan& a, const PiiSpan& b) { return a.begin < b.begin; });
  return s.spans;
}

PiiCounts count_pii(const std::vector<PiiSpan>& spans) {
  PiiCounts c{};
  for (const PiiSpan& s : spans) ++c[static_cast<std::size_t>(s.kind)];
  return c;
}

std::string describe_pii(const PiiCounts& counts) {
  std::string out;
  for (std::size_t k = 0; k < kPiiKindCount; ++k) {
    if (counts[k] == 0) continue;
    if (!out.empty()) out += ", ";
    out += std::to_string(counts[k]) + " " + std::string(to_string(static_cast<PiiKind>(k)));
  }
  return out;
}

std::string redact(std::string_view text, const std::vector<PiiSpan>& spans) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  for (const PiiSpan& s : spans) {
    out.append(text.substr(pos, s.begin - pos));
    out += '[';
    out += to_string(s.kind);
    out += ']';
    pos = s.end;
  }
  out.append(text.substr(pos));
  return out;
}

std::string redact(std::string_view text) { return redact(text, find_pii(text)); }

}  // namespace selftalk::cli
