#pragma once
// Typosquatting: a project name that imitates one of the most-downloaded PyPI projects (one edit
// away, two letters swapped, other separators, a py/python prefix or suffix, reordered terms).
// The ranking is embedded at build time from data/pypi/top-projects.txt.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "moat/base/finding.hpp"

namespace moat::deps {

enum class SquatKind {
  separator,     // urllib-3 for urllib3: other or no separators
  term_order,    // dateutil-python for python-dateutil
  python_affix,  // dateutil for python-dateutil, requests-py for requests
  transposition, // reqeusts for requests
  edit,          // one letter inserted, deleted or replaced: requets, requestss, reqests
};

std::string_view to_string(SquatKind kind);

struct Typosquat {
  std::string imitated;  // the popular project, PEP 503-normalized
  std::size_t rank = 0;  // its download rank, 1 = most downloaded
  SquatKind kind = SquatKind::edit;
};

/// Names that are one edit away from targets shorter than this are never reported: at three letters
/// nearly every name is one edit from a popular one.
inline constexpr std::size_t kMinimumTargetLength = 4;

/// The lowest download rank a name of `length` characters (normalized) may have to be a target of
/// edit, transposition and affix variants: short names collide by chance, so only the most
/// popular short names are targets (4-5 characters: top 1,000; 6-7: top 5,000; longer: all).
std::size_t target_rank_limit(std::size_t length);

/// The ranked names with the indexes the check needs: a deletion neighbourhood (each name and each
/// name with one character removed, hashed) for edits and swaps, and the names with separators
/// removed, with py/python affixes removed, and with their terms sorted.
class PopularNames {
 public:
  /// `ranked_names`: one project name per line, most downloaded first (any spelling; normalized here).
  explicit PopularNames(std::string_view ranked_names);

  /// The embedded ranking, indexed once on first use (thread-safe).
  static const PopularNames& embedded();

  [[nodiscard]] std::size_t size() const { return names_.size(); }
  /// True when `name` (any spelling) is itself one of the ranked names.
  [[nodiscard]] bool contains(std::string_view name) const;
  /// The most popular project `name` imitates; nullopt for ranked names and names imitating none.
  [[nodiscard]] std::optional<Typosquat> check(std::string_view name) const;

 private:
  /// Entries of a key's hash (high bits) and a name's index (low 20 bits; a ranking is cut at 2^20
  /// names), sorted: 8 bytes each, so the 150,000-odd deletion entries build and sort fast.
  /// Candidates are verified on the strings, so the hash bits given up cost a rare comparison.
  using HashIndex = std::vector<std::uint64_t>;

  std::vector<std::string> names_;  // normalized, rank order
  HashIndex exact_;
  HashIndex deletions_;
  HashIndex stripped_;
  HashIndex cores_;
  HashIndex sorted_terms_;
};

/// The generated table: normalized names, newline-separated, rank order (top_projects_data.cpp).
std::string_view embedded_top_projects();

/// The MOAT-TYPO001 finding for `name` imitating `squat.imitated`, at `location`.
Finding typosquat_finding(std::string_view name, const Typosquat& squat, Category category, Location location,
                          std::string snippet);

}  // namespace moat::deps
