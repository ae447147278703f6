#include "moat/base/finding.hpp"

#include "moat/util/encoding.hpp"
#include "moat/util/parallel.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace moat {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
    case Severity::critical: return "critical";
  }
  return "unknown";
}

std::string_view to_string(Confidence confidence) {
  switch (confidence) {
    case Confidence::low: return "low";
    case Confidence::medium: return "medium";
    case Confidence::high: return "high";
  }
  return "unknown";
}

std::string_view to_string(Category category) {
  switch (category) {
    case Category::code: return "code";
    case Category::rules: return "rules";
    case Category::dependency: return "dependency";
    case Category::artifact: return "artifact";
    case Category::native: return "native";
    case Category::trust: return "trust";
    case Category::workflow: return "workflow";
    case Category::secret: return "secret";
  }
  return "unknown";
}

namespace {

std::string lowercase(std::string_view text) {
  std::string lowered(text);
  std::ranges::transform(lowered, lowered.begin(), [](unsigned char c) { return std::tolower(c); });
  return lowered;
}

}  // namespace

std::optional<Severity> parse_severity(std::string_view text) {
  const auto lowered = lowercase(text);
  for (auto level : {Severity::low, Severity::medium, Severity::high, Severity::critical})
    if (lowered == to_string(level)) return level;
  return std::nullopt;
}

std::optional<Confidence> parse_confidence(std::string_view text) {
  const auto lowered = lowercase(text);
  for (auto level : {Confidence::low, Confidence::medium, Confidence::high})
    if (lowered == to_string(level)) return level;
  return std::nullopt;
}

void sort_findings(std::vector<Finding>& findings) {
  const auto by_position = [](const Finding& a, const Finding& b) {
    return std::tie(a.location.line, a.location.column, a.rule_id) < std::tie(b.location.line, b.location.column, b.rule_id);
  };
  const auto by_path = [](const Finding& a, const Finding& b) { return a.location.path < b.location.path; };
  // Scans give their findings file by file in path order: then only each file's run needs sorting.
  if (!std::ranges::is_sorted(findings, by_path)) {
    std::ranges::stable_sort(findings, [&](const Finding& a, const Finding& b) {
      return a.location.path != b.location.path ? a.location.path < b.location.path : by_position(a, b);
    });
    return;
  }
  for (auto run = findings.begin(); run != findings.end();) {
    const auto run_end = std::find_if(run, findings.end(), [&](const Finding& f) { return f.location.path != run->location.path; });
    std::stable_sort(run, run_end, by_position);
    run = run_end;
  }
}

std::string compute_fingerprint(const Finding& finding) {
  // Whitespace-insensitive, so re-indenting code keeps the fingerprint.
  std::string basis = finding.rule_id + '\0' + finding.location.path + '\0';
  const std::string& content = finding.snippet.empty() ? finding.message : finding.snippet;
  for (unsigned char c : content)
    if (!std::isspace(c)) basis.push_back(static_cast<char>(c));
  return hex_encode(digest_bytes(sha256(basis)).substr(0, 16));
}

void fill_fingerprints(std::vector<Finding>& findings) {
  // On all cores: a large scan has thousands of findings, and this runs after the scan.
  parallel_for_each_block(findings.size(), 256, 0, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
      if (findings[i].fingerprint.empty()) findings[i].fingerprint = compute_fingerprint(findings[i]);
  });
}

}  // namespace moat
