#include "report.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "csv.h"
#include "output.h"
#include "selftalk/json.h"
#include "selftalk/version.h"

namespace selftalk::cli {
namespace {

constexpr std::size_t kFirstCategoryColumn = 6;
constexpr std::size_t kFirstPillarColumn = kFirstCategoryColumn + kCategoryCount;
constexpr std::size_t kIntensityColumn = kFirstPillarColumn + kPillarCount - 1;

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string_view category_name(std::size_t i) { return to_string(static_cast<Category>(i)); }
std::string_view pillar_name(std::size_t i) { return to_string(static_cast<Pillar>(i)); }

// words .. absolutist_rate, and personal_data.
bool is_number_column(std::size_t c) { return (c >= 3 && c <= kIntensityColumn + 1) || c == kIntensityColumn + 3; }

// Safety worksheets first, then the rest, each in input order (indices into batch.worksheets).
std::vector<std::size_t> safety_first(const Batch& b) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < b.worksheets.size(); ++i)
    if (b.worksheets[i].error.empty() && b.worksheets[i].safety) order.push_back(i);
  for (std::size_t i = 0; i < b.worksheets.size(); ++i)
    if (b.worksheets[i].error.empty() && !b.worksheets[i].safety) order.push_back(i);
  return order;
}

struct Distribution {
  std::size_t findings = 0, worksheets = 0, max = 0;
  std::array<std::size_t, 5> histogram{};  // worksheets with 0, 1, 2, 3-4, 5+ findings
  double mean = 0;                         // findings per analysed worksheet
};
constexpr std::array<std::string_view, 5> kBuckets = {"0", "1", "2", "3-4", "5+"};

std::size_t bucket(std::size_t n) { return n <= 2 ? n : n <= 4 ? 3 : 4; }

struct Stats {
  std::size_t analysed = 0, findings = 0, safety = 0, with_personal_data = 0;
  std::array<Distribution, kCategoryCount> categories{};
  std::array<Distribution, kPillarCount> pillars{};
  PiiCounts personal_data{};
};

Stats stats(const Batch& b) {
  Stats s;
  for (const Worksheet& w : b.worksheets) {
    if (!w.error.empty()) continue;
    ++s.analysed;
    s.findings += w.findings();
    if (w.safety) ++s.safety;
    if (w.personal_data_total() > 0) ++s.with_personal_data;
    for (std::size_t k = 0; k < kPiiKindCount; ++k) s.personal_data[k] += w.personal_data[k];
    auto add = [](Distribution& d, std::size_t n) {
      d.findings += n;
      d.worksheets += n > 0 ? 1 : 0;
      d.max = std::max(d.max, n);
      ++d.histogram[bucket(n)];
    };
    for (std::size_t c = 0; c < kCategoryCount; ++c) add(s.categories[c], w.analysis.scores.by_category[c]);
    for (std::size_t p = 0; p < kPillarCount; ++p) add(s.pillars[p], w.analysis.scores.by_pillar[p]);
  }
  for (Distribution& d : s.categories)
    d.mean = s.analysed ? static_cast<double>(d.findings) / static_cast<double>(s.analysed) : 0.0;
  for (Distribution& d : s.pillars)
    d.mean = s.analysed ? static_cast<double>(d.findings) / static_cast<double>(s.analysed) : 0.0;
  return s;
}

void append_distribution(std::string& out, const Distribution& d) {
  out += "{\"findings\":" + std::to_string(d.findings) + ",\"worksheets\":" + std::to_string(d.worksheets) +
         ",\"max\":" + std::to_string(d.max) + ",\"mean\":" + fixed(d.mean, 3) + ",\"histogram\":{";
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (i) out += ',';
    out += "\"" + std::string(kBuckets[i]) + "\":" + std::to_string(d.histogram[i]);
  }
  out += "}}";
}

std::size_t utf8_length_at(std::string_view s, std::size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size() || c < 0xC2 || c > 0xF4) return 0;
  return invalid_utf8_bytes(s.substr(i, len)) == 0 ? len : 0;
}

}  // namespace

std::vector<std::string> table_columns() {
  std::vector<std::string> c = {"id", "source", "status", "words", "sentences", "findings"};
  for (std::size_t i = 0; i < kCategoryCount; ++i) c.emplace_back(category_name(i));
  for (std::size_t i = 1; i < kPillarCount; ++i) c.emplace_back(pillar_name(i));
  for (const char* s : {"critic_intensity", "absolutist_rate", "safety_flag", "personal_data", "error"}) c.emplace_back(s);
  return c;
}

