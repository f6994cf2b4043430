// Private: parsed rule packs as bytes. The built-in packs are parsed once at build time
// (embed_reading.cpp) and saved, so that default_packs() loads them instead of parsing JSON.
#ifndef SELFTALK_SRC_SAVED_PACKS_H
#define SELFTALK_SRC_SAVED_PACKS_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "selftalk/pack.h"

namespace selftalk::detail {

// `packs` as bytes for load_saved_packs (same build of the library only), under `key`.
std::string save_packs(const std::vector<RulePack>& packs, std::string_view key);

// The packs saved in `bytes` under `key`; nullopt when the key differs or the bytes are not a
// well-formed saving (every length and every enumeration's value is checked).
std::optional<std::vector<RulePack>> load_saved_packs(std::string_view bytes, std::string_view key);

// What the embedded pack files are, as a key: their names, sizes and a hash of their bytes.
std::string embedded_packs_key();

// default_packs() as save_packs wrote them at build time, under embedded_packs_key(); empty in
// the program that writes them.
std::string_view embedded_saved_packs();

}  // namespace selftalk::detail

#endif  // SELFTALK_SRC_SAVED_PACKS_H
