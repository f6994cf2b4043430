#include "output.h"

#include <algorithm>
#include <cstdio>

#include "selftalk/json.h"

namespace selftalk::cli {
namespace {

struct Paint {
  bool on;
  std::string operator()(std::string_view code, std::string_view s) const {
    if (!on) return std::string(s);
    return "\x1b[" + std::string(code) + "m" + std::string(s) + "\x1b[0m";
  }
};

constexpr std::string_view kBold = "1", kDim = "2", kRed = "1;31", kYellow = "33", kGreen = "32", kCyan = "36",
                           kMagenta = "1;35";

std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// The sentence with the match marked: coloured, or underlined with carets when not.
void append_context(std::string& out, std::string_view sentence, const Finding& f, const Paint& paint) {
  std::size_t b = f.begin - f.sentence_begin, e = f.end - f.sentence_begin;
  // Long sentences are cut around the match.
  constexpr std::size_t kMax = 160;
  std::size_t from = 0, to = sentence.size();
  if (sentence.size() > kMax) {
    from = b > 60 ? b - 60 : 0;
    while (from > 0 && (static_cast<unsigned char>(sentence[from]) & 0xC0) == 0x80) --from;
    to = std::min(sentence.size(), e + 60);
    while (to < sentence.size() && (static_cast<unsigned char>(sentence[to]) & 0xC0) == 0x80) ++to;
  }
  std::string before(sentence.substr(from, b - from)), match(sentence.substr(b, e - b)), after(sentence.substr(e, to - e));
  for (std::string* s : {&before, &match, &after})
    for (char& c : *s)
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  std::string lead = from > 0 ? "…" : "", tail = to < sentence.size() ? "…" : "";
  out += "    ";
  out += paint(kDim, "> ");
  out += lead;
  out += before;
  out += paint(kBold, match);
  out += after;
  out += tail;
  out += '\n';
  if (!paint.on) {
    out += "      ";
    out.append(display_width(lead) + display_width(before), ' ');
    out += '^';
    out.append(display_width(match) > 0 ? display_width(match) - 1 : 0, '~');
    out += '\n';
  }
}

// One finding as text. `text` holds the document from byte `text_begin` on, covering the sentence.
void append_text_finding(std::string& out, std::string_view where, std::string_view text, std::size_t text_begin,
                         const Finding& f, const Paint& paint) {
  bool safety = f.category == Category::kSafety;
  out += paint(kBold, std::string(where) + ":" + std::to_string(f.line) + ":" + std::to_string(f.column));
  out += ": ";
  out += paint(safety ? kMagenta : kYellow, std::string(to_string(f.category)));
  out += ": ";
  out += f.message;
  out += ' ';
  out += paint(kDim, "[" + f.rule + "]");
  if (f.reported) out += paint(kDim, " (someone else's words)");
  out += '\n';
  append_context(out, text.substr(f.sentence_begin - text_begin, f.sentence_end - f.sentence_begin), f, paint);
  if (safety) {
    out += "    ";
    out += paint(kMagenta, "support: ");
    out += f.support;
    out += '\n';
    return;
  }
  if (!f.friend_view.empty()) {
    out += "    ";
    out += paint(kCyan, "a friend: ");
    out += f.friend_view;
    out += '\n';
  }
  for (const Reframe& r : f.reframes) {
    out += "    ";
    out += paint(kGreen, "try: ");
    out += r.text;
    out += '\n';
  }
}

// What follows a document's findings in text.
void append_text_notes(std::string& out, std::string_view where, std::string_view self_compassion_break,
                       std::size_t invalid_utf8_bytes, const Paint& paint) {
  if (!self_compassion_break.empty()) {
    out += where;
    out += ": ";
    out += paint(kCyan, "self-compassion break: ");
    out += self_compassion_break;
    out += '\n';
  }
  if (invalid_utf8_bytes > 0) {
    out += where;
    out += ": note: ";
    out += std::to_string(invalid_utf8_bytes);
    out += " invalid UTF-8 byte(s) were read as U+001A\n";
  }
}

std::string text_where(const Document& doc) {
  std::string where = doc.source;
  if (!doc.id_json.empty()) where += "[" + doc.id_json + "]";
  return where;
}

// A document's JSON object up to its members about the analysis: {"id":..., "source":...
void append_json_opening(std::string& out, const Document& doc) {
  out += '{';
  if (!doc.id_json.empty()) {
    out += "\"id\":";
    out += doc.id_json;
    out += ',';
  }
  out += "\"source\":";
  append_json_string(out, doc.source);
}

}  // namespace

void write_text(std::ostream& out, const Document& doc, const Analysis& a, const TextStyle& style) {
  Paint paint{style.color};
  std::string where = text_where(doc);
  if (!doc.error.empty()) {
    out << where << ": " << paint(kRed, "error") << ": " << doc.error << "\n";
    return;
  }
  std::string piece;
  for (const Finding& f : a.findings) {
    piece.clear();
    append_text_finding(piece, where, doc.text, 0, f, paint);
    out << piece;
  }
  piece.clear();
  append_text_notes(piece, where, a.self_compassion_break, a.invalid_utf8_bytes, paint);
  out << piece;
}

void write_text_summary(std::ostream& out, const Scores& total, std::size_t documents, const TextStyle& style) {
  Paint paint{style.color};
  std::size_t findings = 0;
  for (std::size_t n : total.by_category) findings += n;
  out << paint(kBold, std::to_string(findings) + (findings == 1 ? " finding" : " findings"));
  if (documents > 1) out << " in " << documents << " documents";
  std::string cats;
  for (std::size_t i = 0; i < kCategoryCount; ++i) {
    if (total.by_category[i] == 0) continue;
    if (!cats.empty()) cats += ", ";
    cats += std::string(to_string(static_cast<Category>(i))) + " " + std::to_string(total.by_category[i]);
  }
  if (!cats.empty()) out << " (" << cats << ")";
  out << "\n";
  if (findings > 0) {
    std::string pillars;
    for (std::size_t i = 1; i < kPillarCount; ++i) {
      if (total.by_pillar[i] == 0) continue;
      if (!pillars.empty()) pillars += ", ";
      pillars += std::string(to_string(static_cast<Pillar>(i))) + " " + std::to_string(total.by_pillar[i]);
    }
    if (!pillars.empty()) out << "pillars to strengthen: " << pillars << "\n";
  }
  char buf[160];
  std::snprintf(buf, sizeof buf, "%zu words, %zu sentences; critic intensity %.1f per 100 words; absolutist words %.1f%%\n",
                total.words, total.sentences, total.critic_intensity, total.absolutist_rate * 100.0);
  out << buf;
}

void append_document_json(std::string& out, const Document& doc, const Analysis* a) {
  append_json_opening(out, doc);
  if (!doc.error.empty() || a == nullptr) {
    out += ",\"error\":";
    append_json_string(out, doc.error);
    out += '}';
    return;
  }
  out += ',';
  std::string body;
  append_json(body, *a);
  out.append(body, 1, std::string::npos);  // splice the analysis object's members in
}

void DocumentOutput::Held::append(std::string_view s) {
  constexpr std::size_t kBlock = 1 << 20;
  if (blocks.empty() || (blocks.back().size() + s.size() > kBlock && !blocks.back().empty())) {
    blocks.emplace_back();
    if (blocks.size() > 1) blocks.back().reserve(std::max(kBlock, s.size()));
  }
  blocks.back() += s;
}

void DocumentOutput::Held::write(std::ostream& out) const {
  for (const std::string& b : blocks) out << b;
}

DocumentOutput::DocumentOutput(Format format, const Document& doc, const TextStyle& style)
    : format_(format), style_(style) {
  if (format_ == Format::kText) where_ = text_where(doc);
  else append_json_opening(where_, doc);
}

void DocumentOutput::add(const Finding& f, std::string_view text, std::size_t text_begin) {
  Held& held = f.category == Category::kSafety ? safety_ : rest_;
  piece_.clear();
  if (format_ == Format::kText) {
    append_text_finding(piece_, where_, text, text_begin, f, Paint{style_.color});
  } else {
    if (!held.empty()) piece_ += ',';
    append_json(piece_, f);
  }
  held.append(piece_);
}

void DocumentOutput::finish(std::ostream& out, const Scores& scores, std::string_view self_compassion_break,
                            std::size_t invalid_utf8_bytes) {
  piece_.clear();
  if (format_ == Format::kText) {
    safety_.write(out);
    rest_.write(out);
    append_text_notes(piece_, where_, self_compassion_break, invalid_utf8_bytes, Paint{style_.color});
  } else {
    out << where_ << ",\"findings\":[";
    safety_.write(out);
    if (!safety_.empty() && !rest_.empty()) out << ',';
    rest_.write(out);
    piece_ += "],\"scores\":";
    append_json(piece_, scores);
    piece_ += ",\"safety\":";
    piece_ += safety_.empty() ? "false" : "true";
    piece_ += ",\"self_compassion_break\":";
    append_json_string(piece_, self_compassion_break);
    piece_ += ",\"invalid_utf8_bytes\":";
    piece_ += std::to_string(invalid_utf8_bytes);
    piece_ += '}';
  }
  out << piece_;
  safety_ = Held{};
  rest_ = Held{};
  piece_ = std::string();
}

}  // namespace selftalk::cli
