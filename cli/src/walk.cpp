#include "walk.h"

#include <algorithm>
#include <filesystem>
#include <set>

namespace selftalk::cli {
namespace {

namespace fs = std::filesystem;

bool worksheet_name(const fs::path& p) {
  std::string ext = p.extension().string();
  for (char& c : ext)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return ext == ".txt" || ext == ".md";
}

// Walks dir depth-first in sorted order. `active` holds the canonical paths of the directories
// on the current branch, so a link back to one of them is a loop.
void walk(const fs::path& dir, std::set<fs::path>& active, std::vector<InputPath>& out) {
  std::error_code ec;
  fs::path canonical = fs::canonical(dir, ec);
  if (ec) {
    out.push_back({dir.string(), "cannot resolve directory: " + ec.message()});
    return;
  }
  if (!active.insert(canonical).second) {
    out.push_back({dir.string(), "symbolic link loop (already inside " + canonical.string() + ")"});
    return;
  }
  std::vector<fs::path> entries;
  fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) {
    out.push_back({dir.string(), "cannot read directory: " + ec.message()});
    active.erase(canonical);
    return;
  }
  for (; it != end; it.increment(ec)) {
    if (ec) {
      out.push_back({dir.string(), "cannot read directory: " + ec.message()});
      break;
    }
    entries.push_back(it->path());
  }
  std::sort(entries.begin(), entries.end(), [](const fs::path& a, const fs::path& b) { return a.string() < b.string(); });
  for (const fs::path& p : entries) {
    std::error_code sec;
    fs::file_status st = fs::status(p, sec);  // follows links
    if (sec) {
      if (worksheet_name(p) || sec == std::errc::too_many_symbolic_link_levels)
        out.push_back({p.string(), "cannot stat: " + sec.message()});
      continue;
    }
    if (fs::is_directory(st)) walk(p, active, out);
    else if (worksheet_name(p)) out.push_back({p.string(), {}});
  }
  active.erase(canonical);
}

}  // namespace

std::vector<InputPath> expand_paths(const std::vector<std::string>& paths) {
  std::vector<InputPath> out;
  for (const std::string& p : paths) {
    if (p == "-") {
      out.push_back({p, {}});
      continue;
    }
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      bool missing = !ec || ec == std::errc::no_such_file_or_directory;
      out.push_back({p, missing ? "no such file or directory" : "cannot open: " + ec.message()});
      continue;
    }
    if (fs::is_directory(st)) {
      std::set<fs::path> active;
      walk(p, active, out);
    } else {
      out.push_back({p, {}});
    }
  }
  return out;
}

}  // namespace selftalk::cli
