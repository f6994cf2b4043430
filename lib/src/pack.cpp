// Rule pack parsing: JSON (with comments) into plain RulePack data, strictly validated.
// The only file of the library that includes nlohmann_json.
#include "selftalk/pack.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <sstream>

#include "embedded_packs.h"
#include "saved_packs.h"

namespace selftalk {
namespace {

using nlohmann::json;

// Maps byte offsets of the source to line:column, and finds where a value was written, so that
// errors found after parsing still point into the file.
class Locator {
 public:
  Locator(std::string_view src, std::string file) : src_(src), file_(std::move(file)) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < src_.size(); ++i)
      if (src_[i] == '\n') line_starts_.push_back(i + 1);
  }

  SourceLocation at(std::size_t byte) const {
    byte = std::min(byte, src_.size());
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte) - 1;
    return SourceLocation{file_, static_cast<int>(it - line_starts_.begin()) + 1,
                          static_cast<int>(byte - *it) + 1};
  }

  // Offset of the JSON string literal for `value` (escaped as json::dump() escapes it) at or
  // after `from`, or npos.
  std::size_t find(const std::string& value, std::size_t from) const {
    literal_.assign(1, '"');
    for (char c : value) {
      switch (c) {
        case '"': literal_ += "\\\""; break;
        case '\\': literal_ += "\\\\"; break;
        case '\n': literal_ += "\\n"; break;
        case '\t': literal_ += "\\t"; break;
        case '\r': literal_ += "\\r"; break;
        case '\b': literal_ += "\\b"; break;
        case '\f': literal_ += "\\f"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            static constexpr char kHex[] = "0123456789abcdef";
            literal_ += "\\u00";
            literal_ += kHex[(c >> 4) & 0xF];
            literal_ += kHex[c & 0xF];
          } else {
            literal_ += c;
          }
      }
    }
    literal_ += '"';
    return src_.find(literal_, std::min(from, src_.size()));
  }

  const std::string& file() const { return file_; }

 private:
  std::string_view src_;
  std::string file_;
  std::vector<std::size_t> line_starts_;
  mutable std::string literal_;  // find()'s buffer
};

// Thrown inside this file only; parse_pack turns it into an Error value.
struct PackError {
  Error error;
};

class Parser {
 public:
  Parser(std::string_view src, std::string source) : loc_(src, std::move(source)) {}

  RulePack parse(const json& root) {
    RulePack pack;
    pack.source = loc_.file();
    require_object(root, "pack");
    check_keys(root, "pack",
               {"name", "version", "language", "description", "macros", "context", "category_defaults",
                "support_message", "self_compassion_break", "absolutist_words", "rules"});
    pack.name = get_string(root, "name", "pack", true);
    pack_name_ = pack.name;
    pack.version = get_string(root, "version", "pack", true);
    pack.language = get_string(root, "language", "pack", true);
    pack.description = get_string(root, "description", "pack", false);
    if (root.contains("macros")) {
      const json& m = root.at("macros");
      require_object(m, "macros");
      for (auto it = m.begin(); it != m.end(); ++it) {
        if (!it.value().is_string()) fail("macro '" + it.key() + "' must be a string");
        pack.macros.emplace_back(it.key(), located(it.value().get<std::string>(), 0));
      }
    }
    if (root.contains("context")) {
      const json& c = root.at("context");
      require_object(c, "context");
      check_keys(c, "context", {"negation", "reported", "past"});
      pack.context.negation = located_list(c, "negation", "context", 0);
      pack.context.reported = located_list(c, "reported", "context", 0);
      pack.context.past = located_list(c, "past", "context", 0);
    }
    if (root.contains("category_defaults")) {
      const json& d = root.at("category_defaults");
      require_object(d, "category_defaults");
      for (auto it = d.begin(); it != d.end(); ++it) {
        std::string what = "category_defaults." + it.key();
        auto cat = category_from_string(it.key());
        if (!cat) fail(what + ": unknown category '" + it.key() + "'");
        require_object(it.value(), what);
        check_keys(it.value(), what, {"friend", "reframes"});
        CategoryDefaults defaults;
        defaults.category = *cat;
        std::size_t from = loc_.find(it.key(), 0);
        if (it.value().contains("friend"))
          defaults.friend_view = located(get_string(it.value(), "friend", what, true), from);
        defaults.reframes = reframes(it.value(), what, from);
        pack.category_defaults.push_back(std::move(defaults));
      }
    }
    if (root.contains("support_message"))
      pack.support_message = located(get_string(root, "support_message", "pack", true), 0);
    if (root.contains("self_compassion_break"))
      pack.self_compassion_break = located(get_string(root, "self_compassion_break", "pack", true), 0);
    if (root.contains("absolutist_words")) {
      for (const Located& w : located_list(root, "absolutist_words", "pack", 0)) pack.absolutist_words.push_back(w.text);
    }
    if (!root.contains("rules")) fail("pack: missing required field 'rules'");
    const json& rules = root.at("rules");
    if (!rules.is_array()) fail("pack: 'rules' must be an array");
    std::size_t cursor = 0;
    for (const json& r : rules) pack.rules.push_back(rule(r, cursor));
    return pack;
  }

