#pragma once
// Loading Semgrep-format rule files. Every problem is an Error naming the file, the YAML line and
// the rule; a bad rule never stops the other rules of its file or the other files.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "moat/pattern/rule.hpp"
#include "moat/util/error.hpp"

namespace moat::pattern {

struct RuleSet {
  std::vector<Rule> rules;
  std::vector<Error> errors;
};

/// Parses the YAML text of one rule file (`origin` names it in errors) and appends its rules and
/// errors to `into`.
void parse_rule_file(std::string_view yaml_text, const std::string& origin, RuleSet& into);

/// Loads a rule file, or every *.yml / *.yaml file below a directory (sorted; test files
/// `*.test.yaml`, `*.fixed.*` and hidden directories are skipped).
void load_rules(const std::filesystem::path& path, RuleSet& into);

/// True when a file name looks like a rule file (.yml/.yaml, not a .test.yaml or .fixed. file).
bool is_rule_file_name(std::string_view file_name);

}  // namespace moat::pattern
