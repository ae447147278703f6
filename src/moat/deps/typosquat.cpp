#include "moat/deps/typosquat.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "moat/deps/version.hpp"

namespace moat::deps {

namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

std::uint64_t hash_more(std::uint64_t hash, std::string_view text) {
  for (const char character : text) hash = (hash ^ static_cast<unsigned char>(character)) * kFnvPrime;
  return hash;
}

std::uint64_t hash_of(std::string_view text) { return hash_more(kFnvOffset, text); }

/// The hash of `text` without its character at `position`, computed without building the string.
std::uint64_t hash_without(std::string_view text, std::size_t position) {
  return hash_more(hash_more(kFnvOffset, text.substr(0, position)), text.substr(position + 1));
}

bool is_digit(char character) { return std::isdigit(static_cast<unsigned char>(character)) != 0; }

std::string without_separators(std::string_view normalized) {
  std::string stripped;
  stripped.reserve(normalized.size());
  for (const char character : normalized)
    if (character != '-') stripped.push_back(character);
  return stripped;
}

/// The name without separators and without one py/python prefix and suffix ("dateutil" for
/// python-dateutil and for dateutil-py); empty when too little is left to compare.
std::string core_of(std::string_view stripped) {
  static constexpr std::array<std::string_view, 5> kPrefixes{"python3", "python2", "python", "py3", "py"};
  static constexpr std::array<std::string_view, 4> kSuffixes{"python3", "python", "py3", "py"};
  std::string_view core = stripped;
  for (const auto prefix : kPrefixes)
    if (core.size() > prefix.size() && core.starts_with(prefix)) {
      core.remove_prefix(prefix.size());
      break;
    }
  for (const auto suffix : kSuffixes)
    if (core.size() > suffix.size() && core.ends_with(suffix)) {
      core.remove_suffix(suffix.size());
      break;
    }
  return core.size() >= kMinimumTargetLength ? std::string(core) : std::string();
}

/// The dash-separated terms in sorted order; empty for single-term names.
std::string sorted_terms_of(std::string_view normalized) {
  std::vector<std::string_view> terms;
  std::size_t start = 0;
  while (start <= normalized.size()) {
    const std::size_t end = std::min(normalized.find('-', start), normalized.size());
    terms.push_back(normalized.substr(start, end - start));
    start = end + 1;
  }
  if (terms.size() < 2) return {};
  std::ranges::sort(terms);
  std::string joined;
  for (const auto term : terms) joined.append(term).push_back('-');
  return joined;
}

/// Whether `a` and `b` (different, normalized) are one edit apart, and how. Digit-for-digit
/// replacements and an inserted digit or separator are not reported: they are how legitimate forks
/// and major-version families are named (pyqt5/pyqt6, netifaces2, python3-ldap).
std::optional<SquatKind> one_edit(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  const std::size_t position =
      static_cast<std::size_t>(std::ranges::mismatch(a, b).in1 - a.begin());
  if (a.size() == b.size()) {
    if (position == a.size()) return std::nullopt;
    if (a.substr(position + 1) == b.substr(position + 1))
      return is_digit(a[position]) && is_digit(b[position]) ? std::nullopt : std::optional(SquatKind::edit);
    if (position + 1 < a.size() && a[position] == b[position + 1] && a[position + 1] == b[position] &&
        a.substr(position + 2) == b.substr(position + 2))
      return SquatKind::transposition;
    return std::nullopt;
  }
  if (b.size() != a.size() + 1 || a.substr(position) != b.substr(position + 1)) return std::nullopt;
  if (is_digit(b[position]) || b[position] == '-') return std::nullopt;
  return SquatKind::edit;
}

constexpr std::uint64_t kIndexMask = (std::uint64_t{1} << 20) - 1;  // see PopularNames::HashIndex

std::uint64_t index_entry(std::uint64_t hash, std::uint32_t name_index) { return (hash & ~kIndexMask) | name_index; }

template <typename Visit>
void for_each_match(const std::vector<std::uint64_t>& index, std::uint64_t hash, Visit&& visit) {
  const std::uint64_t key = hash & ~kIndexMask;
  for (auto it = std::ranges::lower_bound(index, key); it != index.end() && (*it & ~kIndexMask) == key; ++it)
    visit(static_cast<std::uint32_t>(*it & kIndexMask));
}

}  // namespace

std::string_view to_string(SquatKind kind) {
  switch (kind) {
    case SquatKind::separator: return "separator";
    case SquatKind::term_order: return "term-order";
    case SquatKind::python_affix: return "python-affix";
    case SquatKind::transposition: return "transposition";
    case SquatKind::edit: return "edit";
  }
  return "edit";
}

std::size_t target_rank_limit(std::size_t length) {
  if (length < kMinimumTargetLength) return 0;
  if (length <= 5) return 1000;
  if (length <= 7) return 5000;
  return SIZE_MAX;
}