std::vector<std::string> table_row(const Worksheet& w) {
  const Scores& s = w.analysis.scores;
  std::vector<std::string> r = {w.id, w.source, w.error.empty() ? "ok" : "error", std::to_string(s.words),
                                std::to_string(s.sentences), std::to_string(w.findings())};
  for (std::size_t i = 0; i < kCategoryCount; ++i) r.push_back(std::to_string(s.by_category[i]));
  for (std::size_t i = 1; i < kPillarCount; ++i) r.push_back(std::to_string(s.by_pillar[i]));
  r.push_back(fixed(s.critic_intensity, 3));
  r.push_back(fixed(s.absolutist_rate, 4));
  r.push_back(w.safety ? "true" : "false");
  r.push_back(std::to_string(w.personal_data_total()));
  r.push_back(w.error);
  return r;
}

std::string table_csv(const Batch& batch) {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) out += ',';
      append_csv_field(out, cells[i]);
    }
    out += "\r\n";
  };
  line(table_columns());
  for (const Worksheet& w : batch.worksheets) line(table_row(w));
  return out;
}

std::string table_json(const Batch& batch) {
  std::vector<std::string> columns = table_columns();
  std::string out = "{\"selftalk\":\"" + std::string(version()) + "\",\"columns\":[";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, columns[i]);
  }
  out += "],\"worksheets\":[";
  bool first = true;
  for (const Worksheet& w : batch.worksheets) {
    out += first ? "\n{" : ",\n{";
    first = false;
    std::vector<std::string> row = table_row(w);
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) out += ',';
      append_json_string(out, columns[i]);
      out += ':';
      if (is_number_column(i) || columns[i] == "safety_flag") out += row[i];
      else append_json_string(out, row[i]);
    }
    out += '}';
  }
  out += "]}\n";
  return out;
}

// Opens a worksheet's JSON object with its id and source: {"id":...,"source":...
void open_worksheet_json(std::string& out, const Worksheet& w) {
  out += "{\"id\":";
  append_json_string(out, w.id);
  out += ",\"source\":";
  append_json_string(out, w.source);
}

std::string summary_json(const Batch& batch) {
  Stats s = stats(batch);
  std::string out = "{\"selftalk\":\"" + std::string(version()) + "\"";
  out += ",\"worksheets\":" + std::to_string(batch.worksheets.size());
  out += ",\"analysed\":" + std::to_string(s.analysed);
  out += ",\"errors\":" + std::to_string(batch.errors);
  out += std::string(",\"partial\":") + (batch.errors > 0 ? "true" : "false");
  out += std::string(",\"redacted\":") + (batch.redacted ? "true" : "false");
  out += ",\"findings\":" + std::to_string(s.findings);
  out += ",\"worksheets_with_safety\":" + std::to_string(s.safety);
  out += ",\"safety\":[";
  bool first = true;
  for (std::size_t i : safety_first(batch)) {
    const Worksheet& w = batch.worksheets[i];
    if (!w.safety) break;
    out += first ? "" : ",";
    first = false;
    open_worksheet_json(out, w);
    out += ",\"safety_findings\":" + std::to_string(w.analysis.scores.by_category[0]) + "}";
  }
  out += "],\"totals\":";
  append_json(out, batch.total);
  out += ",\"categories\":{";
  for (std::size_t c = 0; c < kCategoryCount; ++c) {
    if (c) out += ',';
    append_json_string(out, category_name(c));
    out += ':';
    append_distribution(out, s.categories[c]);
  }
  out += "},\"pillars\":{";
  for (std::size_t p = 1; p < kPillarCount; ++p) {
    if (p > 1) out += ',';
    append_json_string(out, pillar_name(p));
    out += ':';
    append_distribution(out, s.pillars[p]);
  }
  out += "},\"error_list\":[";
  first = true;
  for (const Worksheet& w : batch.worksheets) {
    if (w.error.empty()) continue;
    out += first ? "" : ",";
    first = false;
    open_worksheet_json(out, w);
    out += ",\"error\":";
    append_json_string(out, w.error);
    out += "}";
  }
  out += "],\"personal_data\":{\"worksheets\":" + std::to_string(s.with_personal_data);
  for (std::size_t k = 0; k < kPiiKindCount; ++k) {
    out += ',';
    append_json_string(out, to_string(static_cast<PiiKind>(k)));
    out += ':' + std::to_string(s.personal_data[k]);
  }
  out += "}}\n";
  return out;
}

