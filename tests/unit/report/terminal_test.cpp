// Text output for terminals: OSC 8 links to the files findings are in, --quiet, summary lines.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "moat/report/render.hpp"

namespace {

moat::Report report_in(const std::string& path) {
  moat::Report report;
  moat::Finding finding;
  finding.rule_id = "B602";
  finding.message = "subprocess call with shell=True identified, security issue.";
  finding.severity = moat::Severity::high;
  finding.location = {path, 16, 11, 16, 60};
  report.findings.push_back(finding);
  return report;
}

const std::string kExample = std::string(MOAT_SOURCE_DIR) + "/examples/insecure-app/app.py";

TEST(Terminal, HyperlinksLeadToTheFile) {
  moat::report::RenderOptions options;
  options.hyperlinks = true;
  const auto out = moat::report::render_text(report_in(kExample), options);
  const std::string opening = "\x1b]8;;file://";
  ASSERT_EQ(out.find(opening), 0u) << out;
  const auto url_end = out.find("\x1b\\");
  const std::string url = out.substr(opening.size(), url_end - opening.size());
  EXPECT_TRUE(url.ends_with("/examples/insecure-app/app.py")) << url;
  EXPECT_EQ(url.find(' '), std::string::npos);
  EXPECT_NE(out.find("app.py:16:12\x1b]8;;\x1b\\: B602"), std::string::npos) << out;
}

TEST(Terminal, HyperlinksPercentEncodeAndSkipMissingFiles) {
  const auto directory = std::filesystem::temp_directory_path() / "moat terminal test";
  std::filesystem::create_directories(directory);
  const auto file = directory / "a#b.py";
  std::ofstream(file) << "import os\n";
  moat::report::RenderOptions options;
  options.hyperlinks = true;
  auto out = moat::report::render_text(report_in(file.string()), options);
  EXPECT_NE(out.find("/moat%20terminal%20test/a%23b.py\x1b\\"), std::string::npos) << out;
  out = moat::report::render_text(report_in("no/such/file.py"), options);
  EXPECT_EQ(out.find("\x1b]8;;"), std::string::npos) << out;
  // Inside an archive: the link opens the archive.
  out = moat::report::render_text(report_in(file.string() + "!/pkg/mod.py"), options);
  EXPECT_NE(out.find("a%23b.py\x1b\\"), std::string::npos) << out;
  std::filesystem::remove_all(directory);
}

TEST(Terminal, NoHyperlinksUnlessAsked) {
  const auto out = moat::report::render_text(report_in(kExample), {});
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
}

TEST(Terminal, QuietLeavesOutTheSummary) {
  moat::report::RenderOptions options;
  options.summary = false;
  auto out = moat::report::render_text(report_in("a.py"), options);
  EXPECT_EQ(out, "a.py:16:12: B602 [high] subprocess call with shell=True identified, security issue.\n");
  out = moat::report::render_text(moat::Report{}, options);
  EXPECT_EQ(out, "");
}

TEST(Terminal, SummaryCountsBaselinedFindings) {
  auto report = report_in("a.py");
  report.stats["baselined"] = std::size_t{3};
  const auto out = moat::report::render_text(report, {});
  EXPECT_NE(out.find("1 finding (1 high)\n3 known findings suppressed by the baseline.\n"), std::string::npos) << out;
}

}  // namespace
