// B201 flask_debug_true: app.run(debug=True) in a module that imports flask.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "moat/lint/rules/rule_docs.hpp"
#include "moat/lint/rules/rules.hpp"

namespace moat::lint::rules {

extern const RuleDoc kDocB201;
const RuleDoc kDocB201{
    "B201", "flask_debug_true",
    "`app.run(debug=True)` in a module that imports Flask.",
    "The Werkzeug debugger lets anyone who can reach the app execute arbitrary Python code.",
    "app.run(debug=True)",
    "Never enable debug mode in production; drive it from configuration that defaults to off.",
    "https://flask.palletsprojects.com/en/latest/debugging/\nhttps://cwe.mitre.org/data/definitions/94.html"};

void flask_debug_true(Checker& checker) {
  if (!checker.qualname().ends_with(".run") || !checker.imported_like("flask")) return;
  if (checker.keyword_value("debug").is("True"))
    checker.report(Check::B201,
                   "A Flask app appears to be run with debug=True, which exposes the Werkzeug debugger and allows "
                   "the execution of arbitrary code.",
                   checker.keyword_line("debug"));
}

}  // namespace moat::lint::rules
