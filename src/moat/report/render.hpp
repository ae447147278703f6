#pragma once
// Renders a Report in one of the contract's formats (docs/cli.md).
#include <optional>
#include <string>
#include <string_view>

#include "moat/base/finding.hpp"

namespace moat::report {

enum class Format { text, json, sarif, github, bandit_json, markdown, cyclonedx, html };

std::optional<Format> parse_format(std::string_view name);
std::string_view to_string(Format format);
/// Whether the format prints Finding::fingerprint (json, SARIF): the others need none computed.
constexpr bool shows_fingerprints(Format format) { return format == Format::json || format == Format::sarif; }

struct RenderOptions {
  bool color = false;             // ANSI colours in text output
  bool hyperlinks = false;        // OSC 8 links from file:line to the file (a terminal that shows them)
  bool summary = true;            // the closing summary lines of text output (off with --quiet)
  std::string tool_version = MOAT_VERSION;
  std::string generated_at;       // bandit-json and html timestamp; empty: now
};

/// The report as text in `format`. Formats that a command does not support (cyclonedx outside
/// `audit`) are rendered by that command itself; here they fall back to JSON.
std::string render(const Report& report, Format format, const RenderOptions& options = {});

std::string render_json(const Report& report, const RenderOptions& options);
std::string render_text(const Report& report, const RenderOptions& options);
std::string render_github(const Report& report);
std::string render_markdown(const Report& report);
/// SARIF 2.1.0: one run, the rules that fired with their documentation, partialFingerprints.
std::string render_sarif(const Report& report, const RenderOptions& options);
/// One finding as a Bandit 1.9.4 JSON result object.
nlohmann::json bandit_result(const Finding& finding);
/// Bandit 1.9.4's JSON report; findings are written in the order given.
std::string render_bandit_json(const Report& report, const RenderOptions& options);

/// One self-contained HTML page: overview charts, vulnerable dependencies, bundled native
/// libraries, a filterable findings table and the fired rules' documentation. No external
/// resources; a Content-Security-Policy pins the inline style and script by hash.
std::string render_html(const Report& report, const RenderOptions& options);
/// Text made safe for HTML element content and quoted attribute values.
std::string escape_html(std::string_view text);

/// The current UTC time as Bandit writes it ("2026-01-31T12:00:00Z").
std::string utc_timestamp();

}  // namespace moat::report
