#include "selftalk/json.h"

#include <cstdio>

#include "text.h"

namespace selftalk {
namespace {

void append_number(std::string& out, std::size_t n) { out += std::to_string(n); }

void append_double(std::string& out, double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", d);
  out += buf;
}

void key(std::string& out, std::string_view k) {
  out += '"';
  out += k;
  out += "\":";
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = p[i];
    if (c >= 0x80) {
      std::size_t len = detail::utf8_sequence_length(p + i, s.size() - i);
      if (len == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(s.substr(i, len));
        i += len;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

void append_json(std::string& out, const Finding& f) {
  out += '{';
  key(out, "rule"), append_json_string(out, f.rule), out += ',';
  key(out, "category"), append_json_string(out, to_string(f.category)), out += ',';
  key(out, "pillar"), append_json_string(out, to_string(f.pillar)), out += ',';
  key(out, "severity"), append_json_string(out, to_string(f.severity)), out += ',';
  key(out, "start"), append_number(out, f.begin), out += ',';
  key(out, "end"), append_number(out, f.end), out += ',';
  key(out, "line"), append_number(out, f.line), out += ',';
  key(out, "column"), append_number(out, f.column), out += ',';
  key(out, "cp_start"), append_number(out, f.cp_begin), out += ',';
  key(out, "cp_end"), append_number(out, f.cp_end), out += ',';
  key(out, "utf16_start"), append_number(out, f.utf16_begin), out += ',';
  key(out, "utf16_end"), append_number(out, f.utf16_end), out += ',';
  key(out, "text"), append_json_string(out, f.text), out += ',';
  key(out, "sentence"), out += '{';
  key(out, "start"), append_number(out, f.sentence_begin), out += ',';
  key(out, "end"), append_number(out, f.sentence_end), out += "},";
  key(out, "message"), append_json_string(out, f.message), out += ',';
  key(out, "reported"), out += f.reported ? "true" : "false", out += ',';
  key(out, "friend_view"), append_json_string(out, f.friend_view), out += ',';
  key(out, "reframes"), out += '[';
  for (std::size_t i = 0; i < f.reframes.size(); ++i) {
    if (i) out += ',';
    out += '{';
    key(out, "strategy"), append_json_string(out, f.reframes[i].strategy), out += ',';
    key(out, "text"), append_json_string(out, f.reframes[i].text), out += '}';
  }
  out += "],";
  key(out, "support"), append_json_string(out, f.support);
  out += '}';
}

void append_json(std::string& out, const Scores& s) {
  out += '{';
  key(out, "words"), append_number(out, s.words), out += ',';
  key(out, "sentences"), append_number(out, s.sentences), out += ',';
  key(out, "categories"), out += '{';
  for (std::size_t i = 0; i < kCategoryCount; ++i) {
    if (i) out += ',';
    key(out, to_string(static_cast<Category>(i))), append_number(out, s.by_category[i]);
  }
  out += "},";
  key(out, "pillars"), out += '{';
  for (std::size_t i = 0; i < kPillarCount; ++i) {
    if (i) out += ',';
    key(out, to_string(static_cast<Pillar>(i))), append_number(out, s.by_pillar[i]);
  }
  out += "},";
  key(out, "critic_intensity"), append_double(out, s.critic_intensity), out += ',';
  key(out, "absolutist_words"), append_number(out, s.absolutist_words), out += ',';
  key(out, "absolutist_rate"), append_double(out, s.absolutist_rate);
  out += '}';
}

void append_json(std::string& out, const Analysis& a) {
  out += '{';
  key(out, "findings"), out += '[';
  for (std::size_t i = 0; i < a.findings.size(); ++i) {
    if (i) out += ',';
    append_json(out, a.findings[i]);
  }
  out += "],";
  key(out, "scores"), append_json(out, a.scores), out += ',';
  key(out, "safety"), out += a.has_safety() ? "true" : "false", out += ',';
  key(out, "self_compassion_break"), append_json_string(out, a.self_compassion_break), out += ',';
  key(out, "invalid_utf8_bytes"), append_number(out, a.invalid_utf8_bytes);
  out += '}';
}

}  // namespace selftalk
