#pragma once
// OSV advisories (https://ossf.github.io/osv-schema/) and the exact OSV matching rule for PyPI.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/deps/specifier.hpp"
#include "moat/deps/version.hpp"
#include "moat/util/error.hpp"

namespace moat::deps {

struct RangeEvent {
  enum class Kind : std::uint8_t { introduced, fixed, last_affected, limit };
  Kind kind = Kind::introduced;
  std::string value;
};

struct AffectedRange {
  std::string type;  // ECOSYSTEM, SEMVER, GIT
  std::vector<RangeEvent> events;
  std::vector<std::optional<Version>> parsed_values;  // per event, filled by AffectedPackage::prepare()
};

/// One `affected[]` entry of an advisory, for one package.
struct AffectedPackage {
  std::string name;  // PEP 503-normalized
  std::vector<AffectedRange> ranges;
  std::vector<std::string> versions;
  std::vector<std::optional<Version>> parsed_versions;  // `versions` parsed once (see prepare())
  /// "\n"-delimited comparison keys of `versions` (see version_key), as stored in the database:
  /// lets a pinned version be looked up without parsing the list. Empty: not computed.
  std::string version_keys;
  nlohmann::json ecosystem_specific;  // opaque, carried through

  /// Parses `versions` and every range event once, so matching never re-parses.
  void prepare();
};

struct Advisory {
  std::string id;
  std::string modified;
  std::string published;
  std::string withdrawn;  // empty unless withdrawn
  std::string summary;
  std::string details;
  std::vector<std::string> aliases;
  std::vector<std::string> severity;    // score strings (CVSS vectors)
  std::vector<std::string> references;  // URLs
  nlohmann::json database_specific;
  std::vector<AffectedPackage> affected;  // PyPI entries only
};

/// Reads an OSV record (JSON object). YAML records are converted with every scalar kept as text.
Result<Advisory> advisory_from_json(const nlohmann::json& record);
Result<nlohmann::json> yaml_to_json(std::string_view text);

/// The text two versions share exactly when they are equal under PEP 440 (canonical form with
/// trailing release zeros removed); a string that is not PEP 440 is its own key.
std::string version_key(std::string_view text);
std::string version_key(const Version& version);
/// The version_keys text of a list of versions.
std::string version_keys_of(const std::vector<std::string>& versions);

/// Result of testing one version against one affected entry.
struct MatchOutcome {
  bool affected = false;
  bool indeterminate = false;  // a range whose events are not PEP 440 could not be evaluated
};

/// OSV rule: affected when the version is listed (normalized compare; raw string for non-PEP 440
/// strings) or lies in an ECOSYSTEM/SEMVER range (events sorted by version, GIT ranges skipped).
MatchOutcome match_version(const AffectedPackage& entry, std::string_view raw_version, const Version* version);

/// Ranges only (the list ignored): the evaluator the database self-check compares with the list.
MatchOutcome match_ranges(const AffectedPackage& entry, const Version& version);

/// Whether any version allowed by `specifier` may be affected (ranges intersected, listed versions
/// tested).
bool specifier_may_be_affected(const AffectedPackage& entry, const SpecifierSet& specifier);

/// `fixed` versions of the entry's ECOSYSTEM ranges, above `installed` when given, ascending.
std::vector<Version> fixed_versions(const AffectedPackage& entry, const Version* installed);

}  // namespace moat::deps
