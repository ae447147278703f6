// GitHub Actions workflow-command annotations and a Markdown summary (for job summaries and PRs).
#include <fmt/format.h>

#include "moat/report/render.hpp"

namespace moat::report {

namespace {

// Workflow commands need %, CR and LF escaped in the message, and also : and , in properties.
std::string escape_annotation_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out.push_back(c);
  }
  return out;
}

std::string escape_annotation_property(std::string_view text) {
  std::string out;
  for (char c : escape_annotation_data(text)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out.push_back(c);
  }
  return out;
}

std::string_view annotation_level(Severity severity) {
  return severity == Severity::low ? "notice" : (severity == Severity::medium ? "warning" : "error");
}

std::string escape_markdown_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|' || c == '\\' || c == '`' || c == '*' || c == '_' || c == '<' || c == '>' || c == '[' || c == ']')
      out.push_back('\\');
    if (c == '\n' || c == '\r') {
      out.push_back(' ');
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string render_github(const Report& report) {
  std::string out;
  for (const auto& finding : report.findings) {
    const auto& where = finding.location;
    std::string properties = "file=" + escape_annotation_property(where.path);
    if (where.line > 0) {
      properties += fmt::format(",line={},endLine={}", where.line, std::max(where.line, where.end_line));
      if (where.end_line == where.line || where.end_line == 0)
        properties += fmt::format(",col={},endColumn={}", where.column + 1, std::max(where.column, where.end_column) + 1);
    }
    properties += ",title=" + escape_annotation_property(finding.rule_id + " " + finding.title);
    out += fmt::format("::{} {}::{}\n", annotation_level(finding.severity), properties,
                       escape_annotation_data(finding.message));
  }
  for (const auto& error : report.errors)
    out += fmt::format("::error file={},title=moat could not check this file::{}\n",
                       escape_annotation_property(error.path), escape_annotation_data(error.message));
  return out;
}

std::string render_markdown(const Report& report) {
  std::string out = "## moat report\n\n";
  if (report.findings.empty()) {
    out += "No findings.\n";
  } else {
    out += fmt::format("{} finding{}.\n\n| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n",
                       report.findings.size(), report.findings.size() == 1 ? "" : "s");
    for (const auto& finding : report.findings) {
      const auto& where = finding.location;
      const auto location = where.line > 0 ? fmt::format("{}:{}", where.path, where.line) : where.path;
      out += fmt::format("| {} | {} | {} | {} |\n", to_string(finding.severity), escape_markdown_cell(finding.rule_id),
                         escape_markdown_cell(location), escape_markdown_cell(finding.message));
    }
  }
  if (!report.errors.empty()) {
    out += "\n### Not checked\n\n";
    for (const auto& error : report.errors)
      out += fmt::format("- {}: {}\n", escape_markdown_cell(error.path), escape_markdown_cell(error.message));
  }
  return out;
}

}  // namespace moat::report
