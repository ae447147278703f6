#pragma once
// PEP 508 dependency specifiers ("name[extra] >=1.0 ; marker" or "name @ URL ; marker").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/deps/marker.hpp"
#include "moat/deps/specifier.hpp"
#include "moat/util/error.hpp"

namespace moat::deps {

struct Requirement {
  std::string name;                 // as written
  std::vector<std::string> extras;  // as written, in order
  std::string url;                  // empty unless "name @ URL"
  SpecifierSet specifier;
  std::optional<Marker> marker;

  static Result<Requirement> parse(std::string_view text);
  [[nodiscard]] std::string to_string() const;  // packaging's str(): sorted extras, canonical marker
};

}  // namespace moat::deps
