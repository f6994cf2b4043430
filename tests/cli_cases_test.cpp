// The command line over the cases in corpus/cli/: NAME.in is standard input, NAME.args the
// arguments (one per line), NAME.expected the reviewed output (stdout, then "exit: N").
// After a deliberate change, SELFTALK_UPDATE_EXPECTED=1 rewrites the expected files; review the
// diff before committing it.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "app.h"
#include "test_util.h"

TEST_CASE("cli cases in corpus/cli match their reviewed expected output") {
  namespace fs = std::filesystem;
  const fs::path dir = selftalk::test::source_path("corpus/cli");
  std::vector<fs::path> inputs;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".in") inputs.push_back(entry.path());
  std::sort(inputs.begin(), inputs.end());
  REQUIRE(inputs.size() >= 5);
  const bool update = std::getenv("SELFTALK_UPDATE_EXPECTED") != nullptr;
  for (const fs::path& in_path : inputs) {
    const std::string stem = "corpus/cli/" + in_path.stem().string();
    CAPTURE(stem);
    std::vector<std::string> args = {"selftalk"};
    std::istringstream arg_lines(selftalk::test::read_source_file(stem + ".args"));
    for (std::string a; std::getline(arg_lines, a);)
      if (!a.empty()) args.push_back(a);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    std::istringstream in(selftalk::test::read_source_file(stem + ".in"));
    std::ostringstream out, err;
    int code = selftalk::cli::run(static_cast<int>(argv.size()), argv.data(), in, out, err);
    std::string got = out.str() + "exit: " + std::to_string(code) + "\n";
    if (update) {
      std::ofstream(selftalk::test::source_path(stem + ".expected"), std::ios::binary) << got;
      continue;
    }
    CHECK(got == selftalk::test::read_source_file(stem + ".expected"));
  }
}
