#include "moat/cli/code_checks.hpp"

#include "moat/lint/linter.hpp"

namespace moat::cli {

dist::PythonScanner python_code_checks(lint::LintOptions options) {
  return [options = std::move(options)](std::string_view location, std::string_view source) {
    Report code = lint::make_report({lint::lint_source(std::string(location), source, options)});
    return std::move(code.findings);
  };
}

}  // namespace moat::cli
