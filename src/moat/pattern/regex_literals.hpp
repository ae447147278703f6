#pragma once
// What text a regular expression needs: a set of literals one of which occurs in every match
// (ASCII lower-cased), found by a conservative walk over the PCRE2 syntax. Anything the walk does
// not understand gives "no requirement", so the prefilter never hides a real match.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace moat::pattern {

/// The literals one of which every match of `regex` contains, or nullopt when unknown.
std::optional<std::vector<std::string>> required_literals(std::string_view regex);

}  // namespace moat::pattern
