// The C interface: opaque handles over the C++ API. Every entry point catches exceptions (only
// std::bad_alloc and ICU set-up failures can occur) and turns them into NULL plus an error.
#include "selftalk/selftalk_c.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "selftalk/analyzer.h"
#include "selftalk/json.h"
#include "selftalk/pack.h"
#include "selftalk/ruleset.h"
#include "selftalk/stream.h"
#include "selftalk/version.h"

static_assert(SELFTALK_CATEGORY_COUNT == selftalk::kCategoryCount);
static_assert(SELFTALK_PILLAR_COUNT == selftalk::kPillarCount);
static_assert(SELFTALK_UNDESERVING == static_cast<int>(selftalk::Category::kUndeserving));
static_assert(SELFTALK_HIGH == static_cast<int>(selftalk::Severity::kHigh));

struct selftalk_error {
  selftalk::Error error;
  std::string message;
};

struct selftalk_ruleset {
  std::shared_ptr<const selftalk::Ruleset> rules;
};

struct selftalk_options {
  selftalk::AnalyzeOptions options;
};

struct selftalk_analyzer {
  selftalk::Analyzer analyzer;
  selftalk::AnalyzeOptions options;
};

struct selftalk_stream {
  selftalk::StreamAnalyzer stream;
};

struct selftalk_result {
  selftalk::Analysis analysis;
  std::vector<selftalk_finding> findings;
  std::vector<const char*> strings;  // reframes and strategies of all findings
  selftalk_scores scores{};
};

namespace {

void set_error(selftalk_error** out, selftalk::Error e) {
  if (out == nullptr) return;
  *out = nullptr;
  try {
    auto* err = new selftalk_error{std::move(e), {}};
    err->message = err->error.to_string();
    *out = err;
  } catch (...) {
  }
}

void set_error(selftalk_error** out, const std::exception& e) {
  try {
    set_error(out, selftalk::Error{e.what(), {}, {}, {}});
  } catch (...) {
  }
}

bool valid_category(int c) { return c >= 0 && c < SELFTALK_CATEGORY_COUNT; }

// Fills the C views of result->analysis. The pointers stay valid because neither the analysis nor
// the vectors change afterwards.
selftalk_result* make_result(selftalk::Analysis a) {
  auto r = std::make_unique<selftalk_result>();
  r->analysis = std::move(a);
  std::size_t total = 0;
  for (const selftalk::Finding& f : r->analysis.findings) total += 2 * f.reframes.size();
  r->strings.reserve(total);
  r->findings.reserve(r->analysis.findings.size());
  for (const selftalk::Finding& f : r->analysis.findings) {
    selftalk_finding c{};
    c.rule = f.rule.c_str();
    c.category = static_cast<int>(f.category);
    c.pillar = static_cast<int>(f.pillar);
    c.severity = static_cast<int>(f.severity);
    c.reported = f.reported ? 1 : 0;
    c.begin = f.begin;
    c.end = f.end;
    c.line = f.line;
    c.column = f.column;
    c.cp_begin = f.cp_begin;
    c.cp_end = f.cp_end;
    c.utf16_begin = f.utf16_begin;
    c.utf16_end = f.utf16_end;
    c.sentence_begin = f.sentence_begin;
    c.sentence_end = f.sentence_end;
    c.text = f.text.c_str();
    c.message = f.message.c_str();
    c.friend_view = f.friend_view.c_str();
    c.support = f.support.c_str();
    c.reframe_count = f.reframes.size();
    const std::size_t at = r->strings.size();
    for (const selftalk::Reframe& x : f.reframes) r->strings.push_back(x.text.c_str());
    for (const selftalk::Reframe& x : f.reframes) r->strings.push_back(x.strategy.c_str());
    c.reframes = r->strings.data() + at;
    c.reframe_strategies = r->strings.data() + at + f.reframes.size();
    r->findings.push_back(c);
  }
  const selftalk::Scores& s = r->analysis.scores;
  r->scores.words = s.words;
  r->scores.sentences = s.sentences;
  for (std::size_t i = 0; i < selftalk::kCategoryCount; ++i) r->scores.by_category[i] = s.by_category[i];
  for (std::size_t i = 0; i < selftalk::kPillarCount; ++i) r->scores.by_pillar[i] = s.by_pillar[i];
  r->scores.critic_intensity = s.critic_intensity;
  r->scores.absolutist_words = s.absolutist_words;
  r->scores.absolutist_rate = s.absolutist_rate;
  return r.release();
}

selftalk_result* stream_result(selftalk::StreamAnalyzer& stream, std::vector<selftalk::Finding> findings) {
  selftalk::Analysis a;
  a.findings = std::move(findings);
  a.scores = stream.scores();
  a.invalid_utf8_bytes = stream.invalid_utf8_bytes();
  return make_result(std::move(a));
}

selftalk_ruleset* compile(selftalk::Result<std::vector<selftalk::RulePack>> extra, bool with_defaults,
                          selftalk_error** error) {
  if (!extra) {
    set_error(error, extra.error());
    return nullptr;
  }
  std::vector<selftalk::RulePack> packs;
  if (with_defaults) {
    auto defaults = selftalk::default_packs();
    if (!defaults) {
      set_error(error, defaults.error());
      return nullptr;
    }
    packs = selftalk::merge_packs(std::move(*defaults), std::move(*extra));
  } else {
    packs = std::move(*extra);
  }
  auto rules = selftalk::Ruleset::compile(std::move(packs));
  if (!rules) {
    set_error(error, rules.error());
    return nullptr;
  }
  return new selftalk_ruleset{std::move(*rules)};
}

}  // namespace

