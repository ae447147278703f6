// JSON report, version 1 (docs/cli.md): the stable machine-readable contract.
#include "moat/report/render.hpp"

namespace moat::report {

namespace {

nlohmann::ordered_json finding_to_json(const Finding& finding) {
  nlohmann::ordered_json object;
  object["rule_id"] = finding.rule_id;
  object["title"] = finding.title;
  object["message"] = finding.message;
  object["severity"] = to_string(finding.severity);
  object["confidence"] = to_string(finding.confidence);
  object["cwe"] = finding.cwe ? nlohmann::ordered_json(*finding.cwe) : nlohmann::ordered_json(nullptr);
  object["path"] = finding.location.path;
  object["line"] = finding.location.line;
  object["column"] = finding.location.column;
  object["end_line"] = finding.location.end_line;
  object["end_column"] = finding.location.end_column;
  object["snippet"] = finding.snippet;
  object["fingerprint"] = finding.fingerprint;
  object["category"] = to_string(finding.category);
  object["details"] = finding.details;
  return object;
}

}  // namespace

std::string render_json(const Report& report, const RenderOptions& options) {
  nlohmann::ordered_json document;
  document["version"] = 1;
  document["tool"] = {{"name", "moat"}, {"version", options.tool_version}};
  auto& findings = document["findings"] = nlohmann::ordered_json::array();
  for (const auto& finding : report.findings) findings.push_back(finding_to_json(finding));
  auto& errors = document["errors"] = nlohmann::ordered_json::array();
  for (const auto& error : report.errors) errors.push_back({{"path", error.path}, {"message", error.message}});
  document["stats"] = report.stats;
  // Invalid UTF-8 from scanned files is replaced, never a crash.
  return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace moat::report
