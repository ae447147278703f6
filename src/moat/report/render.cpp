#include "moat/report/render.hpp"

#include <array>
#include <utility>

#include "moat/util/clock.hpp"

namespace moat::report {

namespace {

constexpr std::array<std::pair<Format, std::string_view>, 8> kFormatNames{{
    {Format::text, "text"},
    {Format::json, "json"},
    {Format::sarif, "sarif"},
    {Format::github, "github"},
    {Format::bandit_json, "bandit-json"},
    {Format::markdown, "markdown"},
    {Format::cyclonedx, "cyclonedx"},
    {Format::html, "html"},
}};

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  for (const auto& [format, format_name] : kFormatNames)
    if (format_name == name) return format;
  return std::nullopt;
}

std::string_view to_string(Format format) {
  for (const auto& [known, name] : kFormatNames)
    if (known == format) return name;
  return "unknown";
}

std::string render(const Report& report, Format format, const RenderOptions& options) {
  switch (format) {
    case Format::text: return render_text(report, options);
    case Format::github: return render_github(report);
    case Format::markdown: return render_markdown(report);
    case Format::sarif: return render_sarif(report, options);
    case Format::bandit_json: return render_bandit_json(report, options);
    case Format::html: return render_html(report, options);
    case Format::json:
    case Format::cyclonedx: return render_json(report, options);
  }
  return render_json(report, options);
}

std::string utc_timestamp() { return utc_timestamp_now(); }

}  // namespace moat::report
