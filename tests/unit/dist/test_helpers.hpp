#pragma once
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "moat/base/finding.hpp"

namespace moat::testing {

inline std::vector<const Finding*> with_rule(const std::vector<Finding>& findings, std::string_view rule) {
  std::vector<const Finding*> out;
  for (const auto& finding : findings)
    if (finding.rule_id == rule) out.push_back(&finding);
  return out;
}

inline bool has_rule(const std::vector<Finding>& findings, std::string_view rule) { return !with_rule(findings, rule).empty(); }

inline std::string rules_of(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& finding : findings) out += finding.rule_id + " " + finding.location.path + ": " + finding.message + "\n";
  return out;
}

}  // namespace moat::testing