PopularNames::PopularNames(std::string_view ranked_names) {
  names_.reserve(static_cast<std::size_t>(std::ranges::count(ranked_names, '\n')) + 1);
  std::size_t start = 0;
  while (start < ranked_names.size()) {
    const std::size_t end = std::min(ranked_names.find('\n', start), ranked_names.size());
    std::string_view line = ranked_names.substr(start, end - start);
    start = end + 1;
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
    if (!line.empty() && names_.size() <= kIndexMask) names_.push_back(normalize_name(line));
  }
  // Sized up front: growing these vectors (a deletion neighbourhood is 150,000-odd entries) cost
  // more than computing them.
  std::size_t deletion_count = 0;
  for (std::size_t index = 0; index < names_.size(); ++index)
    if (index + 1 <= target_rank_limit(names_[index].size())) deletion_count += names_[index].size() + 1;
  deletions_.reserve(deletion_count);
  for (HashIndex* index : {&exact_, &stripped_, &cores_, &sorted_terms_}) index->reserve(names_.size());
  for (std::uint32_t index = 0; index < names_.size(); ++index) {
    const std::string& name = names_[index];
    const std::size_t rank = index + std::size_t{1};
    exact_.push_back(index_entry(hash_of(name), index));
    const std::string stripped = without_separators(name);
    if (stripped.size() >= kMinimumTargetLength) stripped_.push_back(index_entry(hash_of(stripped), index));
    if (const std::string terms = sorted_terms_of(name); !terms.empty()) sorted_terms_.push_back(index_entry(hash_of(terms), index));
    if (const std::string core = core_of(stripped); !core.empty() && rank <= target_rank_limit(core.size()))
      cores_.push_back(index_entry(hash_of(core), index));
    if (rank > target_rank_limit(name.size())) continue;
    deletions_.push_back(index_entry(hash_of(name), index));
    for (std::size_t position = 0; position < name.size(); ++position)
      deletions_.push_back(index_entry(hash_without(name, position), index));
  }
  for (HashIndex* index : {&exact_, &deletions_, &stripped_, &cores_, &sorted_terms_}) std::ranges::sort(*index);
}

const PopularNames& PopularNames::embedded() {
  static const PopularNames names(embedded_top_projects());
  return names;
}

bool PopularNames::contains(std::string_view name) const {
  const std::string normalized = normalize_name(name);
  bool found = false;
  for_each_match(exact_, hash_of(normalized), [&](std::uint32_t index) { found = found || names_[index] == normalized; });
  return found;
}

std::optional<Typosquat> PopularNames::check(std::string_view name) const {
  const std::string normalized = normalize_name(name);
  if (normalized.empty() || contains(normalized)) return std::nullopt;
  std::optional<Typosquat> best;
  const auto consider = [&](std::uint32_t index, SquatKind kind) {
    const std::size_t rank = index + std::size_t{1};
    if (!best || rank < best->rank || (rank == best->rank && kind < best->kind))
      best = Typosquat{names_[index], rank, kind};
  };

  const std::string stripped = without_separators(normalized);
  for_each_match(stripped_, hash_of(stripped), [&](std::uint32_t index) {
    if (without_separators(names_[index]) == stripped) consider(index, SquatKind::separator);
  });
  if (const std::string terms = sorted_terms_of(normalized); !terms.empty())
    for_each_match(sorted_terms_, hash_of(terms), [&](std::uint32_t index) {
      if (sorted_terms_of(names_[index]) == terms) consider(index, SquatKind::term_order);
    });
  if (const std::string core = core_of(stripped); !core.empty())
    for_each_match(cores_, hash_of(core), [&](std::uint32_t index) {
      const std::string target_stripped = without_separators(names_[index]);
      if (target_stripped != stripped && core_of(target_stripped) == core) consider(index, SquatKind::python_affix);
    });
  const auto verify_edit = [&](std::uint32_t index) {
    if (const auto kind = one_edit(normalized, names_[index])) consider(index, *kind);
  };
  for_each_match(deletions_, hash_of(normalized), verify_edit);
  for (std::size_t position = 0; position < normalized.size(); ++position)
    for_each_match(deletions_, hash_without(normalized, position), verify_edit);
  return best;
}

Finding typosquat_finding(std::string_view name, const Typosquat& squat, Category category, Location location,
                          std::string snippet) {
  static constexpr std::array<std::string_view, 5> kHow{
      "the same words with other separators", "the same words in another order", "a py/python prefix or suffix changed",
      "two adjacent letters swapped", "one letter inserted, removed or replaced"};
  Finding finding;
  finding.rule_id = "MOAT-TYPO001";
  finding.title = "typosquat";
  finding.category = category;
  finding.severity = Severity::medium;
  // The most popular projects are the ones attackers imitate; near-names of the long tail are
  // more often unrelated projects.
  finding.confidence = squat.rank <= 1000 ? Confidence::medium : Confidence::low;
  finding.message = "'" + std::string(name) + "' imitates the popular project '" + squat.imitated + "' (download rank " +
                    std::to_string(squat.rank) + "): " + std::string(kHow[static_cast<std::size_t>(squat.kind)]);
  finding.location = std::move(location);
  finding.snippet = std::move(snippet);
  finding.details = {{"name", std::string(name)},
                     {"imitates", squat.imitated},
                     {"rank", squat.rank},
                     {"kind", std::string(to_string(squat.kind))}};
  return finding;
}

}  // namespace moat::deps
