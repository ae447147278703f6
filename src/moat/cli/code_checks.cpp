#include "moat/cli/code_checks.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <deque>
#include <iterator>

#include "moat/deps/database.hpp"
#include "moat/deps/typosquat.hpp"
#include "moat/lint/linter.hpp"
#include "moat/native/artifact.hpp"
#include "moat/pattern/builtin_rules.hpp"
#include "moat/pattern/engine.hpp"
#include "moat/python/parser.hpp"
#include "moat/util/file.hpp"
#include "moat/util/parallel.hpp"

namespace moat::cli {

std::shared_ptr<const pattern::RuleSet> load_scan_rules(bool builtin, const std::vector<std::string>& paths) {
  auto set = std::make_shared<pattern::RuleSet>();
  if (builtin) pattern::load_builtin_rules(*set);
  for (const std::string& path : paths) pattern::load_rules(path, *set);
  return set;
}

namespace {

/// One parse shared by the code checks and the rules: the rules take the code checks' tree unless
/// it failed, since the rules parse more leniently (Semgrep accepts some code CPython rejects).
struct SharedParse {
  lint::FileResult linted;
  std::unique_ptr<pattern::FileContext> file;  // null without rules
};

SharedParse lint_and_prepare(std::string path, std::string rules_path, std::string_view source,
                             const lint::LintOptions& options, bool with_rules) {
  python::ParseOptions parse_options = lint::lint_parse_options(options, path);
  parse_options.bytes_outlive_result = true;  // the caller's bytes outlive SharedParse
  auto parsed = std::make_unique<python::ParseResult>(python::parse(source, parse_options));
  SharedParse shared{lint::lint_parsed(std::move(path), source, *parsed, options), nullptr};
  if (with_rules)
    shared.file = parsed->ok() ? std::make_unique<pattern::FileContext>(std::move(rules_path), std::move(parsed))
                               : std::make_unique<pattern::FileContext>(std::move(rules_path), source);
  return shared;
}

}  // namespace

PythonFilesScan scan_python_files(const std::vector<std::string>& paths, const lint::LintOptions& options,
                                  const pattern::RuleSet* rules, const pattern::RunOptions& run_options, unsigned jobs,
                                  const std::function<void(std::size_t)>& progress) {
  // As pattern::scan_files: the rules skip larger files (the code checks do not).
  constexpr std::size_t kMaxRuleFileBytes = std::size_t{64} << 20;
  const bool with_rules = rules != nullptr && !rules->rules.empty();
  PythonFilesScan scan;
  scan.linted.resize(paths.size());
  if (with_rules) scan.rule_findings.resize(paths.size());
  std::atomic<std::size_t> done{0};
  parallel_for_each_index(paths.size(), jobs, [&](std::size_t i) {
    if (auto bytes = read_file(paths[i])) {
      const bool rules_apply = with_rules && bytes->size() <= kMaxRuleFileBytes;
      // The rules' paths are normalised; Bandit mode runs no rules and needs none.
      auto shared = lint_and_prepare(paths[i], rules_apply ? std::filesystem::path(paths[i]).lexically_normal().string() : std::string(),
                                     *bytes, options, rules_apply);
      scan.linted[i] = std::move(shared.linted);
      if (rules_apply) scan.rule_findings[i] = pattern::run_rules(rules->rules, *shared.file, run_options);
    } else {
      scan.linted[i].path = paths[i];
      scan.linted[i].error = bytes.error().message;
    }
    const std::size_t finished = ++done;
    if (progress) progress(finished);
  });
  return scan;
}

dist::PythonScanner python_code_checks(lint::LintOptions options, std::shared_ptr<const pattern::RuleSet> rules) {
  return [options = std::move(options), rules = std::move(rules)](std::string_view location, std::string_view source) {
    const bool with_rules = rules != nullptr && !rules->rules.empty();
    auto shared = lint_and_prepare(std::string(location), std::string(location), source, options, with_rules);
    Report code = lint::make_report({std::move(shared.linted)});
    // Code inside an artifact is the package author's: its `# nosemgrep` silences nothing.
    if (with_rules)
      std::ranges::move(pattern::run_rules(rules->rules, *shared.file, {.honor_nosemgrep = false}),
                        std::back_inserter(code.findings));
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

namespace {

class NativeSession final : public dist::MemberScanSession {
 public:
  explicit NativeSession(native::AnalyzeOptions options) : m_scanner(std::move(options)) {}

  void member(const std::string& location, const dist::EntryInfo& entry, std::string_view data, bool buffered,
              dist::MemberPool& pool) override {
    const auto bytes = std::as_bytes(std::span(data.data(), data.size()));
    if (!buffered) {
      m_scanner.add_unread_member(entry.path, entry.size);
    } else if (native::ArtifactScanner::analyses(entry.path, bytes)) {
      // Binaries are analysed on the pool; their reports are added in member order by finish().
      auto& binary = m_binaries.emplace_back(Binary{entry.path, {}});
      pool.submit(data, [&binary, location, &options = m_scanner.options()](std::string_view member) {
        binary.report = native::analyze_binary(location, std::as_bytes(std::span(member.data(), member.size())), options);
      });
    } else {
      m_scanner.add_member(location, entry.path, bytes);
    }
  }

  std::vector<Finding> finish(nlohmann::ordered_json& summary_section) override {
    for (auto& binary : m_binaries) m_scanner.add_report(binary.path, std::move(binary.report));
    auto result = std::move(m_scanner).finish();
    summary_section = std::move(result.summary);
    return std::move(result.findings);
  }

 private:
  native::ArtifactScanner m_scanner;
  struct Binary {
    std::string path;
    native::BinaryReport report;
  };
  std::deque<Binary> m_binaries;  // a deque: the pool's work holds references to earlier ones
};

}  // namespace

dist::MemberScanner native_binary_checks() {
  return {"native", [](const dist::MemberScanContext& context) -> std::unique_ptr<dist::MemberScanSession> {
            native::AnalyzeOptions options;
            options.claimed_platform_tag = context.platform_tag;
            options.vulnerabilities = &native_vulnerabilities();
            options.known_builds = &known_builds();
            return std::make_unique<NativeSession>(std::move(options));
          }};
}

std::filesystem::path imported_native_vulnerabilities_path() {
  return deps::default_database_path().parent_path() / "native-vulns.json";
}

const native::NativeVulnDb& native_vulnerabilities() {
  static const native::NativeVulnDb* const chosen = [] {
    const auto path = imported_native_vulnerabilities_path();
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) return &native::NativeVulnDb::embedded();
    auto loaded = native::NativeVulnDb::load(path);
    if (!loaded) {
      std::fprintf(stderr, "moat: %s; using the native vulnerability data built into moat\n", loaded.error().to_string().c_str());
      return &native::NativeVulnDb::embedded();
    }
    return static_cast<const native::NativeVulnDb*>(new native::NativeVulnDb(std::move(*loaded)));  // lives for the process
  }();
  return *chosen;
}

std::filesystem::path imported_known_builds_path() {
  return deps::default_database_path().parent_path() / "native-known-builds.json";
}

const native::KnownBuilds& known_builds() {
  static const native::KnownBuilds builds = [] {
    auto chosen = native::KnownBuilds::embedded();
    const auto path = imported_known_builds_path();
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) return chosen;
    if (auto loaded = native::KnownBuilds::load(path)) chosen.merge(*loaded);
    else std::fprintf(stderr, "moat: %s; using only the known builds built into moat\n", loaded.error().to_string().c_str());
    return chosen;
  }();
  return builds;
}

}  // namespace moat::cli