extern "C" {

const char* selftalk_version(void) { return selftalk::version(); }

const char* selftalk_category_name(int category) {
  return valid_category(category) ? selftalk::to_string(static_cast<selftalk::Category>(category)).data() : nullptr;
}
const char* selftalk_pillar_name(int pillar) {
  return pillar >= 0 && pillar < SELFTALK_PILLAR_COUNT ? selftalk::to_string(static_cast<selftalk::Pillar>(pillar)).data()
                                                       : nullptr;
}
const char* selftalk_severity_name(int severity) {
  return severity >= SELFTALK_LOW && severity <= SELFTALK_HIGH
             ? selftalk::to_string(static_cast<selftalk::Severity>(severity)).data()
             : nullptr;
}
int selftalk_category_from_name(const char* id) {
  auto c = selftalk::category_from_string(id);
  return c ? static_cast<int>(*c) : -1;
}

const char* selftalk_error_message(const selftalk_error* e) { return e->message.c_str(); }
const char* selftalk_error_file(const selftalk_error* e) { return e->error.where.file.c_str(); }
int selftalk_error_line(const selftalk_error* e) { return e->error.where.line; }
int selftalk_error_column(const selftalk_error* e) { return e->error.where.column; }
const char* selftalk_error_pack(const selftalk_error* e) { return e->error.pack.c_str(); }
const char* selftalk_error_rule(const selftalk_error* e) { return e->error.rule.c_str(); }
void selftalk_error_free(selftalk_error* e) { delete e; }

selftalk_ruleset* selftalk_ruleset_default(selftalk_error** error) {
  try {
    auto rules = selftalk::Ruleset::default_ruleset();
    if (!rules) {
      set_error(error, rules.error());
      return nullptr;
    }
    return new selftalk_ruleset{std::move(*rules)};
  } catch (const std::exception& e) {
    set_error(error, e);
    return nullptr;
  }
}

selftalk_ruleset* selftalk_ruleset_from_files(const char* const* paths, size_t count, int with_defaults,
                                              selftalk_error** error) {
  try {
    std::vector<selftalk::RulePack> packs;
    for (std::size_t i = 0; i < count; ++i) {
      auto loaded = selftalk::load_packs(paths[i]);
      if (!loaded) return compile(loaded.error(), false, error);
      for (auto& p : *loaded) packs.push_back(std::move(p));
    }
    return compile(std::move(packs), with_defaults != 0, error);
  } catch (const std::exception& e) {
    set_error(error, e);
    return nullptr;
  }
}

selftalk_ruleset* selftalk_ruleset_from_json(const char* const* jsons, size_t count, int with_defaults,
                                             selftalk_error** error) {
  try {
    std::vector<selftalk::RulePack> packs;
    for (std::size_t i = 0; i < count; ++i) {
      auto pack = selftalk::parse_pack(jsons[i], "string" + std::to_string(i + 1) + ".json");
      if (!pack) return compile(pack.error(), false, error);
      packs.push_back(std::move(*pack));
    }
    return compile(std::move(packs), with_defaults != 0, error);
  } catch (const std::exception& e) {
    set_error(error, e);
    return nullptr;
  }
}

size_t selftalk_ruleset_rule_count(const selftalk_ruleset* rules) {
  std::size_t n = 0;
  for (const selftalk::RulePack& p : rules->rules->packs()) n += p.rules.size();
  return n;
}
void selftalk_ruleset_free(selftalk_ruleset* rules) { delete rules; }

selftalk_options* selftalk_options_new(void) { return new (std::nothrow) selftalk_options{}; }
int selftalk_options_set_category(selftalk_options* o, int category, int enabled) {
  if (!valid_category(category)) return -1;
  o->options.categories[static_cast<std::size_t>(category)] = enabled != 0;
  return 0;
}
int selftalk_options_set_min_severity(selftalk_options* o, int severity) {
  if (severity < SELFTALK_LOW || severity > SELFTALK_HIGH) return -1;
  o->options.min_severity = static_cast<selftalk::Severity>(severity);
  return 0;
}
void selftalk_options_set_include_reported(selftalk_options* o, int enabled) { o->options.include_reported = enabled != 0; }
void selftalk_options_set_all_reframes(selftalk_options* o, int enabled) { o->options.all_reframes = enabled != 0; }
void selftalk_options_free(selftalk_options* o) { delete o; }

selftalk_analyzer* selftalk_analyzer_new(const selftalk_ruleset* rules, const selftalk_options* options,
                                         selftalk_error** error) {
  try {
    return new selftalk_analyzer{selftalk::Analyzer(rules->rules), options ? options->options : selftalk::AnalyzeOptions{}};
  } catch (const std::exception& e) {
    set_error(error, e);
    return nullptr;
  }
}
void selftalk_analyzer_free(selftalk_analyzer* analyzer) { delete analyzer; }

selftalk_result* selftalk_analyze(selftalk_analyzer* analyzer, const char* utf8, size_t length) {
  try {
    return make_result(analyzer->analyzer.analyze(std::string_view(utf8, length), analyzer->options));
  } catch (...) {
    return nullptr;
  }
}

size_t selftalk_result_count(const selftalk_result* r) { return r->findings.size(); }
const selftalk_finding* selftalk_result_finding(const selftalk_result* r, size_t index) {
  return index < r->findings.size() ? &r->findings[index] : nullptr;
}
const selftalk_scores* selftalk_result_scores(const selftalk_result* r) { return &r->scores; }
const char* selftalk_result_self_compassion_break(const selftalk_result* r) {
  return r->analysis.self_compassion_break.c_str();
}
size_t selftalk_result_invalid_utf8_bytes(const selftalk_result* r) { return r->analysis.invalid_utf8_bytes; }

char* selftalk_result_to_json(const selftalk_result* r, size_t* length) {
  try {
    std::string json;
    selftalk::append_json(json, r->analysis);
    char* out = static_cast<char*>(std::malloc(json.size() + 1));
    if (out == nullptr) return nullptr;
    std::memcpy(out, json.c_str(), json.size() + 1);
    if (length != nullptr) *length = json.size();
    return out;
  } catch (...) {
    return nullptr;
  }
}
void selftalk_result_free(selftalk_result* r) { delete r; }
void selftalk_string_free(char* s) { std::free(s); }

selftalk_stream* selftalk_stream_new(const selftalk_ruleset* rules, const selftalk_options* options,
                                     selftalk_error** error) {
  try {
    return new selftalk_stream{
        selftalk::StreamAnalyzer(rules->rules, options ? options->options : selftalk::AnalyzeOptions{})};
  } catch (const std::exception& e) {
    set_error(error, e);
    return nullptr;
  }
}
selftalk_result* selftalk_stream_feed(selftalk_stream* s, const char* utf8, size_t length) {
  try {
    return stream_result(s->stream, s->stream.feed(std::string_view(utf8, length)));
  } catch (...) {
    return nullptr;
  }
}
selftalk_result* selftalk_stream_finish(selftalk_stream* s) {
  try {
    return stream_result(s->stream, s->stream.finish());
  } catch (...) {
    return nullptr;
  }
}
void selftalk_stream_free(selftalk_stream* s) { delete s; }

}  // extern "C"
