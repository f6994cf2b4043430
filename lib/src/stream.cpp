// Incremental analysis: buffer the unfinished tail, hand every completed prefix of sentences to an
// Analyzer, and shift its offsets by what earlier prefixes consumed.
#include "selftalk/stream.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "ruleset_impl.h"
#include "text.h"

namespace selftalk {
namespace {

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Length of `s` without an unfinished UTF-8 sequence at its end: a valid start that more bytes
// could complete.
std::size_t complete_prefix(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t back = 1; back <= 3 && back <= s.size(); ++back) {
    const unsigned char lead = p[s.size() - back];
    if ((lead & 0xC0) == 0x80) continue;
    const std::size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (need <= back) break;
    // Complete the sequence with the smallest continuation bytes allowed after the present ones.
    unsigned char probe[4] = {lead, 0x80, 0x80, 0x80};
    for (std::size_t i = 1; i < back; ++i) probe[i] = p[s.size() - back + i];
    if (back == 1 && (lead == 0xE0 || lead == 0xF0)) probe[1] = lead == 0xE0 ? 0xA0 : 0x90;
    if (detail::utf8_sequence_length(probe, need) == need) return s.size() - back;
    break;
  }
  return s.size();
}

// Where the text after the last blank line of `s` starts, when that is past the middle of `s`, or
// 0. A blank line (two line breaks with nothing but spaces, tabs or CR between) ends a sentence
// whatever follows: ICU breaks after every line break, and the segmenter joins lines only across
// a single one. So no segmentation is needed to cut there.
std::size_t after_last_blank_line(std::string_view s) {
  for (std::size_t lf = s.rfind('\n'); lf != std::string_view::npos && lf + 1 > s.size() / 2 && lf > 0;
       lf = s.rfind('\n', lf - 1)) {
    std::size_t i = lf;
    while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\r')) --i;
    if (i > 0 && s[i - 1] == '\n') return lf + 1;
  }
  return 0;
}

// The end of the run of ASCII other than CR and LF that starts at s[i], 8 bytes at a time.
std::size_t plain_ascii_end(std::string_view s, std::size_t i) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  auto has_byte = [](std::uint64_t w, unsigned char c) {
    const std::uint64_t v = w ^ (kOnes * c);
    return ((v - kOnes) & ~v & kHigh) != 0;
  };
  for (std::uint64_t w; i + 8 <= s.size(); i += 8) {
    std::memcpy(&w, s.data() + i, 8);
    if ((w & kHigh) != 0 || has_byte(w, '\n') || has_byte(w, '\r')) break;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80 && s[i] != '\n' && s[i] != '\r') ++i;
  return i;
}

}  // namespace

struct StreamAnalyzer::State {
  State(std::shared_ptr<const Ruleset> r, const AnalyzeOptions& o, const StreamOptions& so)
      : analyzer(r), segmenter(r->language()), options(o), limit(std::max<std::size_t>(so.max_buffered, 64)) {}

  Analyzer analyzer;
  detail::Segmenter segmenter;
  AnalyzeOptions options;
  std::size_t limit;

  std::string buffer;  // fed, not yet analysed
  std::string repaired;
  std::vector<detail::Span> spans;
  std::size_t next_attempt = 0;  // buffer size at which to look for a boundary again
  bool finished = false;

  // Position of buffer[0] in the stream, counted as Analyzer's findings count.
  std::size_t consumed = 0, line = 1, column = 1, cp = 0, utf16 = 0;
  std::size_t line_bytes = 0;  // bytes of buffer[0]'s line before it, counted from the last LF

  Scores scores;
  detail::FindingTotals totals;
  std::size_t invalid = 0;

  void restart() {
    buffer.clear();
    next_attempt = 0;
    finished = false;
    consumed = cp = utf16 = 0;
    line = column = 1;
    line_bytes = 0;
    scores = Scores{};
    totals = detail::FindingTotals{};
    invalid = 0;
  }

  // Where the completed sentences of the buffer end (the start of the last, unfinished one), or 0.
  // A sentence start counts only when no text to come can move it: a letter, a sentence
  // terminator or a paragraph separator stands at or after it (so "end. \U0001F600" waits, as
  // " then" would join the emoji to the sentence before).
  std::size_t boundary(std::size_t complete) {
    std::string_view view(buffer.data(), complete);
    if (std::size_t n = after_last_blank_line(view)) return n;
    if (detail::count_invalid_utf8(view) > 0) {
      repaired = detail::replace_invalid_utf8(view);
      view = repaired;
    }
    spans.clear();
    segmenter.sentences(view, spans, line_bytes);
    const std::size_t anchor = detail::last_sentence_anchor(view);
    for (std::size_t k = spans.size(); k-- > 1;)
      if (anchor != std::string_view::npos && spans[k].begin <= anchor) return spans[k].begin;
    return 0;
  }

