#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "moat/report/render.hpp"
#include "moat/util/encoding.hpp"

namespace {

using moat::report::escape_html;
using moat::report::render_html;

const std::string kHostile = "</script><img src=x onerror=alert(1)><svg onload=alert(2)>\"'&";

moat::Finding finding(std::string rule, moat::Severity severity, moat::Category category, std::string path) {
  moat::Finding result;
  result.rule_id = std::move(rule);
  result.title = "title";
  result.message = "message";
  result.severity = severity;
  result.category = category;
  result.location = {std::move(path), 3, 0, 3, 10};
  result.snippet = "snippet()";
  return result;
}

moat::Report hostile_report() {
  moat::Report report;
  auto code = finding("B602", moat::Severity::high, moat::Category::code, "pkg/" + kHostile + ".py");
  code.message = kHostile;
  code.snippet = kHostile;
  code.details = {{"code", "3 " + kHostile + "\n"}, {"more_info", "javascript:alert(3)"}};
  report.findings.push_back(code);
  auto rule = finding(kHostile, moat::Severity::low, moat::Category::rules, "a.py");
  rule.title = kHostile;
  report.findings.push_back(rule);
  auto dependency = finding("PYSEC-2099-1", moat::Severity::critical, moat::Category::dependency, "requirements.txt");
  dependency.details = {{"package", kHostile}, {"version", "1.0"}, {"advisory", "PYSEC-2099-1"},
                        {"aliases", {"CVE-2099-1", kHostile}}, {"fixed_versions", {"1.1", "2.0"}}, {"fix_version", "2.0"}};
  report.findings.push_back(dependency);
  auto native = finding("MOAT-N001", moat::Severity::medium, moat::Category::native, "pkg.libs/libcrypto.so.3");
  native.details = {{"library", "openssl"}, {"version", "3.0.1"}, {"vulnerability", "CVE-2099-2"}, {"fixed", "3.0.9"}};
  report.findings.push_back(native);
  report.findings.push_back(finding("MOAT-N003", moat::Severity::high, moat::Category::native, "pkg.libs/libx.so"));
  report.errors.push_back({kHostile, kHostile});
  report.stats = {{"files", 4}, {"seconds", 0.25}};
  return report;
}

moat::report::RenderOptions fixed_time() {
  moat::report::RenderOptions options;
  options.generated_at = "2026-01-31T12:00:00Z";
  return options;
}

TEST(Html, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(escape_html("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(escape_html(std::string_view("x\0y", 3)), "x&#xFFFD;y");
  EXPECT_EQ(escape_html("plain text"), "plain text");
}

TEST(Html, HostileStringsFromScannedFilesNeverBecomeMarkup) {
  const std::string html = render_html(hostile_report(), fixed_time());
  // Only the report's own script element exists, and nothing hostile survives unescaped.
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<svg onload"), std::string::npos);
  EXPECT_EQ(html.find("onerror=alert(1)>"), std::string::npos);
  std::size_t scripts = 0;
  for (auto at = html.find("<script"); at != std::string::npos; at = html.find("<script", at + 1)) ++scripts;
  EXPECT_EQ(scripts, 1u);
  std::size_t script_ends = 0;
  for (auto at = html.find("</script>"); at != std::string::npos; at = html.find("</script>", at + 1)) ++script_ends;
  EXPECT_EQ(script_ends, 1u);
  EXPECT_NE(html.find("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  // A javascript: URL from a finding's details is never a link.
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
}

TEST(Html, SelfContainedWithAStrictContentSecurityPolicy) {
  const std::string html = render_html(hostile_report(), fixed_time());
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  const std::regex csp(R"(<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src '(sha256-[^']+)'; style-src '(sha256-[^']+)';)");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(html, match, csp)) << html.substr(0, 400);
  // The hashes are those of the inline script and style, so the browser runs exactly those.
  const auto body_of = [&](const std::string& open, const std::string& close) {
    const auto start = html.find(open) + open.size();
    return html.substr(start, html.find(close, start) - start);
  };
  const auto hash = [](const std::string& text) {
    return "sha256-" + moat::base64_encode(moat::digest_bytes(moat::sha256(text)));
  };
  EXPECT_EQ(match[1].str(), hash(body_of("<script>", "</script>")));
  EXPECT_EQ(match[2].str(), hash(body_of("<style>", "</style>")));
  EXPECT_EQ(html.find(" style=\""), std::string::npos);  // inline style attributes would be blocked
}

TEST(Html, OverviewChartsDependenciesNativeLibrariesAndTable) {
  const std::string html = render_html(hostile_report(), fixed_time());
  EXPECT_NE(html.find("generated 2026-01-31T12:00:00Z"), std::string::npos);
  EXPECT_NE(html.find("<title>Findings by severity</title>"), std::string::npos);
  EXPECT_NE(html.find("<title>Findings by category</title>"), std::string::npos);
  EXPECT_NE(html.find("href=\"#severity=critical\""), std::string::npos);
  EXPECT_NE(html.find("href=\"#category=dependency\""), std::string::npos);
  EXPECT_NE(html.find("Most affected files"), std::string::npos);
  // The vulnerable dependency with its fix, and the bundled library with its fixed version.
  EXPECT_NE(html.find("Vulnerable dependencies"), std::string::npos);
  EXPECT_NE(html.find("<code>2.0</code>"), std::string::npos);
  EXPECT_NE(html.find("Bundled native libraries"), std::string::npos);
  EXPECT_NE(html.find("<strong>openssl</strong>"), std::string::npos);
  EXPECT_NE(html.find("<code>3.0.9</code>"), std::string::npos);
  EXPECT_NE(html.find("MOAT-N003 title"), std::string::npos);
  // One table row per finding, worst first, with filter attributes.
  std::size_t rows = 0;
  for (auto at = html.find("<tr data-severity="); at != std::string::npos; at = html.find("<tr data-severity=", at + 1)) ++rows;
  EXPECT_EQ(rows, 5u);
  EXPECT_LT(html.find("<tr data-severity=\"critical\""), html.find("<tr data-severity=\"low\""));
  // Known rules link to their documentation, embedded in the page.
  EXPECT_NE(html.find("<a href=\"#rule-"), std::string::npos);
  EXPECT_NE(html.find("B602: subprocess_popen_with_shell_equals_true"), std::string::npos);
  EXPECT_NE(html.find("inputs not checked"), std::string::npos);
}

TEST(Html, EmptyReportSaysSo) {
  const std::string html = render_html(moat::Report{}, fixed_time());
  EXPECT_NE(html.find("No findings."), std::string::npos);
  EXPECT_EQ(html.find("id=\"findings\""), std::string::npos);
}

TEST(Html, IsAFormatByName) {
  EXPECT_EQ(moat::report::parse_format("html"), moat::report::Format::html);
  EXPECT_EQ(moat::report::to_string(moat::report::Format::html), "html");
}

}  // namespace
