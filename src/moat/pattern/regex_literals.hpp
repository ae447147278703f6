#pragma once
// What text a regular expression needs: a set of literals one of which occurs in every match
// (ASCII lower-cased), and a run of characters of one class, found by a conservative walk over the
// PCRE2 syntax. Anything the walk does not understand gives "no requirement", so the prefilter
// never hides a real match.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/pattern/trigrams.hpp"

namespace moat::pattern {

/// The literals one of which every match of `regex` contains, or nullopt when unknown.
std::optional<std::vector<std::string>> required_literals(std::string_view regex);

/// `length` bytes in a row, all in `bytes`: what a mandatory `X{n,}` (n >= 2, X one character of
/// a known class such as `[\h]` or `[A-Za-z0-9+/]`) puts in every match. A character of several
/// bytes has every byte in the set, so n characters are at least n such bytes.
struct RequiredRun {
  TrigramSet::ByteSet bytes{};
  std::size_t length = 0;
};

/// The longest run every match of `regex` contains, or nullopt when none is known.
std::optional<RequiredRun> required_run(std::string_view regex);

/// True when `text` holds `run.length` consecutive bytes of `run.bytes`.
bool contains_run(std::string_view text, const RequiredRun& run);

}  // namespace moat::pattern
