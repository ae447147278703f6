// SARIF 2.1.0 for GitHub code scanning and other consumers (docs/cli.md, style.md 5.1): one run,
// the rules that fired with their documentation as help, CWE tags, security-severity, precision,
// and a line-independent partialFingerprints entry per result.
#include <map>

#include "moat/report/render.hpp"
#include "moat/report/rule_docs.hpp"

namespace moat::report {

namespace {

std::string_view sarif_level(Severity severity) {
  switch (severity) {
    case Severity::critical:
    case Severity::high: return "error";
    case Severity::medium: return "warning";
    case Severity::low: return "note";
  }
  return "warning";
}

std::string_view security_severity(Severity severity) {
  switch (severity) {
    case Severity::critical: return "9.5";
    case Severity::high: return "8.0";
    case Severity::medium: return "5.5";
    case Severity::low: return "3.0";
  }
  return "5.5";
}

/// A URI reference for a path: relative paths percent-encoded with a leading "./" dropped,
/// absolute paths as file:// URIs.
std::string artifact_uri(std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
  std::string uri = path.starts_with('/') ? "file://" : "";
  static constexpr std::string_view kUnreserved = "-._~/!$&'()*+,;=:@";
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    const bool alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alphanumeric || kUnreserved.find(c) != std::string_view::npos) {
      uri += c;
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[byte >> 4];
      uri += kHex[byte & 15];
    }
  }
  return uri;
}

nlohmann::ordered_json rule_descriptor(const Finding& finding) {
  nlohmann::ordered_json rule;
  rule["id"] = finding.rule_id;
  rule["name"] = finding.title;
  const RuleDoc* doc = find_rule_doc(finding.rule_id);
  const std::string short_text = doc != nullptr ? std::string(doc->what) : finding.title;
  rule["shortDescription"] = {{"text", short_text}};
  if (doc != nullptr) {
    rule["fullDescription"] = {{"text", std::string(doc->what) + " " + std::string(doc->why)}};
    rule["help"] = {{"text", format_rule_doc(*doc)}, {"markdown", format_rule_doc(*doc)}};
  }
  if (const auto more_info = finding.details.find("more_info");
      more_info != finding.details.end() && more_info->is_string() && !more_info->get<std::string>().empty())
    rule["helpUri"] = *more_info;
  rule["defaultConfiguration"] = {{"level", sarif_level(finding.severity)}};
  nlohmann::ordered_json tags = nlohmann::ordered_json::array({"security"});
  if (finding.cwe && *finding.cwe > 0) tags.push_back("external/cwe/cwe-" + std::to_string(*finding.cwe));
  rule["properties"] = {{"tags", std::move(tags)},
                        {"precision", to_string(finding.confidence)},
                        {"security-severity", security_severity(finding.severity)}};
  return rule;
}

}  // namespace

std::string render_sarif(const Report& report, const RenderOptions& options) {
  nlohmann::ordered_json rules = nlohmann::ordered_json::array();
  std::map<std::string, std::size_t> rule_index;
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const Finding& finding : report.findings) {
    auto [entry, added] = rule_index.emplace(finding.rule_id, rules.size());
    if (added) rules.push_back(rule_descriptor(finding));
    nlohmann::ordered_json region;
    region["startLine"] = std::max(finding.location.line, 1);
    region["startColumn"] = finding.location.column + 1;
    if (finding.location.end_line >= finding.location.line) region["endLine"] = finding.location.end_line;
    if (finding.location.end_line > finding.location.line || finding.location.end_column > finding.location.column)
      region["endColumn"] = finding.location.end_column + 1;
    if (!finding.snippet.empty()) region["snippet"] = {{"text", finding.snippet}};
    nlohmann::ordered_json result;
    result["ruleId"] = finding.rule_id;
    result["ruleIndex"] = entry->second;
    result["level"] = sarif_level(finding.severity);
    result["message"] = {{"text", finding.message}};
    result["locations"] = nlohmann::ordered_json::array(
        {{{"physicalLocation", {{"artifactLocation", {{"uri", artifact_uri(finding.location.path)}}}, {"region", region}}}}});
    result["partialFingerprints"] = {{"moatFingerprint/v1", finding.fingerprint}};
    result["properties"] = {{"severity", to_string(finding.severity)}, {"confidence", to_string(finding.confidence)}};
    results.push_back(std::move(result));
  }
  nlohmann::ordered_json notifications = nlohmann::ordered_json::array();
  for (const ScanError& error : report.errors)
    notifications.push_back({{"level", "error"},
                             {"message", {{"text", error.message}}},
                             {"locations", nlohmann::ordered_json::array({{{"physicalLocation", {{"artifactLocation", {{"uri", artifact_uri(error.path)}}}}}}})}});
  nlohmann::ordered_json run;
  run["tool"] = {{"driver",
                  {{"name", "moat"},
                   {"version", options.tool_version},
                   {"semanticVersion", options.tool_version},
                   {"rules", std::move(rules)}}}};
  run["invocations"] = nlohmann::ordered_json::array(
      {{{"executionSuccessful", true}, {"toolConfigurationNotifications", std::move(notifications)}}});
  run["results"] = std::move(results);
  nlohmann::ordered_json document;
  document["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  document["version"] = "2.1.0";
  document["runs"] = nlohmann::ordered_json::array({std::move(run)});
  return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace moat::report
