#pragma once
// PEP 440 versions: parsing, normalization and ordering exactly as current `packaging` (>= 25).
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace moat::deps {

struct LocalSegment {
  bool is_number = false;  // numbers sort above (lowercase) strings
  std::uint64_t number = 0;
  std::string text;
  bool operator==(const LocalSegment&) const = default;
};

enum class PreKind : std::uint8_t { alpha, beta, rc };

struct PreRelease {
  PreKind kind = PreKind::alpha;
  std::uint64_t number = 0;
  bool operator==(const PreRelease&) const = default;
};

class Version {
 public:
  /// Parses a version (surrounding whitespace allowed); nullopt when it is not PEP 440.
  /// Numbers that do not fit in 64 bits are refused.
  static std::optional<Version> parse(std::string_view text);

  std::uint64_t epoch = 0;
  std::vector<std::uint64_t> release;
  std::optional<PreRelease> pre;
  std::optional<std::uint64_t> post;
  std::optional<std::uint64_t> dev;
  std::vector<LocalSegment> local;  // empty: no local label

  [[nodiscard]] bool is_prerelease() const { return pre.has_value() || dev.has_value(); }
  [[nodiscard]] bool is_postrelease() const { return post.has_value(); }
  [[nodiscard]] bool is_devrelease() const { return dev.has_value(); }
  [[nodiscard]] bool has_local() const { return !local.empty(); }

  /// The canonical form ("1.0rc1.post2.dev3+abc.5"); epoch shown only when non-zero.
  [[nodiscard]] std::string to_string() const;
  [[nodiscard]] std::string public_string() const;  // without the local label
  [[nodiscard]] std::string base_string() const;    // epoch and release only
  [[nodiscard]] std::string local_string() const;

  /// The release with trailing zeros removed (at least one component), as comparisons see it.
  [[nodiscard]] std::vector<std::uint64_t> trimmed_release() const;

  /// Same version with the local label dropped.
  [[nodiscard]] Version without_local() const;
};

std::strong_ordering operator<=>(const Version& left, const Version& right);
bool operator==(const Version& left, const Version& right);

/// What a version inside a specifier may use (PEP 440 operators restrict it).
struct VersionPrefixRules {
  bool allow_local = true;
  bool allow_wildcard = false;  // a trailing ".*" right after the release segment
  std::size_t min_release_parts = 1;
};

/// Length of the longest prefix of `text` that reads as a version under `rules` (no surrounding
/// whitespace); 0 when none does.
std::size_t match_version_prefix(std::string_view text, const VersionPrefixRules& rules);

/// PEP 503 name normalization: runs of "-", "_", "." become "-", then lowercase.
std::string normalize_name(std::string_view name);

}  // namespace moat::deps
