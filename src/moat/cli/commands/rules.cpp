// `moat rules`: list rules, run Semgrep-style annotated rule tests, and run rules over paths.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "moat/cli/code_checks.hpp"
#include "moat/cli/command.hpp"
#include "moat/cli/report_options.hpp"
#include "moat/pattern/builtin_rules.hpp"
#include "moat/pattern/engine.hpp"
#include "moat/pattern/rule_test.hpp"

namespace moat::cli {

namespace {

namespace fs = std::filesystem;

struct RuleSources {
  std::vector<std::string> paths;  // --rules
  bool no_builtin = false;
};

void add_rule_sources(CLI::App& command, RuleSources& sources) {
  command.add_option("--rules", sources.paths, "Semgrep-format rule file or directory (repeatable)")
      ->allow_extra_args(false);
  command.add_flag("--no-builtin", sources.no_builtin, "Leave out moat's built-in rule pack");
}

std::shared_ptr<const pattern::RuleSet> load(const RuleSources& sources) {
  auto set = load_scan_rules(!sources.no_builtin, sources.paths);
  for (const auto& error : set->errors) std::fprintf(stderr, "moat rules: %s\n", error.to_string().c_str());
  return set;
}

int list_rules(const RuleSources& sources, const std::string& format) {
  const auto loaded = load(sources);
  const pattern::RuleSet& set = *loaded;
  if (format == "json") {
    auto rules = nlohmann::ordered_json::array();
    for (const auto& rule : set.rules)
      rules.push_back({{"id", rule.id},
                       {"severity", std::string(to_string(rule.severity))},
                       {"mode", rule.mode == pattern::Rule::Mode::taint ? "taint" : "search"},
                       {"languages", rule.languages},
                       {"origin", rule.origin},
                       {"message", rule.message}});
    auto errors = nlohmann::ordered_json::array();
    for (const auto& error : set.errors) errors.push_back({{"path", error.subject}, {"message", error.message}});
    std::cout << nlohmann::ordered_json{{"rules", rules}, {"errors", errors}}.dump(2) << "\n";
  } else {
    for (const auto& rule : set.rules)
      std::printf("%-40s %-8s %-6s %s\n", rule.id.c_str(), std::string(to_string(rule.severity)).c_str(),
                  rule.mode == pattern::Rule::Mode::taint ? "taint" : "search", rule.origin.c_str());
    std::printf("%zu rules\n", set.rules.size());
  }
  return set.errors.empty() ? kExitClean : kExitFailure;
}

bool is_python_target(const fs::path& path) {
  const std::string extension = path.extension().string();
  return extension == ".py" || extension == ".pyw" || extension == ".pyi";
}

int scan_paths(const RuleSources& sources, const std::vector<std::string>& targets, const ReportOptions& report_options,
               bool disable_nosemgrep) {
  const auto loaded = load(sources);
  const pattern::RuleSet& set = *loaded;
  Report report;
  for (const auto& error : set.errors) report.errors.push_back({error.subject, error.message});
  if (set.rules.empty()) {
    std::fputs("moat rules scan: no rules loaded\n", stderr);
    return kExitFailure;
  }
  std::vector<fs::path> files;
  for (const auto& target : targets) {
    std::error_code error;
    if (fs::is_directory(target, error)) {
      for (fs::recursive_directory_iterator it(target, fs::directory_options::skip_permission_denied, error), end;
           !error && it != end; it.increment(error))
        if (it->is_regular_file(error) && is_python_target(it->path())) files.push_back(it->path());
    } else if (fs::exists(target, error)) {
      files.emplace_back(target);
    } else {
      report.errors.push_back({target, "no such file or directory"});
    }
  }
  std::ranges::sort(files);
  const pattern::RunOptions run_options{.honor_nosemgrep = !disable_nosemgrep};
  std::size_t checked = 0;
  for (auto& scanned : pattern::scan_files(set.rules, files, run_options)) {
    if (scanned.error) report.errors.push_back(std::move(*scanned.error));
    if (!scanned.read) continue;
    report.findings.insert(report.findings.end(), std::make_move_iterator(scanned.findings.begin()),
                           std::make_move_iterator(scanned.findings.end()));
    ++checked;
  }
  report.stats["files"] = checked;
  report.stats["rules"] = set.rules.size();
  return finish_report(report, report_options, checked > 0);
}

}  // namespace

void configure_rules_command(CLI::App& command, CommandRunner& run) {
  command.require_subcommand(1);

  auto sources = std::make_shared<RuleSources>();
  auto format = std::make_shared<std::string>("text");
  CLI::App* list = command.add_subcommand("list", "List the loaded rules (built-in pack and --rules)");
  add_rule_sources(*list, *sources);
  list->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));

  auto test_path = std::make_shared<std::string>();
  auto test_options = std::make_shared<pattern::RuleTestOptions>();
  auto strict = std::make_shared<bool>(false);
  auto targets = std::make_shared<std::string>();
  CLI::App* test = command.add_subcommand("test", "Run Semgrep-style annotated tests (# ruleid:, # ok:) for rule files");
  test->add_option("PATH", *test_path, "Rule file or directory; test files sit beside each rule (same stem)")
      ->required();
  test->add_option("--targets", *targets, "Directory holding the test files instead (as `semgrep --test`)");
  test->add_flag("--strict", *strict, "todoruleid lines must be reported and todook lines must not");
  test->add_flag("--lenient", test_options->lenient, "Also accept annotations trailing code (legacy runner)");

  auto scan_targets = std::make_shared<std::vector<std::string>>();
  auto report_options = std::make_shared<ReportOptions>();
  auto disable_nosemgrep = std::make_shared<bool>(false);
  CLI::App* scan = command.add_subcommand("scan", "Run the rules over Python files and directories");
  scan->add_option("PATH", *scan_targets, "Files or directories to scan")->required();
  add_rule_sources(*scan, *sources);
  scan->add_flag("--disable-nosem", *disable_nosemgrep, "Ignore # nosemgrep comments (as for malware rules)");
  add_report_options(*scan, *report_options, {"text", "json", "github", "markdown", "html"});

  run = [=] {
    if (list->parsed()) return list_rules(*sources, *format);
    if (test->parsed()) {
      test_options->mode = *strict ? pattern::TestMode::strict : pattern::TestMode::compat;
      test_options->targets = *targets;
      std::error_code error;
      if (!fs::exists(*test_path, error)) {
        std::fprintf(stderr, "moat rules test: %s: no such file or directory\n", test_path->c_str());
        return static_cast<int>(kExitFailure);
      }
      const auto summary = pattern::run_rule_tests(*test_path, *test_options, std::cout);
      if (!summary.errors.empty() || summary.passed + summary.failed == 0) return static_cast<int>(kExitFailure);
      return static_cast<int>(summary.failed > 0 ? kExitFindings : kExitClean);
    }
    return scan_paths(*sources, *scan_targets, *report_options, *disable_nosemgrep);
  };
}

}  // namespace moat::cli
