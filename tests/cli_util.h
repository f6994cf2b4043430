// Helpers for tests that drive the command line in-process (cli/src/app.h).
#ifndef SELFTALK_TESTS_CLI_UTIL_H
#define SELFTALK_TESTS_CLI_UTIL_H

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app.h"

namespace selftalk::test {

struct Run {
  int code = -1;
  std::string out, err;
};

// Runs `selftalk ARGS...` with `input` as standard input.
inline Run run_cli(std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), "selftalk");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  std::istringstream in(input);
  std::ostringstream out, err;
  Run r;
  r.code = selftalk::cli::run(static_cast<int>(argv.size()), argv.data(), in, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// A fresh temporary directory, removed (permissions restored first) with the object.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           ("selftalk-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
    for (const auto& e : fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec))
      if (!e.is_symlink()) fs::permissions(e.path(), fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string str() const { return path.string(); }
  // Writes `content` to `relative` (creating directories) and returns its path.
  std::string write(const std::string& relative, const std::string& content) const {
    std::filesystem::path p = path / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

}  // namespace selftalk::test

#endif  // SELFTALK_TESTS_CLI_UTIL_H