 private:
  RuleSpec rule(const json& r, std::size_t& cursor) {
    rule_id_.clear();
    require_object(r, "rule");
    if (!r.contains("id") || !r.at("id").is_string()) fail("rule: missing required string field 'id'");
    RuleSpec spec;
    spec.id = r.at("id").get<std::string>();
    rule_id_ = spec.id;
    if (spec.id.empty()) fail("rule: 'id' must not be empty");
    std::size_t pos = loc_.find(spec.id, cursor);
    if (pos != std::string_view::npos) cursor = pos;
    spec.where = loc_.at(cursor);
    where_ = spec.where;
    check_keys(r, "rule", {"id", "category", "pillar", "severity", "patterns", "exceptions", "ignore_context",
                           "message", "friend", "reframes", "examples"});
    std::string category = get_string(r, "category", "rule", true);
    auto cat = category_from_string(category);
    if (!cat) fail("unknown category '" + category + "'");
    spec.category = *cat;
    std::string pillar = get_string(r, "pillar", "rule", true);
    auto pil = pillar_from_string(pillar);
    if (!pil) fail("unknown pillar '" + pillar + "' (self_kindness, common_humanity, mindfulness or none)");
    spec.pillar = *pil;
    std::string severity = get_string(r, "severity", "rule", true);
    auto sev = severity_from_string(severity);
    if (!sev) fail("unknown severity '" + severity + "' (low, medium or high)");
    spec.severity = *sev;
    spec.patterns = located_list(r, "patterns", "rule", cursor);
    if (spec.patterns.empty()) fail("rule: 'patterns' must hold at least one pattern");
    spec.exceptions = located_list(r, "exceptions", "rule", cursor);
    for (const Located& c : located_list(r, "ignore_context", "rule", cursor)) {
      if (c.text != "negation" && c.text != "reported" && c.text != "past" && c.text != "quoted")
        fail("ignore_context: unknown check '" + c.text + "' (negation, reported, past or quoted)");
      spec.ignore_context.push_back(c.text);
    }
    spec.message = get_string(r, "message", "rule", true);
    if (r.contains("friend")) spec.friend_view = located(get_string(r, "friend", "rule", true), cursor);
    spec.reframes = reframes(r, "rule", cursor);
    if (!r.contains("examples")) fail("rule: missing required field 'examples'");
    const json& ex = r.at("examples");
    require_object(ex, "examples");
    check_keys(ex, "examples", {"match", "no_match"});
    spec.match_examples = located_list(ex, "match", "examples", cursor);
    spec.no_match_examples = located_list(ex, "no_match", "examples", cursor);
    if (spec.match_examples.empty() || spec.no_match_examples.empty())
      fail("examples: a rule needs at least one 'match' and one 'no_match' example");
    return spec;
  }

  std::vector<ReframeTemplate> reframes(const json& obj, const std::string& what, std::size_t from) {
    std::vector<ReframeTemplate> out;
    if (!obj.contains("reframes")) return out;
    const json& list = obj.at("reframes");
    if (!list.is_array()) fail(what + ": 'reframes' must be an array");
    for (const json& item : list) {
      require_object(item, "reframe");
      check_keys(item, "reframe", {"strategy", "text"});
      ReframeTemplate t;
      t.strategy = get_string(item, "strategy", "reframe", true);
      t.text = located_next(get_string(item, "text", "reframe", true), from);
      out.push_back(std::move(t));
    }
    return out;
  }

  Located located(std::string text, std::size_t from) { return located_next(std::move(text), from); }

  // The same for the next item of an array: searched after the item before it (items are
  // written in order), and `from` moved past it when found.
  Located located_next(std::string text, std::size_t& from) {
    const std::size_t pos = loc_.find(text, from);
    if (pos == std::string_view::npos) {  // for example spelt with \u escapes
      SourceLocation where = where_.file.empty() ? loc_.at(from) : where_;
      return Located{std::move(text), std::move(where)};
    }
    from = pos + 1;
    return Located{std::move(text), loc_.at(pos)};
  }

