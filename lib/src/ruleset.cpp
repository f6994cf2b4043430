// Compiling packs into a Ruleset: macro expansion, apostrophe folding, RE2 compilation (deferred
// for the built-in packs), the literal prefilter, and the checks that make a bad pack an error
// instead of a silent gap.
#include "selftalk/ruleset.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "reframe.h"
#include "ruleset_impl.h"
#include "text.h"

namespace selftalk {
namespace {

constexpr int64_t kPatternMaxMem = 8 << 20;   // per pattern, RE2's default budget
constexpr int64_t kSetMaxMem = 64 << 20;      // per alternation of cues or exceptions
constexpr int kMaxMacroDepth = 16;
// The kinds of context cue, in the order the prefilter numbers them after the rules' patterns.
constexpr std::vector<Located> ContextCues::*kCueKinds[] = {&ContextCues::negation, &ContextCues::reported,
                                                            &ContextCues::past};

Error error_at(const Located& where, const RulePack& pack, const std::string& rule, std::string message) {
  return Error{std::move(message), where.where, pack.name, rule};
}

RE2::Options pattern_options(int64_t max_mem) {
  RE2::Options o;
  o.set_case_sensitive(false);
  o.set_log_errors(false);
  o.set_max_mem(max_mem);
  return o;
}

// Expands {{NAME}} references, then makes every apostrophe (' or ’) match both forms, so rules
// are written once and the text is never rewritten.
class PatternExpander {
 public:
  explicit PatternExpander(const std::map<std::string, std::string, std::less<>>& macros) : macros_(macros) {}

  // Returns the RE2 source for `pattern`, or sets *error.
  std::string expand(std::string_view pattern, std::string* error) const {
    std::string with_macros;
    if (!expand_macros(pattern, with_macros, 0, error)) return {};
    return fold_apostrophes(with_macros);
  }

 private:
  bool expand_macros(std::string_view in, std::string& out, int depth, std::string* error) const {
    if (depth > kMaxMacroDepth) {
      *error = "macros nest too deeply (a cycle?)";
      return false;
    }
    for (std::size_t i = 0; i < in.size();) {
      if (in.compare(i, 2, "{{") == 0) {
        std::size_t close = in.find("}}", i + 2);
        if (close == std::string_view::npos) {
          *error = "unclosed '{{' macro reference";
          return false;
        }
        std::string_view name = in.substr(i + 2, close - i - 2);
        auto it = macros_.find(name);
        if (it == macros_.end()) {
          *error = "unknown macro {{" + std::string(name) + "}}";
          return false;
        }
        out += "(?:";
        if (!expand_macros(it->second, out, depth + 1, error)) return false;
        out += ')';
        i = close + 2;
      } else {
        out += in[i++];
      }
    }
    return true;
  }

  // Rewrites apostrophes (see above) and the letter classes: RE2 compiles \p{L} to about 1,200
  // instructions, so the packs' hundreds of uses made automata 100 times larger than needed.
  // \p{L}, \p{Ll} and \p{Lu} stand for Latin letters, a-z and U+00C0-U+024F (case folding
  // adds A-Z): what English packs mean by a letter (rules/README.md).
  static std::string fold_apostrophes(std::string_view in) {
    static constexpr std::string_view kCurly = "\u2019";
    static constexpr std::string_view kLetters = "a-z\\x{C0}-\\x{24F}";
    std::string out;
    bool in_class = false;
    for (std::size_t i = 0; i < in.size(); ++i) {
      char c = in[i];
      if (c == '\\') {
        for (std::string_view cls : {"\\p{L}", "\\p{Ll}", "\\p{Lu}", "\\pL"}) {
          if (in.compare(i, cls.size(), cls) != 0) continue;
          out += in_class ? std::string(kLetters) : "[" + std::string(kLetters) + "]";
          i += cls.size();
          c = 0;
          break;
        }
        if (c == 0) {
          --i;
          continue;
        }
      }
      if (c == '\\' && i + 1 < in.size()) {
        out += c;
        out += in[++i];
        continue;
      }
      bool apostrophe = c == '\'' || in.compare(i, kCurly.size(), kCurly) == 0;
      if (apostrophe) {
        out += in_class ? "'\u2019" : "['\u2019]";
        if (c != '\'') i += kCurly.size() - 1;
        continue;
      }
      if (!in_class && c == '[') {
        in_class = true;
        out += c;
        // A ']' right after '[' or '[^' is a literal.
        if (i + 1 < in.size() && in[i + 1] == '^') out += in[++i];
        if (i + 1 < in.size() && in[i + 1] == ']') out += in[++i];
        continue;
      }
      if (in_class && c == ']') in_class = false;
      out += c;
    }
    return out;
  }