  // A cut for a buffer with no sentence boundary: after its last white space when that is in the
  // second half, else at the last character boundary; never between CR and LF.
  std::size_t forced_cut(std::size_t complete) const {
    std::size_t cut = complete;
    while (cut > complete / 2 && !is_ascii_space(buffer[cut - 1])) --cut;
    if (cut <= complete / 2) {
      cut = complete;
      while (cut > 1 && (static_cast<unsigned char>(buffer[cut]) & 0xC0) == 0x80) --cut;
    }
    if (cut > 1 && buffer[cut - 1] == '\r') --cut;  // its LF may still come
    return std::max<std::size_t>(cut, 1);
  }

  // Moves the stream position over the next n bytes, as Analyzer counts lines and columns (an
  // invalid byte is one code point and one UTF-16 unit).
  void advance(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    for (std::size_t i = 0; i < s.size();) {
      const std::size_t plain = plain_ascii_end(s, i);  // such a run only moves along the line
      column += plain - i;
      cp += plain - i;
      utf16 += plain - i;
      i = plain;
      if (i == s.size()) break;
      const std::size_t len = std::max<std::size_t>(detail::utf8_sequence_length(p + i, s.size() - i), 1);
      if (p[i] == '\n' || (p[i] == '\r' && (i + 1 == s.size() || p[i + 1] != '\n'))) {
        ++line;
        column = 1;
      } else {
        ++column;
      }
      ++cp;
      utf16 += len == 4 ? 2 : 1;
      i += len;
    }
    consumed += s.size();
  }

  void analyze_prefix(std::size_t n, std::vector<Finding>& out) {
    std::string_view text(buffer.data(), n);
    Analysis a = analyzer.analyze(text, options, line_bytes);
    for (Finding& f : a.findings) {
      totals.add(f);
      if (f.line == 1) f.column += column - 1;
      f.line += line - 1;
      for (std::size_t* at : {&f.begin, &f.end, &f.sentence_begin, &f.sentence_end}) *at += consumed;
      for (std::size_t* at : {&f.cp_begin, &f.cp_end}) *at += cp;
      for (std::size_t* at : {&f.utf16_begin, &f.utf16_end}) *at += utf16;
      out.push_back(std::move(f));
    }
    scores.add(a.scores);
    detail::set_rates(scores, totals.weight);  // as the whole text's, not a sum of rounded parts
    invalid += a.invalid_utf8_bytes;
    advance(text);
    const std::size_t lf = text.rfind('\n');
    line_bytes = lf == std::string_view::npos ? line_bytes + n : n - lf - 1;
    buffer.erase(0, n);
  }

  // Analyses what the buffer holds of completed sentences; forces a cut when it is full.
  void drain(std::vector<Finding>& out) {
    const bool full = buffer.size() >= limit;
    if (!full && buffer.size() < next_attempt) return;
    const std::size_t complete = complete_prefix(buffer);
    std::size_t n = boundary(complete);
    if (n == 0 && full) n = forced_cut(complete);
    if (n == 0) {
      next_attempt = buffer.size() + std::max<std::size_t>(buffer.size() / 4, 1);
      return;
    }
    analyze_prefix(n, out);
    next_attempt = 0;
  }
};

StreamAnalyzer::StreamAnalyzer(std::shared_ptr<const Ruleset> rules, const AnalyzeOptions& options,
                               const StreamOptions& stream)
    : state_(std::make_unique<State>(std::move(rules), options, stream)) {}
StreamAnalyzer::~StreamAnalyzer() = default;
StreamAnalyzer::StreamAnalyzer(StreamAnalyzer&&) noexcept = default;
StreamAnalyzer& StreamAnalyzer::operator=(StreamAnalyzer&&) noexcept = default;

std::vector<Finding> StreamAnalyzer::feed(std::string_view utf8) {
  State& st = *state_;
  if (st.finished) st.restart();
  std::vector<Finding> out;
  while (!utf8.empty()) {
    const std::size_t take = std::min(utf8.size(), st.limit - st.buffer.size());
    st.buffer.append(utf8.substr(0, take));
    utf8.remove_prefix(take);
    st.drain(out);
  }
  std::stable_partition(out.begin(), out.end(), [](const Finding& f) { return f.category == Category::kSafety; });
  return out;
}

std::vector<Finding> StreamAnalyzer::finish() {
  State& st = *state_;
  if (st.finished) st.restart();
  std::vector<Finding> out;
  if (!st.buffer.empty()) st.analyze_prefix(st.buffer.size(), out);
  std::stable_partition(out.begin(), out.end(), [](const Finding& f) { return f.category == Category::kSafety; });
  st.finished = true;
  return out;
}

const Scores& StreamAnalyzer::scores() const { return state_->scores; }
std::string_view StreamAnalyzer::self_compassion_break() const {
  return detail::self_compassion_break(state_->analyzer.ruleset().impl(), state_->totals, state_->scores);
}
std::size_t StreamAnalyzer::invalid_utf8_bytes() const { return state_->invalid; }
std::size_t StreamAnalyzer::consumed() const { return state_->consumed; }
std::size_t StreamAnalyzer::buffered() const { return state_->buffer.size(); }

}  // namespace selftalk
