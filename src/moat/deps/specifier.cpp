#include "moat/deps/specifier.hpp"

#include <algorithm>
#include <map>

namespace moat::deps {

namespace {

using Kind = VersionPoint::Kind;

bool is_space(char character) {
  return character == ' ' || character == '\t' || character == '\n' || character == '\r' || character == '\f' ||
         character == '\v';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string ascii_lower(std::string_view text) {
  std::string lowered(text);
  for (char& character : lowered)
    if (character >= 'A' && character <= 'Z') character = static_cast<char>(character - 'A' + 'a');
  return lowered;
}

const Version& min_version() {
  static const Version kMin = *Version::parse("0.dev0");
  return kMin;
}

/// Same epoch, same release ignoring trailing zeros, same pre-release.
bool same_release_and_pre(const Version& base, const Version& other) {
  if (base.epoch != other.epoch || other.pre != base.pre) return false;
  const auto trimmed = base.trimmed_release();
  if (other.release.size() < trimmed.size()) return false;
  if (!std::equal(trimmed.begin(), trimmed.end(), other.release.begin())) return false;
  return std::all_of(other.release.begin() + static_cast<std::ptrdiff_t>(trimmed.size()), other.release.end(),
                     [](std::uint64_t part) { return part == 0; });
}

/// `other` is one of the versions the boundary sits above although `base` < `other`.
bool in_boundary_family(const VersionPoint& boundary, const Version& other) {
  const Version& base = boundary.version;
  if (!same_release_and_pre(base, other)) return false;
  if (boundary.kind == Kind::after_locals) return other.post == base.post && other.dev == base.dev;
  return other.dev == base.dev || other.post.has_value();
}

/// Order of two points; a boundary never equals a version.
std::weak_ordering compare_points(const VersionPoint& left, const VersionPoint& right) {
  if (left.kind == Kind::exact && right.kind == Kind::exact) return left.version <=> right.version;
  if (left.kind != Kind::exact && right.kind != Kind::exact) {
    // Order keys: the boundary's version key with an infinite local part; after_posts also takes an
    // infinite post number.
    const Version& a = left.version;
    const Version& b = right.version;
    if (const auto order = a.epoch <=> b.epoch; order != 0) return order;
    const auto ra = a.trimmed_release();
    const auto rb = b.trimmed_release();
    if (const auto order = std::lexicographical_compare_three_way(ra.begin(), ra.end(), rb.begin(), rb.end());
        order != 0)
      return order;
    auto suffix = [](const VersionPoint& point) {
      const Version& version = point.version;
      const int pre_rank = version.pre ? static_cast<int>(version.pre->kind) : ((!version.post && version.dev) ? -1 : 3);
      const double pre_number = version.pre ? static_cast<double>(version.pre->number) : 0.0;
      if (point.kind == Kind::after_posts) return std::array<double, 6>{double(pre_rank), pre_number, 1, 1e300, 1, 0};
      return std::array<double, 6>{double(pre_rank),
                                   pre_number,
                                   version.post ? 1.0 : 0.0,
                                   static_cast<double>(version.post.value_or(0)),
                                   version.dev ? 0.0 : 1.0,
                                   static_cast<double>(version.dev.value_or(0))};
    };
    const auto sa = suffix(left);
    const auto sb = suffix(right);
    for (std::size_t index = 0; index < sa.size(); ++index)
      if (sa[index] != sb[index]) return sa[index] < sb[index] ? std::weak_ordering::less : std::weak_ordering::greater;
    return std::weak_ordering::equivalent;
  }
  if (left.kind != Kind::exact) {
    const bool below = left.version < right.version && !in_boundary_family(left, right.version);
    return below ? std::weak_ordering::less : std::weak_ordering::greater;
  }
  const bool above = right.version < left.version && !in_boundary_family(right, left.version);
  return above ? std::weak_ordering::greater : std::weak_ordering::less;
}

bool same_point(const VersionPoint& left, const VersionPoint& right) { return compare_points(left, right) == 0; }

bool lower_less(const LowerBound& left, const LowerBound& right) {
  if (!left.point) return right.point.has_value();
  if (!right.point) return false;
  if (!same_point(*left.point, *right.point)) return compare_points(*left.point, *right.point) < 0;
  return left.inclusive && !right.inclusive;
}

bool upper_less(const UpperBound& left, const UpperBound& right) {
  if (!left.point) return false;
  if (!right.point) return true;
  if (!same_point(*left.point, *right.point)) return compare_points(*left.point, *right.point) < 0;
  return !left.inclusive && right.inclusive;
}

Version with_dev_zero(Version version) {
  version.dev = 0;
  version.local.clear();
  return version;
}

/// The smallest real version strictly above a boundary, when there is one.
std::optional<Version> least_version_above(const VersionPoint& boundary) {
  Version next = boundary.version;
  next.local.clear();
  if (boundary.kind == Kind::after_locals) {
    if (next.dev) {
      next.dev = *next.dev + 1;
      return next;
    }
    next.post = next.post ? *next.post + 1 : 0;
    next.dev = 0;
    return next;
  }
  if (!next.pre) return std::nullopt;
  next.pre->number += 1;
  next.post.reset();
  next.dev = 0;
  return next;
}

bool interval_is_empty(const LowerBound& lower, const UpperBound& upper) {
  if (!upper.point) return false;
  if (!lower.point)
    return !upper.inclusive && upper.point->kind == Kind::exact && upper.point->version <= min_version();
  if (lower.point->kind != Kind::exact) {
    if (const auto successor = least_version_above(*lower.point)) {
      const VersionPoint successor_point{*successor, Kind::exact};
      if (upper.point->kind == Kind::exact && upper.point->version == *successor) return !upper.inclusive;
      return compare_points(*upper.point, successor_point) < 0;
    }
  }
  if (same_point(*lower.point, *upper.point)) return !(lower.inclusive && upper.inclusive);
  return compare_points(*lower.point, *upper.point) > 0;
}

Version next_prefix_dev0(const Version& version) {
  Version next;
  next.epoch = version.epoch;
  next.release = version.release;
  next.release.back() += 1;
  next.dev = 0;
  return next;
}

Version base_dev0(const Version& version) {
  Version base;
  base.epoch = version.epoch;
  base.release = version.release;
  base.dev = 0;
  return base;
}

const Intervals& full_range() {
  static const Intervals kFull{Interval{}};
  return kFull;
}

LowerBound lower_at(Version version, bool inclusive, Kind kind = Kind::exact) {
  return LowerBound{VersionPoint{std::move(version), kind}, inclusive};
}

UpperBound upper_at(Version version, bool inclusive, Kind kind = Kind::exact) {
  return UpperBound{VersionPoint{std::move(version), kind}, inclusive};
}

Intervals intervals_for(const std::string& op, const std::string& text, const Version& version) {
  if (op == "===") return full_range();
  if (text.ends_with(".*")) {
    if (op == "==") return {Interval{lower_at(base_dev0(version), true), upper_at(next_prefix_dev0(version), false)}};
    return {Interval{LowerBound{}, upper_at(base_dev0(version), false)},
            Interval{lower_at(next_prefix_dev0(version), true), UpperBound{}}};
  }
  if (op == ">=") return {Interval{lower_at(version, true), UpperBound{}}};
  if (op == "<=") return {Interval{LowerBound{}, upper_at(version, true, Kind::after_locals)}};
  if (op == ">") {
    Version bound = version;
    bound.local.clear();
    if (version.dev) {
      bound.dev = *version.dev + 1;
      return {Interval{lower_at(bound, true), UpperBound{}}};
    }
    if (version.post) {
      bound.post = *version.post + 1;
      bound.dev = 0;
      return {Interval{lower_at(bound, true), UpperBound{}}};
    }
    return {Interval{lower_at(version, false, Kind::after_posts), UpperBound{}}};
  }
  if (op == "<") {
    const Version bound = version.is_prerelease() ? version : with_dev_zero(version);
    if (bound <= min_version()) return {};
    return {Interval{LowerBound{}, upper_at(bound, false)}};
  }
  const bool has_local = text.find('+') != std::string::npos;
  const VersionPoint upper_point{version, has_local ? Kind::exact : Kind::after_locals};
  if (op == "==") return {Interval{lower_at(version, true), UpperBound{upper_point, true}}};
  if (op == "!=")
    return {Interval{LowerBound{}, upper_at(version, false)}, Interval{LowerBound{upper_point, false}, UpperBound{}}};
  // ~=: at least this version, below the next release of its prefix.
  Version prefix = version;
  prefix.release.pop_back();
  return {Interval{lower_at(version, true), upper_at(next_prefix_dev0(prefix), false)}};
}

/// Drops an empty first interval and folds an inclusive lower bound at the minimum into -inf.
Intervals canonical_floor(Intervals intervals) {
  if (intervals.empty()) return intervals;
  if (interval_is_empty(LowerBound{}, intervals.front().upper)) {
    intervals.erase(intervals.begin());
    return intervals;
  }
  auto& first = intervals.front().lower;
  if (first.inclusive && first.point && first.point->kind == Kind::exact && first.point->version <= min_version())
    first = LowerBound{};
  return intervals;
}

/// Explicit setting first; otherwise a specifier that names a pre-release admits them.
std::optional<bool> resolve_default(std::optional<bool> configured, std::optional<bool> implied) {
  if (configured) return configured;
  if (implied.value_or(false)) return true;
  return std::nullopt;
}

/// PEP 440 default: pre-releases only when no final release is among the matches. Non-PEP 440
/// strings count as neither and are kept.
std::vector<std::size_t> prefer_finals(std::span<const Candidate> candidates, const std::vector<std::size_t>& matches,
                                       std::optional<bool> prereleases) {
  if (prereleases == true) return matches;
  std::vector<std::size_t> kept;
  if (prereleases == false) {
    for (const std::size_t index : matches)
      if (!candidates[index].version || !candidates[index].version->is_prerelease()) kept.push_back(index);
    return kept;
  }
  const bool any_final = std::ranges::any_of(matches, [&](std::size_t index) {
    return candidates[index].version && !candidates[index].version->is_prerelease();
  });
  if (!any_final) return matches;
  for (const std::size_t index : matches)
    if (!candidates[index].version || !candidates[index].version->is_prerelease()) kept.push_back(index);
  return kept;
}

/// Range filtering: unparsable candidates never match; with the default policy pre-releases are
/// kept only while no final release has been seen.
std::vector<std::size_t> filter_by_intervals(const Intervals& intervals, std::span<const Candidate> candidates,
                                             std::optional<bool> prereleases) {
  std::vector<std::size_t> kept;
  std::vector<std::size_t> buffered;
  bool found_final = false;
  for (std::size_t index = 0; index < candidates.size(); ++index) {
    const auto& version = candidates[index].version;
    if (!version) continue;
    if (prereleases == false && version->is_prerelease()) continue;
    if (!intervals_contain(intervals, *version)) continue;
    if (prereleases == true || !version->is_prerelease()) {
      if (!version->is_prerelease()) found_final = true;
      kept.push_back(index);
    } else if (!found_final) {
      buffered.push_back(index);
    }
  }
  if (!prereleases.has_value() && !found_final) return buffered;
  return kept;
}

std::string canonical_version_text(const Version& version, bool strip_trailing_zeros) {
  Version copy = version;
  if (strip_trailing_zeros) copy.release = copy.trimmed_release();
  return copy.to_string();
}

}  // namespace

std::size_t match_specifier(std::string_view text) {
  std::string op;
  for (const std::string_view candidate : {"===", "~=", "==", "!=", "<=", ">=", "<", ">"}) {
    if (text.starts_with(candidate)) {
      op = std::string(candidate);
      break;
    }
  }
  if (op.empty()) return 0;
  std::size_t position = op.size();
  while (position < text.size() && is_space(text[position])) ++position;
  if (op == "===") {
    while (position < text.size() && !is_space(text[position]) && text[position] != ';' && text[position] != ')')
      ++position;
    return position;
  }
  const bool equality = op == "==" || op == "!=";
  const std::size_t length = match_version_prefix(
      text.substr(position), VersionPrefixRules{equality, equality, op == "~=" ? std::size_t{2} : std::size_t{1}});
  return length == 0 ? 0 : position + length;
}

Candidate Candidate::from_text(std::string_view text) {
  return Candidate{std::string(text), Version::parse(text), false};
}

Candidate Candidate::from_version(const Version& version) { return Candidate{version.to_string(), version, true}; }

bool LowerBound::admits(const Version& version) const {
  if (!point) return true;
  const Version& base = point->version;
  switch (point->kind) {
    case Kind::exact:
      return inclusive ? base <= version : base < version;
    case Kind::after_posts:
      return base < version && !same_release_and_pre(base, version);
    case Kind::after_locals:
      return base < version &&
             !(same_release_and_pre(base, version) && version.post == base.post && version.dev == base.dev);
  }
  return false;
}

bool UpperBound::admits(const Version& version) const {
  if (!point) return true;
  const Version& base = point->version;
  switch (point->kind) {
    case Kind::exact:
      return inclusive ? version <= base : version < base;
    case Kind::after_locals:
      return version <= base ||
             (same_release_and_pre(base, version) && version.post == base.post && version.dev == base.dev);
    case Kind::after_posts:
      return !(base < version && !in_boundary_family(*point, version));
  }
  return false;
}

bool intervals_contain(const Intervals& intervals, const Version& version) {
  for (const auto& interval : intervals) {
    if (!interval.lower.admits(version)) return false;  // sorted: later intervals start higher
    if (interval.upper.admits(version)) return true;
  }
  return false;
}

Intervals intersect_intervals(const Intervals& left, const Intervals& right) {
  Intervals result;
  std::size_t left_index = 0;
  std::size_t right_index = 0;
  while (left_index < left.size() && right_index < right.size()) {
    const auto& a = left[left_index];
    const auto& b = right[right_index];
    const LowerBound lower = lower_less(a.lower, b.lower) ? b.lower : a.lower;
    const UpperBound upper = upper_less(b.upper, a.upper) ? b.upper : a.upper;
    if (!interval_is_empty(lower, upper)) result.push_back(Interval{lower, upper});
    if (upper_less(a.upper, b.upper))
      ++left_index;
    else
      ++right_index;
  }
  return result;
}

Intervals complement_intervals(const Intervals& intervals) {
  if (intervals.empty()) return full_range();
  Intervals result;
  const UpperBound* previous = nullptr;
  for (const auto& interval : intervals) {
    const UpperBound gap_upper{interval.lower.point, !interval.lower.inclusive};
    if (previous == nullptr) {
      if (interval.lower.point) result.push_back(Interval{LowerBound{}, gap_upper});
    } else {
      result.push_back(Interval{LowerBound{previous->point, !previous->inclusive}, gap_upper});
    }
    previous = &interval.upper;
  }
  if (previous->point) result.push_back(Interval{LowerBound{previous->point, !previous->inclusive}, UpperBound{}});
  return result;
}

Result<Specifier> Specifier::parse(std::string_view text, std::optional<bool> prereleases) {
  const std::string_view trimmed = trim(text);
  Specifier specifier;
  for (const std::string_view op : {"===", "~=", "==", "!=", "<=", ">=", "<", ">"}) {
    if (trimmed.starts_with(op)) {
      specifier.op_ = std::string(op);
      break;
    }
  }
  if (specifier.op_.empty()) return fail(std::string(text), "invalid specifier: no comparison operator");
  if (match_specifier(trimmed) != trimmed.size()) return fail(std::string(text), "invalid specifier");
  const std::string_view rest = trim(trimmed.substr(specifier.op_.size()));
  specifier.version_text_ = std::string(rest);
  specifier.configured_prereleases_ = prereleases;
  if (specifier.op_ != "===") {
    const std::string_view stem = rest.ends_with(".*") ? rest.substr(0, rest.size() - 2) : rest;
    specifier.version_ = Version::parse(stem);
    specifier.intervals_ = intervals_for(specifier.op_, specifier.version_text_, *specifier.version_);
  } else {
    specifier.version_ = Version::parse(rest);
    specifier.intervals_ = full_range();
  }
  return specifier;
}

std::string Specifier::canonical() const {
  if (op_ == "===" || version_text_.ends_with(".*") || !version_) return op_ + version_text_;
  return op_ + canonical_version_text(*version_, op_ != "~=");
}

std::optional<bool> Specifier::prereleases() const {
  if (configured_prereleases_) return configured_prereleases_;
  if (op_ == "!=") return false;
  if (op_ == "==" && version_text_.ends_with(".*")) return false;
  if (!version_) return std::nullopt;
  return version_->is_prerelease();
}

bool Specifier::contains(const Candidate& candidate, std::optional<bool> prereleases) const {
  if (op_ == "===") {
    const Candidate one[] = {candidate};
    return !filter(one, prereleases).empty();
  }
  if (!candidate.version) return false;
  const std::optional<bool> policy = prereleases ? prereleases : resolve_default(configured_prereleases_, this->prereleases());
  if (policy == false && candidate.version->is_prerelease()) return false;
  return intervals_contain(intervals_, *candidate.version);
}

std::vector<std::size_t> Specifier::filter(std::span<const Candidate> candidates,
                                           std::optional<bool> prereleases) const {
  const std::optional<bool> policy = prereleases ? prereleases : resolve_default(configured_prereleases_, this->prereleases());
  if (op_ == "===") {
    const std::string wanted = ascii_lower(version_text_);
    std::vector<std::size_t> matches;
    for (std::size_t index = 0; index < candidates.size(); ++index)
      if (ascii_lower(candidates[index].text) == wanted) matches.push_back(index);
    return prefer_finals(candidates, matches, policy);
  }
  return filter_by_intervals(intervals_, candidates, policy);
}

Result<SpecifierSet> SpecifierSet::parse(std::string_view text, std::optional<bool> prereleases) {
  SpecifierSet set;
  set.configured_prereleases_ = prereleases;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string_view part = trim(text.substr(start, comma == std::string_view::npos ? text.size() - start : comma - start));
    if (!part.empty()) {
      auto specifier = Specifier::parse(part);
      if (!specifier) return std::unexpected(specifier.error());
      set.has_arbitrary_ = set.has_arbitrary_ || specifier->op() == "===";
      set.specifiers_.push_back(std::move(*specifier));
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (!set.specifiers_.empty()) {
    set.intervals_ = set.specifiers_.front().intervals();
    for (std::size_t index = 1; index < set.specifiers_.size() && !set.intervals_.empty(); ++index)
      set.intervals_ = intersect_intervals(set.intervals_, set.specifiers_[index].intervals());
  } else {
    set.intervals_ = full_range();
  }
  return set;
}

std::string SpecifierSet::to_string() const {
  std::vector<const Specifier*> sorted;
  for (const auto& specifier : specifiers_) sorted.push_back(&specifier);
  std::ranges::stable_sort(sorted, [](const Specifier* a, const Specifier* b) { return a->to_string() < b->to_string(); });
  std::string text;
  std::vector<std::string> seen;
  for (const Specifier* specifier : sorted) {
    const std::string canonical = specifier->canonical();
    if (std::ranges::find(seen, canonical) != seen.end()) continue;
    seen.push_back(canonical);
    if (!text.empty()) text.push_back(',');
    text += specifier->to_string();
  }
  return text;
}

std::optional<bool> SpecifierSet::prereleases() const {
  if (configured_prereleases_) return configured_prereleases_;
  if (specifiers_.empty()) return std::nullopt;
  if (std::ranges::any_of(specifiers_, [](const Specifier& s) { return s.prereleases() == true; })) return true;
  return std::nullopt;
}

bool SpecifierSet::contains(const Candidate& candidate, std::optional<bool> prereleases, bool installed) const {
  std::optional<bool> policy = prereleases;
  if (candidate.version && installed && candidate.version->is_prerelease()) policy = true;
  if (candidate.version && !has_arbitrary_ && !candidate.version->has_local() && !specifiers_.empty()) {
    if (candidate.version->is_prerelease() && (policy == false || (!policy && configured_prereleases_ == false)))
      return false;
    return intervals_contain(intervals_, *candidate.version);
  }
  Candidate check = candidate;
  if (candidate.version && !(has_arbitrary_ && !candidate.is_parsed_object)) check = Candidate::from_version(*candidate.version);
  const Candidate one[] = {check};
  return !filter(one, policy).empty();
}

std::vector<std::size_t> SpecifierSet::filter(std::span<const Candidate> candidates,
                                              std::optional<bool> prereleases) const {
  std::optional<bool> policy = prereleases;
  if (!policy && this->prereleases()) policy = this->prereleases();
  std::vector<std::size_t> all(candidates.size());
  for (std::size_t index = 0; index < all.size(); ++index) all[index] = index;
  if (specifiers_.empty()) return prefer_finals(candidates, all, policy);
  if (has_arbitrary_) {
    std::vector<std::size_t> matches;
    for (const std::size_t index : all)
      if (std::ranges::all_of(specifiers_, [&](const Specifier& s) { return s.contains(candidates[index], true); }))
        matches.push_back(index);
    return prefer_finals(candidates, matches, policy);
  }
  return filter_by_intervals(intervals_, candidates, policy);
}

bool SpecifierSet::is_unsatisfiable() const {
  if (specifiers_.empty()) return false;
  if (intervals_.empty()) return true;
  std::vector<const Specifier*> arbitrary;
  for (const auto& specifier : specifiers_)
    if (specifier.op() == "===") arbitrary.push_back(&specifier);
  if (!arbitrary.empty()) {
    const std::string first = ascii_lower(arbitrary.front()->version_text());
    for (const Specifier* other : arbitrary)
      if (ascii_lower(other->version_text()) != first) return true;
    const auto candidate = Version::parse(arbitrary.front()->version_text());
    if (prereleases() == false && candidate && candidate->is_prerelease()) return true;
    if (arbitrary.size() != specifiers_.size()) {
      if (!candidate) return true;
      for (const auto& specifier : specifiers_)
        if (specifier.op() != "===" && !specifier.contains(Candidate::from_version(*candidate))) return true;
    }
  }
  if (prereleases() == false) {
    // Unsatisfiable when every interval holds only pre-releases.
    for (const auto& interval : intervals_) {
      Version nearest = *Version::parse("0");
      if (interval.lower.point) {
        const VersionPoint& point = *interval.lower.point;
        nearest = point.version;
        nearest.local.clear();
        if (point.kind != Kind::exact && !point.version.is_prerelease()) {
          nearest.post = point.version.post ? *point.version.post + 1 : 0;
        } else if (nearest.is_prerelease()) {
          if (nearest.pre) nearest.post.reset();
          nearest.pre.reset();
          nearest.dev.reset();
        }
      }
      if (!interval.upper.point) return false;
      const VersionPoint nearest_point{nearest, Kind::exact};
      const auto order = compare_points(nearest_point, *interval.upper.point);
      if (order < 0) return false;
      if (interval.upper.point->kind == Kind::exact && interval.upper.point->version == nearest &&
          interval.upper.inclusive)
        return false;
    }
    return true;
  }
  return false;
}

std::optional<bool> SpecifierSet::is_subset(const SpecifierSet& other) const {
  if (has_arbitrary_ || other.has_arbitrary_) return std::nullopt;
  return intersect_intervals(canonical_floor(intervals_), complement_intervals(canonical_floor(other.intervals_))).empty();
}

std::optional<bool> SpecifierSet::is_disjoint(const SpecifierSet& other) const {
  if (has_arbitrary_ || other.has_arbitrary_) return std::nullopt;
  return intersect_intervals(canonical_floor(intervals_), canonical_floor(other.intervals_)).empty();
}

std::optional<std::string> SpecifierSet::pinned_version() const {
  if (specifiers_.size() != 1) return std::nullopt;
  const Specifier& only = specifiers_.front();
  if ((only.op() == "==" && !only.version_text().ends_with(".*")) || only.op() == "===") return only.version_text();
  return std::nullopt;
}

}  // namespace moat::deps
