#pragma once
// Python distribution file names (wheel and sdist), parsed the way `packaging` does, so that two
// spellings of the same file compare equal (PEP 740 subject names).
#include <set>
#include <string>
#include <string_view>

#include "moat/util/error.hpp"

namespace moat::sign {

struct DistributionName {
  std::string project;  // PEP 503 normalized
  std::string version;  // PEP 440 normalized
  std::string build;    // wheel build tag, may be empty
  std::set<std::string> tags;  // expanded interpreter-abi-platform triples; empty for sdists
  bool wheel = false;

  bool operator==(const DistributionName&) const = default;
};

/// `name-version(-build)?-py-abi-plat.whl`, `name-version.tar.gz` or `name-version.zip`.
Result<DistributionName> parse_distribution_name(std::string_view file_name);

/// PEP 503: lowercase, runs of `-_.` become `-`.
std::string normalize_project_name(std::string_view name);
/// PEP 440 normal form ("1.0.0" and "1.0" differ only in trailing zeros, which it drops); error when invalid.
Result<std::string> normalize_version(std::string_view version);

}  // namespace moat::sign
