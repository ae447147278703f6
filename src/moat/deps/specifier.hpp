#pragma once
// PEP 440 version specifiers with the pre-release rules of current `packaging` (>= 26): a
// specifier becomes a list of version intervals; sets intersect them.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "moat/deps/version.hpp"
#include "moat/util/error.hpp"

namespace moat::deps {

/// A version to test: a raw string (maybe not PEP 440) or an already parsed Version.
/// `===` compares the raw text, so the distinction matters.
struct Candidate {
  std::string text;
  std::optional<Version> version;
  bool is_parsed_object = false;  // built from a Version: its text is the canonical form

  static Candidate from_text(std::string_view text);
  static Candidate from_version(const Version& version);
};

/// A point on the version line: a version, or the gap just above all of a version's local
/// labels (after_locals) or also all of its post-releases (after_posts).
struct VersionPoint {
  enum class Kind : std::uint8_t { exact, after_locals, after_posts };
  Version version;
  Kind kind = Kind::exact;
};

struct LowerBound {
  std::optional<VersionPoint> point;  // nullopt: unbounded below
  bool inclusive = false;
  [[nodiscard]] bool admits(const Version& version) const;  // version is above the bound
};

struct UpperBound {
  std::optional<VersionPoint> point;  // nullopt: unbounded above
  bool inclusive = false;
  [[nodiscard]] bool admits(const Version& version) const;  // version is below the bound
};

struct Interval {
  LowerBound lower;
  UpperBound upper;
};

using Intervals = std::vector<Interval>;

bool intervals_contain(const Intervals& intervals, const Version& version);
Intervals intersect_intervals(const Intervals& left, const Intervals& right);
Intervals complement_intervals(const Intervals& intervals);

/// Length of the specifier (operator, optional whitespace, version) at the start of `text`, as
/// PEP 508's tokenizer reads it; 0 when none.
std::size_t match_specifier(std::string_view text);

class Specifier {
 public:
  static Result<Specifier> parse(std::string_view text, std::optional<bool> prereleases = std::nullopt);

  [[nodiscard]] const std::string& op() const { return op_; }
  [[nodiscard]] const std::string& version_text() const { return version_text_; }
  [[nodiscard]] std::string to_string() const { return op_ + version_text_; }
  /// Operator and canonical version, the identity used for equality and de-duplication.
  [[nodiscard]] std::string canonical() const;

  /// Explicit setting, else what the specifier implies (it names a pre-release).
  [[nodiscard]] std::optional<bool> prereleases() const;
  void set_prereleases(std::optional<bool> value) { configured_prereleases_ = value; }

  [[nodiscard]] bool contains(const Candidate& candidate, std::optional<bool> prereleases = std::nullopt) const;
  /// Indices of the candidates the specifier keeps, in order (PEP 440 pre-release rule).
  [[nodiscard]] std::vector<std::size_t> filter(std::span<const Candidate> candidates,
                                                std::optional<bool> prereleases = std::nullopt) const;
  [[nodiscard]] const Intervals& intervals() const { return intervals_; }

 private:
  std::string op_;
  std::string version_text_;
  std::optional<Version> version_;  // parsed version (without ".*"); nullopt only for ===
  std::optional<bool> configured_prereleases_;
  Intervals intervals_;
};

class SpecifierSet {
 public:
  static Result<SpecifierSet> parse(std::string_view text, std::optional<bool> prereleases = std::nullopt);

  [[nodiscard]] const std::vector<Specifier>& specifiers() const { return specifiers_; }
  [[nodiscard]] bool empty() const { return specifiers_.empty(); }
  /// Sorted, de-duplicated, comma-joined.
  [[nodiscard]] std::string to_string() const;

  [[nodiscard]] std::optional<bool> prereleases() const;
  void set_prereleases(std::optional<bool> value) { configured_prereleases_ = value; }

  [[nodiscard]] bool contains(const Candidate& candidate, std::optional<bool> prereleases = std::nullopt,
                              bool installed = false) const;
  [[nodiscard]] bool contains(const Version& version) const { return contains(Candidate::from_version(version)); }
  [[nodiscard]] std::vector<std::size_t> filter(std::span<const Candidate> candidates,
                                                std::optional<bool> prereleases = std::nullopt) const;

  [[nodiscard]] bool is_unsatisfiable() const;
  /// Set relations; nullopt when either side uses === (not defined there).
  [[nodiscard]] std::optional<bool> is_subset(const SpecifierSet& other) const;
  [[nodiscard]] std::optional<bool> is_disjoint(const SpecifierSet& other) const;

  /// The intersection of all members' intervals (=== counts as everything).
  [[nodiscard]] const Intervals& intervals() const { return intervals_; }
  /// The single version a set pins (one "==" or "===" without wildcard), else nullopt.
  [[nodiscard]] std::optional<std::string> pinned_version() const;

 private:
  std::vector<Specifier> specifiers_;
  std::optional<bool> configured_prereleases_;
  bool has_arbitrary_ = false;
  Intervals intervals_;
};

}  // namespace moat::deps
