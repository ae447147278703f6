#pragma once
// Byte scanning shared by the passes over whole source files.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/// The first byte in [at, end) equal to one of `wanted`, or end: sixteen bytes per step with SSE2,
/// which every x86-64 has (string bodies, line ends).
template <std::size_t N>
const char* find_any_byte(const char* at, const char* end, const std::array<char, N>& wanted) {
#if defined(__SSE2__)
  __m128i probes[N];
  for (std::size_t i = 0; i < N; ++i) probes[i] = _mm_set1_epi8(wanted[i]);
  while (end - at >= 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    __m128i hits = _mm_cmpeq_epi8(bytes, probes[0]);
    for (std::size_t i = 1; i < N; ++i) hits = _mm_or_si128(hits, _mm_cmpeq_epi8(bytes, probes[i]));
    if (const int mask = _mm_movemask_epi8(hits); mask != 0) return at + __builtin_ctz(static_cast<unsigned>(mask));
    at += 16;
  }
#endif
  for (; at < end; ++at)
    for (const char c : wanted)
      if (*at == c) return at;
  return end;
}

/// Calls `found(offset)` for every offset of `byte` in `text`, in order. A call per line to
/// memchr costs more than the line's bytes in Python code (lines of about 40 bytes).
template <typename Found>
void for_each_offset_of(std::string_view text, char byte, const Found& found) {
  std::size_t at = 0;
#if defined(__SSE2__)
  const __m128i probe = _mm_set1_epi8(byte);
  for (; text.size() - at >= 16; at += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + at));
    for (auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, probe))); mask != 0; mask &= mask - 1)
      found(at + static_cast<std::size_t>(__builtin_ctz(mask)));
  }
#endif
  for (; at < text.size(); ++at)
    if (text[at] == byte) found(at);
}

}  // namespace moat
