#include "selftalk/error.h"

#include "selftalk/version.h"

namespace selftalk {

std::string Error::to_string() const {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.line > 0) {
      out += ':' + std::to_string(where.line);
      if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    out += ": ";
  }
  if (!pack.empty() || !rule.empty()) {
    out += pack;
    if (!rule.empty()) {
      if (!pack.empty()) out += '/';
      out += rule;
    }
    out += ": ";
  }
  out += message;
  return out;
}

const char* version() { return SELFTALK_VERSION_STRING; }

}  // namespace selftalk
