// The selftalk command line as a library: main() only forwards to run().
#ifndef SELFTALK_CLI_APP_H
#define SELFTALK_CLI_APP_H

#include <iosfwd>

namespace selftalk::cli {

// Exit codes (docs/cli.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitFindings = 1,   // findings matched --fail-on
  kExitUsage = 2,      // bad command line
  kExitRulePack = 3,   // a rule pack failed to load or compile
  kExitInput = 4,      // an input could not be read or parsed (the rest were still analysed)
};

// Runs the command line. Reads stdin/files, writes results to out and diagnostics to err.
int run(int argc, char** argv);
int run(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace selftalk::cli

#endif  // SELFTALK_CLI_APP_H