  const std::map<std::string, std::string, std::less<>>& macros_;
};

// One alternative alone, or several as (?:a)|(?:b)|...
std::string join_alternatives(std::vector<std::string> sources) {
  if (sources.size() == 1) return std::move(sources.front());
  std::string all;
  for (const std::string& s : sources) all += (all.empty() ? "(?:" : "|(?:") + s + ")";
  return all;
}

}  // namespace

const RE2* detail::LazyRegex::get() const {
  std::call_once(once_, [this] {
    if (re_) return;
    std::vector<std::string> sources;
    const PatternExpander expander(*macros_);
    for (std::string_view part : parts_) {
      std::string error;
      sources.push_back(expander.expand(part, &error));
      if (!error.empty()) return;
    }
    auto re = std::make_unique<RE2>(join_alternatives(std::move(sources)), pattern_options(max_mem_));
    if (re->ok()) re_ = std::move(re);
  });
  return re_.get();
}

namespace {

class Compiler {
 public:
  std::optional<Error> run(std::vector<RulePack> packs, std::unique_ptr<Ruleset::Impl>& impl) {
    if (packs.empty()) return Error{"no rule packs to compile", {}, {}, {}};
    impl = std::make_unique<Ruleset::Impl>();
    impl->packs = std::move(packs);
    impl->language = impl->packs.front().language;
    if (auto e = collect_macros(*impl)) return *e;
    PatternExpander expander(impl->macros);
    if (auto e = compile_context(*impl, expander)) return *e;
    detail::PatternReading reading = read_patterns(*impl, detail::pattern_sources(impl->packs), detail::embedded_reading());
    if (auto e = compile_rules(*impl, expander, reading)) return *e;
    impl->prefilter = std::move(reading.prefilter);
    impl->cue_prefilter =
        read_patterns(*impl, detail::cue_sources(impl->packs), detail::embedded_cue_reading()).prefilter;
    return std::nullopt;
  }

 private:
  std::optional<Error> collect_macros(Ruleset::Impl& impl) {
    std::map<std::string, const RulePack*> owner;
    for (const RulePack& pack : impl.packs) {
      for (const auto& [name, body] : pack.macros) {
        auto [it, inserted] = impl.macros.emplace(name, body.text);
        if (!inserted && it->second != body.text)
          return error_at(body, pack, {}, "macro {{" + name + "}} is already defined differently by pack '" +
                                               owner[name]->name + "'");
        owner.emplace(name, &pack);
      }
    }
    return std::nullopt;
  }

  // The built-in packs alone were read when the library was built (`embedded`); anything else is
  // read now.
  static detail::PatternReading read_patterns(const Ruleset::Impl& impl, const std::vector<std::string_view>& sources,
                                              std::string_view embedded) {
    if (std::all_of(impl.packs.begin(), impl.packs.end(), [](const RulePack& p) { return p.builtin; })) {
      if (auto saved = detail::load_reading(embedded, detail::reading_key(impl.macros, sources)))
        return std::move(*saved);
    }
    return detail::read_patterns(impl.macros, sources);
  }

  // Expands and compiles one pattern on its own, for its error message and location.
  static std::optional<Error> check_one(const PatternExpander& expander, const Located& p, const RulePack& pack,
                                        const std::string& rule, std::unique_ptr<RE2>& out, std::string* source) {
    std::string error;
    std::string expanded = expander.expand(p.text, &error);
    if (!error.empty()) return error_at(p, pack, rule, "pattern \"" + p.text + "\": " + error);
    out = std::make_unique<RE2>(expanded, pattern_options(kPatternMaxMem));
    if (!out->ok()) {
      std::string why = out->error_code() == RE2::ErrorPatternTooLarge
                            ? "pattern exceeds RE2's memory budget"
                            : "invalid regular expression: " + out->error();
      return error_at(p, pack, rule, "pattern \"" + p.text + "\": " + why);
    }
    if (source) *source = std::move(expanded);
    return std::nullopt;
  }

