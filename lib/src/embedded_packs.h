#ifndef SELFTALK_SRC_EMBEDDED_PACKS_H
#define SELFTALK_SRC_EMBEDDED_PACKS_H

#include <span>
#include <string_view>
#include <vector>

#include "selftalk/pack.h"

namespace selftalk::detail {

struct EmbeddedFile {
  const char* name;       // path relative to rules/, e.g. "en/core.json"
  std::string_view text;  // the file's bytes
};

// The default packs compiled into the library (cmake/embed.cmake), sorted by name.
std::span<const EmbeddedFile> embedded_packs();

// The embedded packs parsed from their JSON, as default_packs() gives them (it loads the saved
// form of them made at build time, see saved_packs.h, and parses only when that does not load).
Result<std::vector<RulePack>> parse_embedded_packs();

}  // namespace selftalk::detail

#endif  // SELFTALK_SRC_EMBEDDED_PACKS_H
