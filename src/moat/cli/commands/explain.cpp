// `moat explain CODE`: a rule's documentation from any analyzer's table (report/rule_docs.cpp).
// `moat explain --all --format markdown --output-dir docs/rules` writes the rule reference.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "moat/cli/command.hpp"
#include "moat/report/rule_docs.hpp"
#include "moat/util/file.hpp"

namespace moat::cli {

namespace {

struct ExplainOptions {
  std::string code;
  bool all = false;
  std::string format = "text";
  std::string output_dir;
};

void print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

int explain_all(const ExplainOptions& options) {
  if (options.format == "text") {
    bool first = true;
    for (const auto& table : report::rule_doc_tables())
      for (const RuleDoc& doc : table) {
        print((first ? "" : "\n") + format_rule_doc(doc));
        first = false;
      }
    return kExitClean;
  }
  const auto pages = report::rule_reference_pages();
  if (options.output_dir.empty()) {
    for (const auto& [name, content] : pages) print("<!-- " + name + " -->\n" + content + "\n");
    return kExitClean;
  }
  std::error_code error;
  std::filesystem::create_directories(options.output_dir, error);
  for (const auto& [name, content] : pages) {
    if (auto written = write_file_atomically(std::filesystem::path(options.output_dir) / name, content); !written) {
      std::fprintf(stderr, "moat explain: %s\n", written.error().to_string().c_str());
      return kExitFailure;
    }
  }
  std::fprintf(stderr, "moat explain: wrote %zu pages to %s\n", pages.size(), options.output_dir.c_str());
  return kExitClean;
}

int explain(const ExplainOptions& options) {
  if (options.all == !options.code.empty()) {
    std::fputs("moat explain: give a rule CODE (e.g. moat explain B602) or --all\n", stderr);
    return kExitFailure;
  }
  if (!options.output_dir.empty() && !(options.all && options.format == "markdown")) {
    std::fputs("moat explain: --output-dir needs --all --format markdown\n", stderr);
    return kExitFailure;
  }
  if (options.all) return explain_all(options);
  const RuleDoc* doc = report::find_rule_doc(options.code);
  if (doc == nullptr) {
    std::fprintf(stderr, "moat explain: unknown rule code '%s' (moat explain --all lists every rule)\n", options.code.c_str());
    return kExitFailure;
  }
  print(options.format == "markdown" ? report::rule_doc_markdown(*doc) : format_rule_doc(*doc));
  return kExitClean;
}

}  // namespace

void configure_explain_command(CLI::App& command, CommandRunner& run) {
  auto options = std::make_shared<ExplainOptions>();
  command.add_option("CODE", options->code, "Rule code, e.g. B602 (ruff's S602 and advisory ids such as PYSEC-2018-28 are accepted)");
  command.add_flag("--all", options->all, "Every rule's documentation");
  command.add_option("--format", options->format, "text or markdown")->check(CLI::IsMember({"text", "markdown"}));
  command.add_option("--output-dir", options->output_dir,
                     "With --all --format markdown: write the rule reference (README.md and one page per rule) there");
  run = [options] { return explain(*options); };
}

}  // namespace moat::cli
