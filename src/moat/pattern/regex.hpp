#pragma once
// PCRE2 regular expressions as rules use them: pattern-regex over a whole file (multiline), and
// metavariable-regex anchored at the start of a bound value.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/pattern/regex_literals.hpp"
#include "moat/pattern/trigrams.hpp"
#include "moat/util/error.hpp"

namespace moat::pattern {

/// A byte range [start, end) in a file.
struct Span {
  std::size_t start = 0;
  std::size_t end = 0;
  friend bool operator==(const Span&, const Span&) = default;
};

class Regex {
 public:
  /// Compiles `source` as UTF-8 PCRE2 in multiline mode; an invalid expression is an error naming it.
  static Result<Regex> compile(std::string_view source);

  /// Every non-overlapping match in `text`, as byte spans of `text`. Empty matches are skipped.
  /// `literals_checked`: the caller knows `text` holds a required literal (see literal_hits()).
  [[nodiscard]] std::vector<Span> find_all(std::string_view text, bool literals_checked = false) const;

  /// True when the expression matches starting at the first byte of `text` (Python's re.match).
  [[nodiscard]] bool matches_at_start(std::string_view text) const;

  /// True when the expression matches anywhere in `text`.
  [[nodiscard]] bool search(std::string_view text) const;

  /// False when no match can exist in a text with these trigrams (a literal every match needs is
  /// absent): the cheap test before running the expression over a whole file.
  [[nodiscard]] bool may_match(const TrigramSet& trigrams) const;

  /// False when `text` lacks the run of characters every match contains (GuardDog's
  /// `[\h]{150,}`): a pass that mostly skips ahead by the run's length, for once per file.
  [[nodiscard]] bool may_match_runs_of(std::string_view text) const;

  /// False when `text` lacks every literal one of which each match contains: no match exists.
  [[nodiscard]] bool may_occur_in(std::string_view text) const;

  /// Where the literals one of which each match contains occur in `text`, ordered by start, so
  /// that may_occur_in() for many windows of one text is a lookup: a window may hold a match only
  /// when a hit lies wholly inside it. Null when the expression requires no literal or the text
  /// has more than `limit` hits (then ask may_occur_in()).
  [[nodiscard]] std::optional<std::vector<Span>> literal_hits(std::string_view text, std::size_t limit) const;

  /// Identifies the compiled expression (shared by copies), for per-file caches.
  [[nodiscard]] const void* identity() const { return code_.get(); }

  [[nodiscard]] const std::string& source() const { return source_; }

 private:
  struct Code;
  std::shared_ptr<const Code> code_;
  std::string source_;
  std::optional<std::vector<std::string>> required_;  // one of these occurs in every match
  std::optional<TrigramSet::ByteSet> first_bytes_;    // every match contains one of these (regex.cpp)
  std::optional<RequiredRun> run_;                    // every match contains such a run
};

}  // namespace moat::pattern
