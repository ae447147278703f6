#include "moat/cli/code_checks.hpp"

#include "moat/deps/typosquat.hpp"
#include "moat/lint/linter.hpp"

namespace moat::cli {

dist::PythonScanner python_code_checks(lint::LintOptions options) {
  return [options = std::move(options)](std::string_view location, std::string_view source) {
    Report code = lint::make_report({lint::lint_source(std::string(location), source, options)});
    return std::move(code.findings);
  };
}

dist::NameChecker typosquat_check() {
  return [](std::string_view name, std::string_view location) {
    std::vector<Finding> findings;
    if (const auto squat = deps::PopularNames::embedded().check(name))
      findings.push_back(deps::typosquat_finding(name, *squat, Category::artifact, Location{std::string(location)},
                                                 "Name: " + std::string(name)));
    return findings;
  };
}

}  // namespace moat::cli
