#pragma once
// Version ordering for the native libraries' numbering schemes: dotted numbers (SQLite 3.40.1,
// curl 7.88.1), OpenSSL's letter releases (1.1.1w > 1.1.1t > 1.1.1, 0.9.8za > 0.9.8z) and
// pre-releases that sort before their release (0.9.7-beta3 < 0.9.7).
#include <string_view>

namespace moat::native {

/// Negative, zero or positive as a is older than, the same as, or newer than b.
int compare_versions(std::string_view a, std::string_view b);

/// True when text starts with a digit: a library version rather than a label such as "fips-1.1.1".
bool is_numeric_version(std::string_view text);

}  // namespace moat::native
