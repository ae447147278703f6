#pragma once
// The Python code checks and the native-code checks as the artifact readers' hooks, so that `moat scan`
// and `moat inspect` check the modules and binaries inside wheels, sdists and conda packages the same
// way they check files on disk.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "moat/dist/inspect.hpp"
#include "moat/native/known_builds.hpp"
#include "moat/native/vulndb.hpp"
#include "moat/lint/linter.hpp"
#include "moat/lint/options.hpp"
#include "moat/pattern/engine.hpp"
#include "moat/pattern/loader.hpp"

namespace moat::cli {

/// The rules `moat scan` and `moat inspect` run (category "rules"): the built-in pack unless
/// `builtin` is false, then every rule file or directory in `paths`. Load problems are in `errors`.
std::shared_ptr<const pattern::RuleSet> load_scan_rules(bool builtin, const std::vector<std::string>& paths);

/// What scan_python_files found: one entry per path, in the order given.
struct PythonFilesScan {
  std::vector<lint::FileResult> linted;
  std::vector<std::vector<Finding>> rule_findings;  // empty without rules
};

/// The code checks and then `rules` (when given) over Python files on `jobs` threads (0: one per
/// core), each file read and parsed once for both. `progress` gets the number of files done.
PythonFilesScan scan_python_files(const std::vector<std::string>& paths, const lint::LintOptions& options,
                                  const pattern::RuleSet* rules, const pattern::RunOptions& run_options, unsigned jobs,
                                  const std::function<void(std::size_t)>& progress);

/// Lints each Python module an archive reader hands over, then runs `rules` on it (when given;
/// `# nosemgrep` is not honoured inside artifacts); findings carry its "dist.whl!/pkg/mod.py" path.
dist::PythonScanner python_code_checks(lint::LintOptions options,
                                       std::shared_ptr<const pattern::RuleSet> rules = nullptr);

/// Reports an artifact whose project name imitates a popular PyPI project (MOAT-TYPO001).
dist::NameChecker typosquat_check();

/// Analyses every ELF/Mach-O/PE member (bundled libraries, versions, CVEs, hardening, the platform tag
/// the binaries satisfy against the wheel's claimed tag); its summary section is "native".
dist::MemberScanner native_binary_checks();

/// Where `moat db import` keeps native-library vulnerability data: beside the advisory database.
std::filesystem::path imported_native_vulnerabilities_path();

/// The native-library vulnerability data in use: what `moat db import` installed, else the data
/// compiled into moat. A file that no longer parses is reported on stderr and the embedded data used.
const native::NativeVulnDb& native_vulnerabilities();

/// Where `moat db import` keeps known distribution builds (scripts/known_builds_from_debs.py).
std::filesystem::path imported_known_builds_path();

/// The known builds in use: the embedded ones plus what `moat db import` installed. A file that no
/// longer parses is reported on stderr and only the embedded data used.
const native::KnownBuilds& known_builds();

}  // namespace moat::cli
