#pragma once
// Inline suppressions: Bandit's `# nosec [IDS]` with Bandit's exact parsing, and moat's additions
// `# noqa: S602[,S603]` (ruff's codes for the same checks) and `# moat: ignore[B602,assert_used]`.
#include <map>
#include <optional>
#include <string_view>

#include "moat/lint/registry.hpp"

namespace moat::lint {

/// One line's suppression: `blanket` suppresses every check; otherwise the checks in `checks`.
struct Suppression {
  bool blanket = false;
  CheckSet checks;
  bool from_nosec = false;  // Bandit syntax (counts in Bandit's nosec/skipped_tests metrics)
};

/// Bandit's parse of one comment token: nothing when it holds no `nosec`; a blanket suppression
/// when no listed word is a known check ID or name; otherwise the listed checks. Quirks kept:
/// `# nosec B602,B607` keeps only B607, only lower-case `nosec` counts, `# nosecurity` is blanket.
std::optional<Suppression> parse_nosec_comment(std::string_view comment);

/// moat's own forms, honoured outside compat mode: `# noqa: S602, S603` (only S codes; a bare
/// `# noqa` is left to other linters) and `# moat: ignore[B602, assert_used]`.
std::optional<Suppression> parse_moat_suppression(std::string_view comment);

/// Suppressions by 1-based line.
using SuppressionMap = std::map<int, Suppression>;

}  // namespace moat::lint
