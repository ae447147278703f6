// B110 try_except_pass and B112 try_except_continue: an except clause that only passes/continues.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB110;
const RuleDoc kDocB110{
    "B110", "try_except_pass",
    "An `except` clause whose body is only `pass` (by default only bare `except:` and `except Exception:`).",
    "Silently swallowing every error hides failures, including security-relevant ones, and leaves the program in an unknown state.",
    "try:\n    do()\nexcept Exception:\n    pass",
    "Catch the specific exception you expect, and log or handle it.",
    "https://cwe.mitre.org/data/definitions/703.html"};
extern const RuleDoc kDocB112;
const RuleDoc kDocB112{
    "B112", "try_except_continue",
    "An `except` clause whose body is only `continue` (by default only bare `except:` and `except Exception:`).",
    "Errors inside a loop are ignored without a trace.",
    "for f in files:\n    try:\n        load(f)\n    except Exception:\n        continue",
    "Catch specific exceptions and log what was skipped.",
    "https://cwe.mitre.org/data/definitions/703.html"};

void try_except(Checker& checker) {
  const auto& handler = static_cast<const py::ExceptHandler&>(checker.node());
  if (handler.body.size() != 1) return;
  const auto* type_name = py::dyn_cast<py::Name>(handler.type);
  const bool broad = handler.type == nullptr || (type_name != nullptr && type_name->id == "Exception");
  const PluginOptions& plugins = checker.options().plugins;
  // Bandit runs try_except_continue before try_except_pass.
  if (checker.enabled(Check::B112) && handler.body[0]->kind == py::NodeKind::Continue &&
      (broad || plugins.try_except_continue_typed))
    checker.report(Check::B112, "Try, Except, Continue detected.");
  if (checker.enabled(Check::B110) && handler.body[0]->kind == py::NodeKind::Pass &&
      (broad || plugins.try_except_pass_typed))
    checker.report(Check::B110, "Try, Except, Pass detected.");
}

}  // namespace moat::lint::rules