void write_summary_text(std::ostream& out, const Batch& batch) {
  Stats s = stats(batch);
  out << "selftalk batch: " << batch.worksheets.size() << " worksheets, " << s.analysed << " analysed, "
      << batch.errors << (batch.errors == 1 ? " error" : " errors") << (batch.errors > 0 ? " (partial)" : "") << "\n";
  if (s.safety > 0) {
    out << "SAFETY: " << s.safety << (s.safety == 1 ? " worksheet has" : " worksheets have")
        << " crisis language; read first:\n";
    for (std::size_t i : safety_first(batch)) {
      const Worksheet& w = batch.worksheets[i];
      if (!w.safety) break;
      out << "  " << w.source << (w.id != w.source ? " [" + w.id + "]" : "") << "\n";
    }
  }
  out << s.findings << " findings";
  std::string cats;
  for (std::size_t c = 0; c < kCategoryCount; ++c)
    if (s.categories[c].findings > 0)
      cats += (cats.empty() ? "" : ", ") + std::string(category_name(c)) + " " + std::to_string(s.categories[c].findings);
  if (!cats.empty()) out << " (" << cats << ")";
  out << "\n";
  char buf[200];
  std::snprintf(buf, sizeof buf, "%zu words, %zu sentences; critic intensity %.1f per 100 words; absolutist words %.1f%%\n",
                batch.total.words, batch.total.sentences, batch.total.critic_intensity,
                batch.total.absolutist_rate * 100.0);
  out << buf;
  if (s.findings > 0) {
    out << "category: worksheets with any / findings / most in one worksheet\n";
    for (std::size_t c = 0; c < kCategoryCount; ++c) {
      const Distribution& d = s.categories[c];
      if (d.findings == 0) continue;
      std::snprintf(buf, sizeof buf, "  %-22s %6zu %7zu %4zu\n", std::string(category_name(c)).c_str(), d.worksheets,
                    d.findings, d.max);
      out << buf;
    }
  }
  if (batch.errors > 0) {
    out << "not analysed:\n";
    for (const Worksheet& w : batch.worksheets)
      if (!w.error.empty()) out << "  " << w.source << ": " << w.error << "\n";
  }
  if (s.with_personal_data > 0) {
    out << "personal data " << (batch.redacted ? "redacted" : "left") << " in " << s.with_personal_data
        << (s.with_personal_data == 1 ? " worksheet: " : " worksheets: ") << describe_pii(s.personal_data)
        << (batch.redacted ? "" : " (--redact masks it)") << "\n";
  }
}

void append_html_escaped(std::string& out, std::string_view t) {
  for (std::size_t i = 0; i < t.size();) {
    auto c = static_cast<unsigned char>(t[i]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
          if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F) out += "\xEF\xBF\xBD";
          else out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    std::size_t len = utf8_length_at(t, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(t.substr(i, len));
      i += len;
    }
  }
}

