#pragma once
// Renders a Report in one of the contract's formats (docs/cli.md).
#include <optional>
#include <string>
#include <string_view>

#include "moat/base/finding.hpp"

namespace moat::report {

enum class Format { text, json, sarif, github, bandit_json, markdown, cyclonedx };

std::optional<Format> parse_format(std::string_view name);
std::string_view to_string(Format format);

struct RenderOptions {
  bool color = false;             // ANSI colours in text output
  std::string tool_version = MOAT_VERSION;
};

/// The report as text in `format`. Formats that a command does not support (cyclonedx outside
/// `audit`) are rendered by that command itself; here they fall back to JSON.
std::string render(const Report& report, Format format, const RenderOptions& options = {});

std::string render_json(const Report& report, const RenderOptions& options);
std::string render_text(const Report& report, const RenderOptions& options);
std::string render_github(const Report& report);
std::string render_markdown(const Report& report);

}  // namespace moat::report
