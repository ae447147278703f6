#pragma once
// Unicode character names, for "\N{NAME}" escapes.
#include <optional>
#include <string_view>

namespace moat::python {

/// The code point named `name` (case-insensitive, as CPython's \N{...}), if any.
std::optional<char32_t> lookup_unicode_name(std::string_view name);

}  // namespace moat::python
