#pragma once
// The registry of moat's Bandit-compatible checks, generated from the one table in checks.def:
// the Check enum, per-check facts (ID, name, reported test name, levels, CWE), lookup by ID or
// name, CheckSet bitsets and the RuleDoc table `moat explain` prints.
#include <bitset>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "moat/base/finding.hpp"
#include "moat/base/rule_doc.hpp"

namespace moat::lint {

enum class Check : std::uint8_t {
#define MOAT_BANDIT_CHECK(id, name, test_name, severity, confidence, cwe) id,
#include "moat/lint/checks.def"
#undef MOAT_BANDIT_CHECK
};

inline constexpr std::size_t kCheckCount = 0
#define MOAT_BANDIT_CHECK(id, name, test_name, severity, confidence, cwe) +1
#include "moat/lint/checks.def"
#undef MOAT_BANDIT_CHECK
    ;

using CheckSet = std::bitset<kCheckCount>;

struct CheckInfo {
  Check check;
  std::string_view id;         // "B602"
  std::string_view name;       // "subprocess_popen_with_shell_equals_true"
  std::string_view test_name;  // what Bandit reports ("blacklist" for B3xx/B4xx, "hashlib" for B324)
  Severity severity;
  Confidence confidence;
  int cwe;
  [[nodiscard]] bool is_blacklist() const { return test_name == "blacklist"; }
};

[[nodiscard]] const CheckInfo& info(Check check);
[[nodiscard]] std::span<const CheckInfo> all_checks();
[[nodiscard]] inline std::size_t index(Check check) { return static_cast<std::size_t>(check); }

/// A check by its ID ("B602", case-sensitive as in Bandit).
[[nodiscard]] std::optional<Check> find_check_by_id(std::string_view id);
/// A check by its name ("assert_used", "import_subprocess", ...).
[[nodiscard]] std::optional<Check> find_check_by_name(std::string_view name);

/// Bandit 1.9.4's `more_info` link for a check.
[[nodiscard]] const std::string& more_info_url(Check check);

/// All checks selected by a code or prefix ("B", "B6", "B602", ruff's "S602"; "B001" = every blacklist).
[[nodiscard]] CheckSet checks_matching(std::string_view code_or_prefix);

/// The documentation of every check, in table order.
[[nodiscard]] std::span<const RuleDoc> bandit_rule_docs();
[[nodiscard]] const RuleDoc& rule_doc(Check check);

}  // namespace moat::lint
