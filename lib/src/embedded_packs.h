#ifndef SELFTALK_SRC_EMBEDDED_PACKS_H
#define SELFTALK_SRC_EMBEDDED_PACKS_H

#include <span>
#include <string_view>

namespace selftalk::detail {

struct EmbeddedFile {
  const char* name;       // path relative to rules/, e.g. "en/core.json"
  std::string_view text;  // the file's bytes
};

// The default packs compiled into the library (cmake/embed.cmake), sorted by name.
std::span<const EmbeddedFile> embedded_packs();

}  // namespace selftalk::detail

#endif  // SELFTALK_SRC_EMBEDDED_PACKS_H