  // A list of patterns as one alternation: compiled on first use when every pattern is built in,
  // else each checked alone and the whole compiled now.
  std::optional<Error> compile_alternation(const Ruleset::Impl& impl, const PatternExpander& expander,
                                           const std::vector<const Located*>& list,
                                           const std::vector<const RulePack*>& owners, const std::string& rule,
                                           std::unique_ptr<detail::LazyRegex>& out) {
    if (list.empty()) return std::nullopt;
    if (std::all_of(owners.begin(), owners.end(), [](const RulePack* p) { return p->builtin; })) {
      std::vector<std::string_view> parts;
      for (const Located* p : list) parts.push_back(p->text);
      out = std::make_unique<detail::LazyRegex>(std::move(parts), &impl.macros, kSetMaxMem);
      return std::nullopt;
    }
    std::vector<std::string> sources(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::unique_ptr<RE2> one;
      if (auto e = check_one(expander, *list[i], *owners[i], rule, one, &sources[i])) return e;
    }
    auto re = std::make_unique<RE2>(join_alternatives(std::move(sources)), pattern_options(kSetMaxMem));
    if (!re->ok())
      return error_at(*list.front(), *owners.front(), rule, "patterns together exceed RE2's memory budget");
    out = std::make_unique<detail::LazyRegex>(std::move(re));
    return std::nullopt;
  }

  // Each cue is an expression of its own, numbered in the cue prefilter (cue_sources' order).
  std::optional<Error> compile_context(Ruleset::Impl& impl, const PatternExpander& expander) {
    detail::CueSet* sets[] = {&impl.negation, &impl.reported, &impl.past};
    std::size_t next = 0;
    for (std::size_t k = 0; k < std::size(kCueKinds); ++k) {
      sets[k]->first = next;
      for (const RulePack& pack : impl.packs) {
        for (const Located& cue : pack.context.*kCueKinds[k]) {
          std::unique_ptr<RE2> checked;
          if (!pack.builtin)
            if (auto e = check_one(expander, cue, pack, {}, checked, nullptr)) return e;
          sets[k]->cues.push_back(checked ? std::make_unique<detail::LazyRegex>(std::move(checked))
                                          : std::make_unique<detail::LazyRegex>(std::vector<std::string_view>{cue.text},
                                                                                &impl.macros, kPatternMaxMem));
          ++next;
        }
      }
    }
    std::set<std::string> words;
    for (const RulePack& pack : impl.packs) {
      if (impl.support_message.empty()) impl.support_message = pack.support_message.text;
      if (impl.self_compassion_break.empty()) impl.self_compassion_break = pack.self_compassion_break.text;
      for (const std::string& w : pack.absolutist_words) {
        std::string lower;
        detail::ascii_lower(w, lower);
        words.insert(lower);
      }
    }
    impl.absolutist_words.assign(words.begin(), words.end());
    return std::nullopt;
  }

