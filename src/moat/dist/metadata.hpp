#pragma once
// Python core metadata (METADATA, PKG-INFO): parsing the RFC 822-style header block and validating
// it the way `twine check` / packaging.metadata do, plus the PEP 440 / PEP 503 / PEP 508 / SPDX
// syntax checks those need.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "moat/base/finding.hpp"

namespace moat::dist {

struct CoreMetadata {
  std::vector<std::pair<std::string, std::string>> fields;  // in file order, names as written
  std::string body;                                         // the message body (long description)
  std::vector<std::string> problems;                        // malformed header lines

  /// First value of a field (case-insensitive name), if present.
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  /// Every value of a multiple-use field.
  [[nodiscard]] std::vector<std::string> get_all(std::string_view name) const;
};

CoreMetadata parse_core_metadata(std::string_view text);

/// PEP 503 normalisation: lowercase, runs of -_. become '-'.
std::string normalize_project_name(std::string_view name);
bool is_valid_project_name(std::string_view name);
/// PEP 440 syntax.
bool is_valid_version(std::string_view version);
/// The PEP 440 normal form ("1.0.0" and "1.0" differ here; compare with versions_equal).
std::optional<std::string> canonical_version(std::string_view version);
/// Equal as PEP 440 versions (trailing zero release segments ignored), or as strings when unparsable.
bool versions_equal(std::string_view left, std::string_view right);
/// PEP 508 requirement syntax; on failure `why` says what is wrong.
bool is_valid_requirement(std::string_view requirement, std::string& why);
/// SPDX license expression syntax (PEP 639); identifiers are not checked against the SPDX list.
bool is_valid_license_expression(std::string_view expression, std::string& why);

struct MetadataContext {
  std::string location;                  // where findings point: "dist.whl!/x.dist-info/METADATA"
  std::string expected_name;             // from the file name; empty: not compared
  std::string expected_version;
  std::string artifact_location;         // the artifact itself, for name/version mismatches
  std::function<bool(std::string_view)> has_license_file;  // License-File lookup; empty: not checked
};

/// MOAT-M002..M006 findings for one metadata file.
std::vector<Finding> check_core_metadata(const CoreMetadata& metadata, const MetadataContext& context);

}  // namespace moat::dist
