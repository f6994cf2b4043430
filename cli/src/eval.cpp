#include "eval.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace selftalk::cli {

double Counts::precision() const { return tp + fp == 0 ? 1.0 : static_cast<double>(tp) / static_cast<double>(tp + fp); }
double Counts::recall() const { return tp + fn == 0 ? 1.0 : static_cast<double>(tp) / static_cast<double>(tp + fn); }
double Counts::f1() const {
  double p = precision(), r = recall();
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

bool parse_gold(const std::string& content, std::vector<GoldRecord>& out, std::string* error) {
  std::size_t pos = 0, line = 0;
  while (pos < content.size()) {
    std::size_t nl = content.find('\n', pos);
    if (nl == std::string::npos) nl = content.size();
    std::string text = content.substr(pos, nl - pos);
    pos = nl + 1;
    ++line;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto j = nlohmann::json::parse(text, nullptr, false);
    auto fail = [&](const std::string& why) {
      *error = "line " + std::to_string(line) + ": " + why;
      return false;
    };
    if (j.is_discarded() || !j.is_object()) return fail("not a JSON object");
    if (!j.contains("text") || !j["text"].is_string()) return fail("no string \"text\"");
    if (!j.contains("categories") || !j["categories"].is_array()) return fail("no \"categories\" array");
    GoldRecord r;
    if (j.contains("id") && !j["id"].is_string() && !j["id"].is_number()) return fail("\"id\" must be a string or a number");
    r.id = j.contains("id") ? (j["id"].is_string() ? j["id"].get<std::string>() : j["id"].dump()) : std::to_string(line);
    r.text = j["text"].get<std::string>();
    for (const auto& c : j["categories"]) {
      if (!c.is_string()) return fail("categories must be strings");
      auto cat = category_from_string(c.get<std::string>());
      if (!cat) return fail("unknown category '" + c.get<std::string>() + "'");
      r.gold[static_cast<std::size_t>(*cat)] = true;
    }
    out.push_back(std::move(r));
  }
  return true;
}

EvalReport evaluate(Analyzer& analyzer, const std::vector<GoldRecord>& gold) {
  EvalReport report;
  AnalyzeOptions options;
  options.reframes = false;
  options.scores = false;
  for (const GoldRecord& g : gold) {
    ++report.records;
    Analysis a = analyzer.analyze(g.text, options);
    std::array<bool, kCategoryCount> predicted{};
    for (const Finding& f : a.findings) predicted[static_cast<std::size_t>(f.category)] = true;
    bool any_gold = false, any_pred = false;
    for (std::size_t i = 0; i < kCategoryCount; ++i) {
      any_gold |= g.gold[i];
      any_pred |= predicted[i];
      Counts& c = report.category[i];
      if (g.gold[i]) ++report.support[i];
      if (g.gold[i] && predicted[i]) ++c.tp;
      if (!g.gold[i] && predicted[i]) {
        ++c.fp;
        report.mistakes.push_back("FP " + std::string(to_string(static_cast<Category>(i))) + " [" + g.id + "] " + g.text);
      }
      if (g.gold[i] && !predicted[i]) {
        ++c.fn;
        report.mistakes.push_back("FN " + std::string(to_string(static_cast<Category>(i))) + " [" + g.id + "] " + g.text);
      }
    }
    if (any_gold && any_pred) ++report.detection.tp;
    if (!any_gold && any_pred) ++report.detection.fp;
    if (any_gold && !any_pred) ++report.detection.fn;
  }
  return report;
}

void write_eval_text(std::ostream& out, const EvalReport& r, bool show_mistakes) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "%-22s %7s %7s %7s %5s %5s %5s %7s\n", "category", "prec", "recall", "f1", "tp",
                "fp", "fn", "gold");
  out << buf;
  auto row = [&](std::string_view name, const Counts& c, std::size_t support) {
    std::snprintf(buf, sizeof buf, "%-22.*s %7.3f %7.3f %7.3f %5zu %5zu %5zu %7zu\n", static_cast<int>(name.size()),
                  name.data(), c.precision(), c.recall(), c.f1(), c.tp, c.fp, c.fn, support);
    out << buf;
  };
  row("detection (any)", r.detection, r.detection.tp + r.detection.fn);
  for (std::size_t i = 0; i < kCategoryCount; ++i) row(to_string(static_cast<Category>(i)), r.category[i], r.support[i]);
  out << r.records << " records\n";
  if (show_mistakes)
    for (const std::string& m : r.mistakes) out << m << "\n";
}

void write_eval_json(std::ostream& out, const EvalReport& r) {
  auto counts = [](const Counts& c, std::size_t support) {
    return nlohmann::json{{"precision", c.precision()}, {"recall", c.recall()}, {"f1", c.f1()}, {"tp", c.tp},
                          {"fp", c.fp}, {"fn", c.fn}, {"gold", support}};
  };
  nlohmann::json j;
  j["records"] = r.records;
  j["detection"] = counts(r.detection, r.detection.tp + r.detection.fn);
  for (std::size_t i = 0; i < kCategoryCount; ++i)
    j["categories"][std::string(to_string(static_cast<Category>(i)))] = counts(r.category[i], r.support[i]);
  j["mistakes"] = r.mistakes;
  out << j.dump(2) << "\n";
}

}  // namespace selftalk::cli