  std::optional<Error> compile_rules(Ruleset::Impl& impl, const PatternExpander& expander,
                                     detail::PatternReading& reading) {
    for (const RulePack& pack : impl.packs) {
      for (const RuleSpec& spec : pack.rules) {
        if (!impl.by_id.emplace(spec.id, impl.rules.size()).second)
          return Error{"duplicate rule id '" + spec.id + "'", spec.where, pack.name, spec.id};
        detail::CompiledRule rule;
        rule.spec = &spec;
        rule.pack = &pack;
        for (const Located& p : spec.patterns) {
          const std::size_t number = impl.entries.size();
          detail::CompiledPattern cp;
          cp.group_name.assign(1, std::string());
          const auto& names = reading.group_names[number];
          cp.group_name.insert(cp.group_name.end(), names.begin(), names.end());
          const bool understood = reading.understood[number] != 0;
          std::unique_ptr<RE2> checked;
          // Built-in patterns wait for first use, unless the group names need RE2's own reading.
          if (!pack.builtin || !understood)
            if (auto e = check_one(expander, p, pack, spec.id, checked, nullptr)) return e;
          if (checked) {
            cp.group_name.assign(static_cast<std::size_t>(checked->NumberOfCapturingGroups()) + 1, std::string());
            for (const auto& [name, index] : checked->NamedCapturingGroups())
              cp.group_name[static_cast<std::size_t>(index)] = name;
            cp.re = std::make_unique<detail::LazyRegex>(std::move(checked));
          } else {
            cp.re = std::make_unique<detail::LazyRegex>(std::vector<std::string_view>{p.text}, &impl.macros,
                                                        kPatternMaxMem);
          }
          impl.entries.push_back({impl.rules.size(), rule.patterns.size()});
          rule.patterns.push_back(std::move(cp));
        }
        std::vector<const Located*> exceptions;
        for (const Located& e : spec.exceptions) exceptions.push_back(&e);
        std::vector<const RulePack*> owners(exceptions.size(), &pack);
        if (auto e = compile_alternation(impl, expander, exceptions, owners, spec.id, rule.exceptions)) return e;
        for (const std::string& c : spec.ignore_context) {
          if (c == "negation") rule.check_negation = false;
          if (c == "reported") rule.check_reported = false;
          if (c == "past") rule.check_past = false;
          if (c == "quoted") rule.check_quoted = false;
        }
        if (auto e = attach_templates(impl, pack, rule)) return e;
        impl.rules.push_back(std::move(rule));
      }
    }
    if (auto e = check_category_slots(impl)) return e;
    return std::nullopt;
  }

  // Slots a rule can fill: the built-in ones and the named groups that every pattern captures.
  static std::set<std::string, std::less<>> rule_slots(const detail::CompiledRule& rule) {
    std::set<std::string, std::less<>> common;
    bool first = true;
    for (const detail::CompiledPattern& p : rule.patterns) {
      std::set<std::string, std::less<>> names;
      for (const std::string& n : p.group_name)
        if (!n.empty()) names.insert(n);
      if (first) common = std::move(names);
      else {
        std::set<std::string, std::less<>> both;
        std::set_intersection(common.begin(), common.end(), names.begin(), names.end(),
                              std::inserter(both, both.end()));
        common = std::move(both);
      }
      first = false;
    }
    for (std::string_view b : detail::builtin_slots()) common.emplace(b);
    return common;
  }

  static bool fits(const Located& text, const std::set<std::string, std::less<>>& slots, std::string* bad) {
    for (const std::string& s : detail::template_slots(text.text)) {
      if (!slots.contains(s)) {
        *bad = s;
        return false;
      }
    }
    return true;
  }

  std::optional<Error> attach_templates(const Ruleset::Impl& impl, const RulePack& pack, detail::CompiledRule& rule) {
    const RuleSpec& spec = *rule.spec;
    if (spec.category == Category::kSafety) {
      if (!spec.reframes.empty() || !spec.friend_view.text.empty())
        return Error{"a safety rule must not have reframes or a friend view: it is answered with the support message",
                     spec.where, pack.name, spec.id};
      if (impl.support_message.empty())
        return Error{"safety rule but no pack defines 'support_message'", spec.where, pack.name, spec.id};
      return std::nullopt;
    }
    auto slots = rule_slots(rule);
    std::string bad;
    for (const Located* t : template_texts(spec)) {
      if (auto e = detail::check_template_syntax(t->text)) return error_at(*t, pack, spec.id, "template: " + *e);
      if (!fits(*t, slots, &bad))
        return error_at(*t, pack, spec.id, "template uses unknown slot {" + bad + "}");
    }
    rule.friend_view = spec.friend_view.text.empty() ? nullptr : &spec.friend_view;
    for (const ReframeTemplate& t : spec.reframes) rule.reframes.push_back(&t);
    for (const RulePack& p : impl.packs) {
      for (const CategoryDefaults& d : p.category_defaults) {
        if (d.category != spec.category) continue;
        if (!rule.friend_view && !d.friend_view.text.empty() && fits(d.friend_view, slots, &bad))
          rule.friend_view = &d.friend_view;
        for (const ReframeTemplate& t : d.reframes)
          if (fits(t.text, slots, &bad)) rule.reframes.push_back(&t);
      }
    }
    if (!rule.friend_view)
      return Error{"no friend view: give the rule a 'friend' template or its category a default", spec.where,
                   pack.name, spec.id};
    if (rule.reframes.size() < 2)
      return Error{"a rule needs at least two applicable reframes (its own plus its category's defaults)",
                   spec.where, pack.name, spec.id};
    return std::nullopt;
  }

