#pragma once
// The diagnostics model every analyzer produces and every report renders (docs/cli.md, JSON v1).
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace moat {

enum class Severity { low, medium, high, critical };
enum class Confidence { low, medium, high };
enum class Category { code, rules, dependency, artifact, native, trust, workflow, secret };

std::string_view to_string(Severity severity);
std::string_view to_string(Confidence confidence);
std::string_view to_string(Category category);
std::optional<Severity> parse_severity(std::string_view text);      // "low", "MEDIUM", ...
std::optional<Confidence> parse_confidence(std::string_view text);

/// Where a finding is. Lines are 1-based, columns 0-based (UTF-8 bytes), as in the JSON report.
/// Inside archives the path is "dist.whl!/pkg/mod.py". Zero means "not known".
struct Location {
  std::string path;
  int line = 0;
  int column = 0;
  int end_line = 0;
  int end_column = 0;
};

struct Finding {
  std::string rule_id;  // B602, a Semgrep rule id, PYSEC-..., MOAT-W001, ...
  std::string title;    // short name of the rule
  std::string message;  // what is wrong here
  Severity severity = Severity::medium;
  Confidence confidence = Confidence::high;
  std::optional<int> cwe;
  Location location;
  std::string snippet;
  std::string fingerprint;  // line-independent; filled by fill_fingerprint() when empty
  Category category = Category::code;
  nlohmann::ordered_json details = nlohmann::ordered_json::object();  // category-specific
};

/// Something that could not be checked: an unreadable file, a syntax error, a corrupt archive.
struct ScanError {
  std::string path;
  std::string message;
};

struct Report {
  std::vector<Finding> findings;
  std::vector<ScanError> errors;
  nlohmann::ordered_json stats = nlohmann::ordered_json::object();  // files, lines, seconds, ...
};

/// Orders findings by path, line, column, rule_id (the contract's deterministic order).
void sort_findings(std::vector<Finding>& findings);

/// A stable fingerprint from rule id, path, and the finding's normalised snippet or message (not the
/// line number), so that baselines survive unrelated edits. Same inputs, same fingerprint.
std::string compute_fingerprint(const Finding& finding);

/// Fills every empty fingerprint with compute_fingerprint().
void fill_fingerprints(std::vector<Finding>& findings);

}  // namespace moat
