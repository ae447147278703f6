// Human-readable text report: one block per finding, then a summary.
#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <map>

#include "moat/report/render.hpp"

namespace moat::report {

namespace {

std::string_view severity_color(Severity severity) {
  switch (severity) {
    case Severity::critical: return "\x1b[1;35m";
    case Severity::high: return "\x1b[1;31m";
    case Severity::medium: return "\x1b[33m";
    case Severity::low: return "\x1b[36m";
  }
  return "";
}

std::string location_text(const Location& location) {
  if (location.line <= 0) return location.path;
  return fmt::format("{}:{}:{}", location.path, location.line, location.column + 1);
}

/// A file:// URL for the file a finding is in (the archive, for "dist.whl!/pkg/mod.py"), or empty
/// when it is not a file here.
std::string file_url(std::string_view finding_path) {
  const std::filesystem::path file(finding_path.substr(0, finding_path.find("!/")));
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) return {};
  const std::string absolute = std::filesystem::absolute(file, error).lexically_normal().string();
  if (error) return {};
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::string url = std::string("file://") + host;
  for (const unsigned char c : absolute) {
    if (std::isalnum(c) != 0 || std::string_view("/-._~").find(static_cast<char>(c)) != std::string_view::npos)
      url += static_cast<char>(c);
    else
      url += fmt::format("%{:02X}", c);
  }
  return url;
}

/// `text` as an OSC 8 hyperlink to `url` (terminals without support show the text alone).
std::string hyperlink(std::string_view text, std::string_view url) {
  if (url.empty()) return std::string(text);
  return fmt::format("\x1b]8;;{}\x1b\\{}\x1b]8;;\x1b\\", url, text);
}

}  // namespace

std::string render_text(const Report& report, const RenderOptions& options) {
  std::string out;
  const std::string_view reset = options.color ? "\x1b[0m" : "";
  const std::string_view bold = options.color ? "\x1b[1m" : "";
  std::map<Severity, int> by_severity;
  for (const auto& finding : report.findings) {
    ++by_severity[finding.severity];
    const std::string_view color = options.color ? severity_color(finding.severity) : "";
    const std::string location = options.hyperlinks
                                     ? hyperlink(location_text(finding.location), file_url(finding.location.path))
                                     : location_text(finding.location);
    out += fmt::format("{}{}{}: {}{} [{}]{} {}\n", bold, location, reset, color,
                       finding.rule_id, to_string(finding.severity), reset, finding.message);
    if (!finding.snippet.empty()) {
      std::string_view snippet = finding.snippet;
      while (!snippet.empty() && (snippet.back() == '\n' || snippet.back() == '\r')) snippet.remove_suffix(1);
      std::size_t start = 0;
      while (start <= snippet.size()) {
        const auto end = snippet.find('\n', start);
        out += fmt::format("    | {}\n", snippet.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
      }
    }
  }
  for (const auto& error : report.errors) out += fmt::format("error: {}: {}\n", error.path, error.message);
  if (!options.summary) return out;
  if (report.findings.empty()) {
    out += "No findings.\n";
  } else {
    out += fmt::format("{}{} finding{}{}", bold, report.findings.size(), report.findings.size() == 1 ? "" : "s",
                       reset);
    std::string separator = " (";
    for (auto level : {Severity::critical, Severity::high, Severity::medium, Severity::low}) {
      if (by_severity[level] == 0) continue;
      out += fmt::format("{}{} {}", separator, by_severity[level], to_string(level));
      separator = ", ";
    }
    out += ")\n";
  }
  if (const auto baselined = report.stats.find("baselined");
      baselined != report.stats.end() && baselined->is_number_unsigned() && baselined->get<std::size_t>() > 0)
    out += fmt::format("{} known finding{} suppressed by the baseline.\n", baselined->get<std::size_t>(),
                       baselined->get<std::size_t>() == 1 ? "" : "s");
  if (!report.errors.empty())
    out += fmt::format("{} input{} could not be checked.\n", report.errors.size(),
                       report.errors.size() == 1 ? "" : "s");
  return out;
}

}  // namespace moat::report