namespace {

std::string esc(std::string_view t) {
  std::string s;
  append_html_escaped(s, t);
  return s;
}

constexpr std::string_view kStyle = R"css(
:root{--ink:#1d2330;--muted:#5b6475;--line:#d9dde5;--bg:#fbfbfd;--accent:#2f6f8f;--safety:#a4001d}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg);margin:0 auto;max-width:1200px;padding:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:0 0 .4rem}
.muted{color:var(--muted)}
nav a{margin-right:1rem}
.kpis{display:flex;flex-wrap:wrap;gap:.6rem;margin:1rem 0}
.kpi{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.5rem .9rem}
.kpi b{display:block;font-size:1.3rem}
.safety{border:3px solid var(--safety);background:#fff5f6;border-radius:8px;padding:1rem 1.2rem}
.safety h2{color:var(--safety);border:0;margin-top:0}
.safety li{margin:.5rem 0}
.errors{margin-top:1rem;border:2px solid #b26b00;background:#fffaf0;border-radius:8px;padding:.6rem 1.2rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:1rem}
figure{margin:0;background:#fff;border:1px solid var(--line);border-radius:8px;padding:.6rem}
figcaption{font-weight:600;margin-bottom:.3rem}
svg.chart text{font:12px system-ui,sans-serif;fill:var(--ink)}
svg.chart rect.bar{fill:var(--accent)}svg.chart g[data-key=safety] rect.bar{fill:var(--safety)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.8rem;background:#fff}
th,td{border:1px solid var(--line);padding:.2rem .4rem;text-align:right;white-space:nowrap}
th{background:#eef1f6;position:sticky;top:0}
table.sortable th{cursor:pointer}table.sortable th[aria-sort=ascending]::after{content:" \25B2"}table.sortable th[aria-sort=descending]::after{content:" \25BC"}
td.t,th.t{text-align:left}
tr.err td{background:#fff4e0}tr.flag td{background:#ffe9ec}
.ws{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;margin:1rem 0;break-inside:avoid-page}
.ws.flag{border:3px solid var(--safety)}
.ws-body{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:1.2rem}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font-family:Georgia,"Times New Roman",serif;font-size:1rem}
mark{background:#fde9a9;border-radius:3px;padding:0 .1em;-webkit-print-color-adjust:exact;print-color-adjust:exact}
mark.c-safety{background:#ffc9d0;outline:2px solid var(--safety)}
mark sup{font:600 .65rem system-ui,sans-serif;color:var(--muted);margin-left:.1em}
ol.findings{margin:0;padding-left:1.4rem}ol.findings>li{margin-bottom:.7rem}
.badge{font:600 .75rem system-ui,sans-serif;background:#e7eef5;border-radius:4px;padding:0 .35rem}
li.c-safety .badge{background:var(--safety);color:#fff}
.friend{font-style:italic;margin:.2rem 0}
ul.reframes{margin:.2rem 0;padding-left:1.1rem}ul.reframes li{color:#1f5130}
.support{font-weight:600;color:var(--safety)}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
@media (max-width:760px){.ws-body{grid-template-columns:1fr}}
@media print{body{background:#fff;max-width:none;padding:0;font-size:10pt}nav,.noprint{display:none}
 .charts{grid-template-columns:1fr 1fr}figure,.kpi,.ws{border-color:#999}
 table{font-size:7pt}th{position:static}.scroll{overflow:visible}
 h2{break-after:avoid}.ws{break-inside:avoid}a{color:inherit;text-decoration:none}}
)css";

constexpr std::string_view kScript = R"js(
(function(){
  document.querySelectorAll('table.sortable').forEach(function(t){
    var heads=t.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads,function(th,i){
      th.tabIndex=0;
      function sort(){
        var asc=th.getAttribute('aria-sort')!=='ascending';
        var rows=Array.prototype.slice.call(t.tBodies[0].rows);
        rows.sort(function(a,b){
          var x=a.cells[i].getAttribute('data-v'),y=b.cells[i].getAttribute('data-v'),d;
          if(x!==null&&y!==null){d=parseFloat(x)-parseFloat(y);}
          else{d=a.cells[i].textContent.localeCompare(b.cells[i].textContent);}
          if(d===0){d=parseInt(a.getAttribute('data-i'),10)-parseInt(b.getAttribute('data-i'),10);return d;}
          return asc?d:-d;
        });
        rows.forEach(function(r){t.tBodies[0].appendChild(r);});
        Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
        th.setAttribute('aria-sort',asc?'ascending':'descending');
      }
      th.addEventListener('click',sort);
      th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();sort();}});
    });
    t.setAttribute('data-sortable','ready');
  });
})();
)js";

// A horizontal bar chart as inline SVG.
void bar_chart(std::string& out, const std::string& id, const std::string& caption,
               const std::vector<std::pair<std::string, const Distribution*>>& bars) {
  const int label_w = 170, bar_w = 330, row_h = 22, width = label_w + bar_w + 120;
  std::size_t max = 1;
  for (const auto& b : bars) max = std::max(max, b.second->findings);
  int height = static_cast<int>(bars.size()) * row_h + 8;
  out += "<figure><figcaption>" + esc(caption) + "</figcaption><svg class=\"chart\" id=\"" + id +
         "\" role=\"img\" aria-label=\"" + esc(caption) + "\" viewBox=\"0 0 " + std::to_string(width) + " " +
         std::to_string(height) + "\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">";
  int y = 4;
  for (const auto& [name, d] : bars) {
    int w = static_cast<int>(static_cast<double>(bar_w) * static_cast<double>(d->findings) / static_cast<double>(max));
    std::string value = std::to_string(d->findings);
    out += "<g class=\"series\" data-key=\"" + esc(name) + "\" data-value=\"" + value + "\"><title>" + esc(name) +
           ": " + value + " findings in " + std::to_string(d->worksheets) + " worksheets</title>";
    out += "<text x=\"" + std::to_string(label_w - 6) + "\" y=\"" + std::to_string(y + 15) +
           "\" text-anchor=\"end\">" + esc(name) + "</text>";
    out += "<rect class=\"bar\" x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
           std::to_string(std::max(w, d->findings > 0 ? 1 : 0)) + "\" height=\"" + std::to_string(row_h - 6) + "\"/>";
    out += "<text x=\"" + std::to_string(label_w + w + 6) + "\" y=\"" + std::to_string(y + 15) + "\">" + value + " (" +
           std::to_string(d->worksheets) + " ws)</text></g>";
    y += row_h;
  }
  out += "</svg></figure>";
}

std::string anchor(std::size_t i) { return "ws-" + std::to_string(i + 1); }

void worksheet_section(std::string& out, const Worksheet& w, std::size_t index) {
  const std::string& t = w.text;
  const auto& fs = w.analysis.findings;
  out += "<section class=\"ws" + std::string(w.safety ? " flag" : "") + "\" id=\"" + anchor(index) + "\"><h3>" +
         esc(w.id) + "</h3><p class=\"muted\">" + esc(w.source) + " · " + std::to_string(w.analysis.scores.words) +
         " words · " + std::to_string(w.findings()) + " findings</p><div class=\"ws-body\"><div class=\"text\">";
  std::vector<std::size_t> by_pos(fs.size());
  for (std::size_t k = 0; k < fs.size(); ++k) by_pos[k] = k;
  std::stable_sort(by_pos.begin(), by_pos.end(), [&](std::size_t a, std::size_t b) {
    return fs[a].begin != fs[b].begin ? fs[a].begin < fs[b].begin : fs[a].end > fs[b].end;
  });
  std::size_t pos = 0;
  for (std::size_t k : by_pos) {
    const Finding& f = fs[k];
    if (f.begin < pos || f.end > t.size()) continue;  // overlaps an earlier mark: listed only
    append_html_escaped(out, std::string_view(t).substr(pos, f.begin - pos));
    out += "<mark class=\"c-" + std::string(to_string(f.category)) + "\" title=\"" +
           std::string(to_string(f.category)) + "\">";
    append_html_escaped(out, std::string_view(t).substr(f.begin, f.end - f.begin));
    out += "<sup>" + std::to_string(k + 1) + "</sup></mark>";
    pos = f.end;
  }
  append_html_escaped(out, std::string_view(t).substr(pos));
  out += "</div><aside>";
  if (fs.empty()) out += "<p class=\"muted\">No critical self-talk found.</p>";
  else out += "<ol class=\"findings\">";
  for (std::size_t k = 0; k < fs.size(); ++k) {
    const Finding& f = fs[k];
    out += "<li class=\"c-" + std::string(to_string(f.category)) + "\"><span class=\"badge\">" +
           std::string(to_string(f.category)) + "</span> <span class=\"muted\">" +
           (f.category == Category::kSafety ? std::string("crisis language") : std::string(to_string(f.pillar))) +
           " · line " + std::to_string(f.line) + (f.reported ? " · someone else's words" : "") + "</span><br>";
    append_html_escaped(out, f.message);
    if (f.category == Category::kSafety) {
      out += "<p class=\"support\">";
      append_html_escaped(out, f.support);
      out += "</p>";
    } else {
      if (!f.friend_view.empty()) out += "<p class=\"friend\">" + esc(f.friend_view) + "</p>";
      if (!f.reframes.empty()) {
        out += "<ul class=\"reframes\">";
        for (const Reframe& r : f.reframes) out += "<li>" + esc(r.text) + "</li>";
        out += "</ul>";
      }
    }
    out += "</li>";
  }
  if (!fs.empty()) out += "</ol>";
  if (!w.analysis.self_compassion_break.empty())
    out += "<p><b>A self-compassion break:</b> " + esc(w.analysis.self_compassion_break) + "</p>";
  out += "</aside></div></section>\n";
}

}  // namespace

std::string html_report(const Batch& batch) {
  Stats s = stats(batch);
  std::string out;
  out.reserve(4096 + batch.worksheets.size() * 2048);
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
         "script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
         "<meta name=\"referrer\" content=\"no-referrer\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>selftalk batch report</title>\n<style>";
  out += kStyle;
  out += "</style></head><body>\n<header><h1>selftalk batch report</h1><p class=\"muted\">selftalk ";
  out += version();
  out += " · made on this machine, works offline · a reflection aid, not a diagnosis"
         + std::string(batch.redacted ? " · personal data redacted" : "") + "</p>";
  out += "<nav class=\"noprint\"><a href=\"#charts\">Charts</a><a href=\"#table\">Worksheets table</a>"
         "<a href=\"#texts\">Texts and reframes</a></nav></header>\n";
  auto kpi = [&](const std::string& id, std::size_t v, const char* label) {
    out += "<div class=\"kpi\" id=\"kpi-" + id + "\" data-value=\"" + std::to_string(v) + "\"><b>" + std::to_string(v) +
           "</b>" + label + "</div>";
  };
  out += "<div class=\"kpis\">";
  kpi("worksheets", batch.worksheets.size(), "worksheets");
  kpi("analysed", s.analysed, "analysed");
  kpi("errors", batch.errors, "not analysed");
  kpi("findings", s.findings, "findings");
  kpi("safety", s.safety, "with crisis language");
  kpi("personal-data", s.with_personal_data, batch.redacted ? "with personal data (redacted)" : "with personal data left");
  out += "</div>\n";

  if (s.safety > 0) {
    out += "<section class=\"safety\" id=\"safety\"><h2>Crisis language: read these first</h2>"
           "<p>These worksheets contain words about self-harm or not wanting to live. They are not reframed. "
           "Please make sure a person follows up on each one.</p><ul>";
    std::string support;
    for (std::size_t i : safety_first(batch)) {
      const Worksheet& w = batch.worksheets[i];
      if (!w.safety) break;
      out += "<li><a href=\"#" + anchor(i) + "\"><b>" + esc(w.id) + "</b></a>";
      for (const Finding& f : w.analysis.findings) {
        if (f.category != Category::kSafety) continue;
        if (support.empty()) support = f.support;
        std::string_view sentence = std::string_view(w.text).substr(
            std::min(f.sentence_begin, w.text.size()),
            std::min(f.sentence_end, w.text.size()) - std::min(f.sentence_begin, w.text.size()));
        out += "<br>“" + esc(sentence) + "”";
      }
      out += "</li>";
    }
    out += "</ul>";
    if (!support.empty()) out += "<p class=\"support\">" + esc(support) + "</p>";
    out += "</section>\n";
  }
  if (batch.errors > 0) {
    out += "<section class=\"errors\" id=\"errors\"><h2>Not analysed (" + std::to_string(batch.errors) + ")</h2><ul>";
    for (const Worksheet& w : batch.worksheets)
      if (!w.error.empty()) out += "<li><b>" + esc(w.source) + "</b>: " + esc(w.error) + "</li>";
    out += "</ul></section>\n";
  }

  out += "<h2 id=\"charts\">Across the batch</h2><div class=\"charts\">";
  std::vector<std::pair<std::string, const Distribution*>> cats, pillars;
  for (std::size_t c = 0; c < kCategoryCount; ++c) cats.emplace_back(std::string(category_name(c)), &s.categories[c]);
  for (std::size_t p = 1; p < kPillarCount; ++p) pillars.emplace_back(std::string(pillar_name(p)), &s.pillars[p]);
  bar_chart(out, "chart-categories", "Findings per category (worksheets with any)", cats);
  bar_chart(out, "chart-pillars", "Self-compassion pillars to strengthen", pillars);
  out += "</div>\n<h3 style=\"margin-top:1rem\">Distribution across worksheets</h3><div class=\"scroll\">"
         "<table id=\"distribution\"><thead><tr><th class=\"t\">category</th><th>findings</th><th>worksheets with any</th>"
         "<th>mean</th><th>max</th>";
  for (std::string_view b : kBuckets) out += "<th>" + std::string(b) + "</th>";
  out += "</tr></thead><tbody>";
  for (std::size_t c = 0; c < kCategoryCount; ++c) {
    const Distribution& d = s.categories[c];
    out += "<tr data-key=\"" + std::string(category_name(c)) + "\"><td class=\"t\">" + std::string(category_name(c)) +
           "</td><td>" + std::to_string(d.findings) + "</td><td>" + std::to_string(d.worksheets) + "</td><td>" +
           fixed(d.mean, 3) + "</td><td>" + std::to_string(d.max) + "</td>";
    for (std::size_t n : d.histogram) out += "<td>" + std::to_string(n) + "</td>";
    out += "</tr>";
  }
  out += "</tbody></table></div>\n";

  std::vector<std::string> columns = table_columns();
  out += "<h2 id=\"table\">Worksheets</h2><p class=\"muted noprint\">Click a column to sort.</p><div class=\"scroll\">"
         "<table id=\"worksheets\" class=\"sortable\"><thead><tr>";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == "source") continue;
    bool text_col = !is_number_column(i);
    out += "<th data-key=\"" + columns[i] + "\"" + (text_col ? " class=\"t\"" : "") + ">" + columns[i] + "</th>";
  }
  out += "</tr></thead><tbody>\n";
  for (std::size_t r = 0; r < batch.worksheets.size(); ++r) {
    const Worksheet& w = batch.worksheets[r];
    std::vector<std::string> row = table_row(w);
    out += "<tr data-i=\"" + std::to_string(r) + "\"" +
           (!w.error.empty() ? " class=\"err\"" : w.safety ? " class=\"flag\"" : "") + ">";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == "source") continue;
      if (i == 0) {
        out += "<td class=\"t\">";
        if (w.error.empty()) out += "<a href=\"#" + anchor(r) + "\">" + esc(row[i]) + "</a></td>";
        else out += esc(row[i]) + "</td>";
      } else if (is_number_column(i)) {
        out += "<td data-v=\"" + row[i] + "\">" + row[i] + "</td>";
      } else {
        out += "<td class=\"t\">" + esc(row[i]) + "</td>";
      }
    }
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n<h2 id=\"texts\">Texts and reframes</h2>\n";
  for (std::size_t i : safety_first(batch)) worksheet_section(out, batch.worksheets[i], i);
  out += "<footer>Generated by selftalk ";
  out += version();
  out += ". Everything in this file was made locally; it loads nothing from anywhere. If you might act on "
         "thoughts of harming yourself, contact local emergency services or a crisis line now.</footer>\n<script>";
  out += kScript;
  out += "</script></body></html>\n";
  return out;
}

namespace {

// Writes content to an existing non-regular file (a device, a FIFO) in place.
std::string write_in_place(const std::string& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return std::string("cannot open: ") + std::strerror(errno);
  std::string error;
  for (std::size_t done = 0; done < content.size();) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::string("write failed: ") + std::strerror(errno);
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && error.empty()) error = std::string("close failed: ") + std::strerror(errno);
  return error;
}

}  // namespace

std::string write_file_atomic(const std::string& path, std::string_view content) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);  // follows symbolic links
  if (!ec && fs::exists(st) && !fs::is_regular_file(st)) {
    if (fs::is_directory(st)) return "is a directory";
    return write_in_place(path, content);  // /dev/stdout, a FIFO: nothing to rename over
  }
  // Through a symbolic link, replace the file it points to, not the link.
  fs::path target(path);
  if (fs::is_symlink(fs::symlink_status(target, ec))) {
    fs::path resolved = fs::weakly_canonical(target, ec);
    if (!ec) target = resolved;
  }
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return "cannot create a temporary file in " + dir.string() + ": " + std::strerror(errno);
  const char* p = content.data();
  std::size_t left = content.size();
  std::string error;
  while (left > 0 && error.empty()) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::string("write failed: ") + std::strerror(errno);
      break;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  // mkstemp makes the file 0600; give it the mode a plain new file would have.
  mode_t mask = ::umask(0);
  ::umask(mask);
  if (error.empty() && ::fchmod(fd, 0666 & ~mask) != 0) error = std::string("chmod failed: ") + std::strerror(errno);
  if (error.empty() && ::fsync(fd) != 0) error = std::string("fsync failed: ") + std::strerror(errno);
  if (::close(fd) != 0 && error.empty()) error = std::string("close failed: ") + std::strerror(errno);
  if (error.empty() && ::rename(tmpl.c_str(), target.c_str()) != 0)
    error = std::string("rename failed: ") + std::strerror(errno);
  if (!error.empty()) ::unlink(tmpl.c_str());
  return error;
}

}  // namespace selftalk::cli