  static std::vector<const Located*> template_texts(const RuleSpec& spec) {
    std::vector<const Located*> out;
    if (!spec.friend_view.text.empty()) out.push_back(&spec.friend_view);
    for (const ReframeTemplate& t : spec.reframes) out.push_back(&t.text);
    return out;
  }

  // A category default may use a named group, but only one some rule of the category captures.
  static std::optional<Error> check_category_slots(const Ruleset::Impl& impl) {
    for (const RulePack& pack : impl.packs) {
      for (const CategoryDefaults& d : pack.category_defaults) {
        std::set<std::string, std::less<>> known;
        for (std::string_view b : detail::builtin_slots()) known.emplace(b);
        for (const detail::CompiledRule& r : impl.rules)
          if (r.spec->category == d.category)
            for (const detail::CompiledPattern& p : r.patterns)
              for (const std::string& n : p.group_name)
                if (!n.empty()) known.insert(n);
        std::vector<const Located*> texts;
        if (!d.friend_view.text.empty()) texts.push_back(&d.friend_view);
        for (const ReframeTemplate& t : d.reframes) texts.push_back(&t.text);
        std::string bad;
        for (const Located* t : texts) {
          if (auto e = detail::check_template_syntax(t->text)) return error_at(*t, pack, {}, "template: " + *e);
          if (!fits(*t, known, &bad))
            return error_at(*t, pack, {}, "template for category " + std::string(to_string(d.category)) +
                                              " uses unknown slot {" + bad + "}");
        }
      }
    }
    return std::nullopt;
  }

};

}  // namespace

std::vector<std::string_view> detail::pattern_sources(const std::vector<RulePack>& packs) {
  std::vector<std::string_view> out;
  for (const RulePack& pack : packs)
    for (const RuleSpec& spec : pack.rules)
      for (const Located& p : spec.patterns) out.push_back(p.text);
  return out;
}

std::vector<std::string_view> detail::cue_sources(const std::vector<RulePack>& packs) {
  std::vector<std::string_view> out;
  for (auto member : kCueKinds)
    for (const RulePack& pack : packs)
      for (const Located& cue : pack.context.*member) out.push_back(cue.text);
  return out;
}

Ruleset::Ruleset(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ruleset::~Ruleset() = default;

Result<std::shared_ptr<const Ruleset>> Ruleset::compile(std::vector<RulePack> packs) {
  std::unique_ptr<Impl> impl;
  if (auto error = Compiler().run(std::move(packs), impl)) return *error;
  return std::shared_ptr<const Ruleset>(new Ruleset(std::move(impl)));
}

Result<std::shared_ptr<const Ruleset>> Ruleset::default_ruleset() {
  static const Result<std::shared_ptr<const Ruleset>> cached = []() -> Result<std::shared_ptr<const Ruleset>> {
    auto packs = default_packs();
    if (!packs) return packs.error();
    return compile(std::move(packs).value());
  }();
  return cached;
}

const std::vector<RulePack>& Ruleset::packs() const { return impl_->packs; }

const RuleSpec* Ruleset::find_rule(std::string_view id) const {
  auto it = impl_->by_id.find(id);
  return it == impl_->by_id.end() ? nullptr : impl_->rules[it->second].spec;
}

std::vector<const RuleSpec*> Ruleset::rules() const {
  std::vector<const RuleSpec*> out;
  out.reserve(impl_->rules.size());
  for (const auto& r : impl_->rules) out.push_back(r.spec);
  return out;
}

const std::string& Ruleset::language() const { return impl_->language; }

}  // namespace selftalk
