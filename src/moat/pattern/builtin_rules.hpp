#pragma once
// moat's built-in rule pack for malicious and dangerous package behaviour (rules/*.yaml), compiled
// into the binary. These run by default in `moat scan` (category "rules").
#include <span>
#include <string_view>

#include "moat/pattern/loader.hpp"

namespace moat::pattern {

struct BuiltinRuleFile {
  std::string_view name;  // "exec-decoded-payload.yaml"
  std::string_view yaml;
};

/// The embedded rule files, sorted by name.
std::span<const BuiltinRuleFile> builtin_rule_files();

/// Loads the built-in pack into `into` (origins are "builtin:<file name>").
void load_builtin_rules(RuleSet& into);

}  // namespace moat::pattern
