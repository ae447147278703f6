#include "moat/pattern/builtin_rules.hpp"

#include <string>

namespace moat::pattern {

void load_builtin_rules(RuleSet& into) {
  for (const auto& file : builtin_rule_files()) parse_rule_file(file.yaml, "builtin:" + std::string(file.name), into);
}

}  // namespace moat::pattern
