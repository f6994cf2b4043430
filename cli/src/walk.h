// Expanding the batch's paths: files as given, directories walked recursively for worksheets.
#ifndef SELFTALK_CLI_WALK_H
#define SELFTALK_CLI_WALK_H

#include <string>
#include <vector>

namespace selftalk::cli {

// One path to read, or one that could not be walked (error non-empty).
struct InputPath {
  std::string path;   // as given, or joined below a given directory; "-" is standard input
  std::string error;  // non-empty: the path could not be used (missing, permission, symlink loop)
};

// Expands paths in order. A file is kept whatever its name; a directory contributes its *.txt and
// *.md files (case-insensitive), recursively, in byte order of their paths. Symbolic links are
// followed, except into a directory already on the current walk (a loop, reported once as an
// error). Unreadable directories are reported as errors and skipped; the walk goes on.
std::vector<InputPath> expand_paths(const std::vector<std::string>& paths);

}  // namespace selftalk::cli

#endif  // SELFTALK_CLI_WALK_H
