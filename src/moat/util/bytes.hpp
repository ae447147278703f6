#pragma once
// Byte scanning shared by the passes over whole source files.
#include <cstdint>
#include <cstring>

namespace moat {

/// The first byte at or after `at` (before `end`) that is not a space. Indentation is most of the
/// whitespace in Python code, so runs are compared eight bytes at a time.
inline const char* skip_spaces(const char* at, const char* end) {
  constexpr std::uint64_t kEightSpaces = 0x2020202020202020ULL;
  while (end - at >= 8) {
    std::uint64_t word;
    std::memcpy(&word, at, sizeof word);
    if (word != kEightSpaces) break;
    at += 8;
  }
  while (at < end && *at == ' ') ++at;
  return at;
}

}  // namespace moat
