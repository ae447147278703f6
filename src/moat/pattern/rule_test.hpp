#pragma once
// `moat rules test`: Semgrep's annotated-test convention. A comment `# ruleid: a, b` says the next
// (non-annotation) line starts a finding of rules a and b; `# ok:` documents a line that must stay
// clean; `todoruleid:` / `todook:` mark known false negatives / positives. A rule passes on a test
// file when the set of start lines it reports equals the expected set.
#include <filesystem>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "moat/pattern/loader.hpp"

namespace moat::pattern {

enum class TestMode {
  compat,  // Semgrep's OCaml runner: expected = ruleid + todook; pro/deep annotations ignored
  strict,  // the ideal: expected = ruleid + todoruleid
};

struct Annotations {
  // rule id -> 1-based lines, per keyword
  std::map<std::string, std::set<int>> ruleid, ok, todoruleid, todook;
};

/// Reads the annotations of a test file. With `lenient`, a trailing annotation after code also
/// counts (it still refers to the next line, as in Semgrep's legacy runner).
Annotations parse_annotations(std::string_view text, bool lenient);

struct RuleTestOptions {
  TestMode mode = TestMode::compat;
  bool lenient = false;
  std::filesystem::path targets;  // test files live here (paired by stem) instead of beside the rules
};

struct RuleTestSummary {
  int passed = 0;
  int failed = 0;
  int untested = 0;
  std::vector<Error> errors;  // rule loading problems
};

/// Runs the annotated tests for every rule file under `path`, printing one line per rule (and the
/// differences for failures) and the final "N passed, M failed" line to `out`.
RuleTestSummary run_rule_tests(const std::filesystem::path& path, const RuleTestOptions& options, std::ostream& out);

}  // namespace moat::pattern
