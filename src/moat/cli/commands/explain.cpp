// `moat explain CODE`: a rule's documentation from any analyzer's table (report/rule_docs.cpp).
#include <cstdio>

#include "moat/cli/command.hpp"
#include "moat/report/rule_docs.hpp"

namespace moat::cli {

void configure_explain_command(CLI::App& command, CommandRunner& run) {
  auto code = std::make_shared<std::string>();
  command.add_option("CODE", *code, "Rule code, e.g. B602 (ruff's S602 is accepted too)")->required();
  run = [code] {
    const RuleDoc* doc = report::find_rule_doc(*code);
    if (doc == nullptr) {
      std::fprintf(stderr, "moat explain: unknown rule code '%s'\n", code->c_str());
      return static_cast<int>(kExitFailure);
    }
    const std::string text = format_rule_doc(*doc);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return static_cast<int>(kExitClean);
  };
}

}  // namespace moat::cli
