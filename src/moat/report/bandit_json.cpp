// Bandit 1.9.4's JSON report shape (`--format bandit-json`, `moat bandit -f json`): results with
// Bandit's fields, errors, per-file metrics, generated_at; keys sorted, two-space indent, ASCII.
#include <ctime>

#include "moat/report/render.hpp"

namespace moat::report {

namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

nlohmann::json cwe_json(const Finding& finding) {
  if (!finding.cwe || *finding.cwe == 0) return nlohmann::json::object();
  return {{"id", *finding.cwe},
          {"link", "https://cwe.mitre.org/data/definitions/" + std::to_string(*finding.cwe) + ".html"}};
}

nlohmann::json detail(const Finding& finding, const char* key, nlohmann::json fallback) {
  const auto found = finding.details.find(key);
  return found != finding.details.end() ? nlohmann::json(*found) : std::move(fallback);
}

nlohmann::json empty_counts() {
  nlohmann::json counts;
  for (const char* criteria : {"SEVERITY", "CONFIDENCE"})
    for (const char* rank : {"UNDEFINED", "LOW", "MEDIUM", "HIGH"}) counts[std::string(criteria) + "." + rank] = 0;
  counts["loc"] = 0;
  counts["nosec"] = 0;
  counts["skipped_tests"] = 0;
  return counts;
}

}  // namespace

nlohmann::json bandit_result(const Finding& finding) {
  nlohmann::json line_range = nlohmann::json::array({finding.location.line});
  return {{"code", detail(finding, "code", "")},
          {"col_offset", detail(finding, "col_offset", finding.location.column)},
          {"end_col_offset", detail(finding, "end_col_offset", finding.location.end_column)},
          {"filename", finding.location.path},
          {"issue_confidence", upper(to_string(finding.confidence))},
          {"issue_cwe", cwe_json(finding)},
          {"issue_severity", upper(to_string(finding.severity == Severity::critical ? Severity::high : finding.severity))},
          {"issue_text", finding.message},
          {"line_number", finding.location.line},
          {"line_range", detail(finding, "line_range", line_range)},
          {"more_info", detail(finding, "more_info", "")},
          {"test_id", finding.rule_id},
          {"test_name", detail(finding, "test_name", finding.title)}};
}

std::string render_bandit_json(const Report& report, const RenderOptions& options) {
  nlohmann::json document;
  auto& errors = document["errors"] = nlohmann::json::array();
  for (const auto& error : report.errors) errors.push_back({{"filename", error.path}, {"reason", error.message}});
  auto& results = document["results"] = nlohmann::json::array();
  for (const auto& finding : report.findings) results.push_back(bandit_result(finding));
  // Metrics: the scanner's per-file counts when it recorded them, else counted from the findings.
  if (const auto metrics = report.stats.find("bandit_metrics"); metrics != report.stats.end()) {
    // Copied object by object: the scanner's counts are insertion-ordered, Bandit's keys sorted.
    nlohmann::json& sorted = document["metrics"] = nlohmann::json::object();
    for (const auto& [path, counts] : metrics->items()) {
      nlohmann::json& file = sorted[path];
      for (const auto& [key, value] : counts.items()) file[key] = value.get<long long>();
    }
  } else {
    nlohmann::json counted;
    counted["_totals"] = empty_counts();
    for (const auto& finding : report.findings) {
      auto& file = counted[finding.location.path];
      if (file.is_null()) file = empty_counts();
      for (auto* counts : {&file, &counted["_totals"]}) {
        (*counts)["SEVERITY." + upper(to_string(finding.severity))] = (*counts)["SEVERITY." + upper(to_string(finding.severity))].get<int>() + 1;
        (*counts)["CONFIDENCE." + upper(to_string(finding.confidence))] = (*counts)["CONFIDENCE." + upper(to_string(finding.confidence))].get<int>() + 1;
      }
    }
    document["metrics"] = std::move(counted);
  }
  document["generated_at"] = options.generated_at.empty() ? utc_timestamp() : options.generated_at;
  return document.dump(2, ' ', true, nlohmann::json::error_handler_t::replace);
}

}  // namespace moat::report