  std::vector<Located> located_list(const json& obj, const char* key, const std::string& what, std::size_t from) {
    std::vector<Located> out;
    if (!obj.contains(key)) return out;
    const json& list = obj.at(key);
    if (!list.is_array()) fail(what + ": '" + key + "' must be an array of strings");
    for (const json& item : list) {
      if (!item.is_string()) fail(what + ": '" + key + "' must be an array of strings");
      out.push_back(located_next(item.get<std::string>(), from));
    }
    return out;
  }

  std::string get_string(const json& obj, const char* key, const std::string& what, bool required) {
    if (!obj.contains(key)) {
      if (required) fail(what + ": missing required field '" + key + "'");
      return {};
    }
    const json& v = obj.at(key);
    if (!v.is_string()) fail(what + ": '" + key + "' must be a string, not " + v.type_name());
    return v.get<std::string>();
  }

  void require_object(const json& v, const std::string& what) {
    if (!v.is_object()) fail(what + " must be an object, not " + v.type_name());
  }

  // Unknown fields are errors: a misspelt "exeptions" must not silently disable exceptions.
  void check_keys(const json& obj, const std::string& what, std::initializer_list<const char*> allowed) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* k) { return it.key() == k; })) {
        std::size_t pos = loc_.find(it.key(), 0);
        if (pos != std::string_view::npos && rule_id_.empty()) where_ = loc_.at(pos);
        fail(what + ": unknown field '" + it.key() + "'");
      }
    }
  }

  [[noreturn]] void fail(std::string message) {
    Error e;
    e.message = std::move(message);
    e.where = where_.file.empty() ? SourceLocation{loc_.file(), 0, 0} : where_;
    e.pack = pack_name_;
    e.rule = rule_id_;
    throw PackError{std::move(e)};
  }

  Locator loc_;
  std::string pack_name_;
  std::string rule_id_;
  SourceLocation where_;
};

}  // namespace

Result<RulePack> parse_pack(std::string_view text, std::string_view source) {
  json root;
  try {
    root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    Error err;
    std::size_t byte = e.byte > 0 ? e.byte - 1 : 0;
    err.where = Locator(text, std::string(source)).at(byte);
    std::string what = e.what();
    std::size_t colon = what.find(": ");
    err.message = "invalid JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2));
    return err;
  }
  try {
    return Parser(text, std::string(source)).parse(root);
  } catch (const PackError& e) {
    return e.error;
  }
}

Result<RulePack> load_pack_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read rule pack", {path, 0, 0}, {}, {}};
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Error{"cannot read rule pack", {path, 0, 0}, {}, {}};
  return parse_pack(buf.str(), path);
}

Result<std::vector<RulePack>> load_packs(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<RulePack> packs;
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(path, ec))
      if (entry.path().extension() == ".json") files.push_back(entry.path().string());
    if (ec) return Error{"cannot list directory: " + ec.message(), {path, 0, 0}, {}, {}};
    std::sort(files.begin(), files.end());
    if (files.empty()) return Error{"no *.json rule packs in directory", {path, 0, 0}, {}, {}};
    for (const std::string& f : files) {
      auto pack = load_pack_file(f);
      if (!pack) return pack.error();
      packs.push_back(std::move(pack).value());
    }
    return packs;
  }
  auto pack = load_pack_file(path);
  if (!pack) return pack.error();
  packs.push_back(std::move(pack).value());
  return packs;
}

namespace detail {

Result<std::vector<RulePack>> parse_embedded_packs() {
  std::vector<RulePack> packs;
  for (const detail::EmbeddedFile& f : detail::embedded_packs()) {
    auto pack = parse_pack(f.text, std::string("rules/") + f.name);
    if (!pack) return pack.error();
    packs.push_back(std::move(pack).value());
    packs.back().builtin = true;
  }
  return packs;
}

}  // namespace detail

Result<std::vector<RulePack>> default_packs() {
  if (auto saved = detail::load_saved_packs(detail::embedded_saved_packs(), detail::embedded_packs_key()))
    return std::move(*saved);
  return detail::parse_embedded_packs();
}

std::vector<RulePack> merge_packs(std::vector<RulePack> base, std::vector<RulePack> extra) {
  for (RulePack& p : extra) {
    auto same = std::find_if(base.begin(), base.end(), [&](const RulePack& b) { return b.name == p.name; });
    if (same != base.end()) *same = std::move(p);
    else base.push_back(std::move(p));
  }
  return base;
}

}  // namespace selftalk
