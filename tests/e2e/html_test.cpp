// End-to-end: `--format html` in a real browser. Debian's headless Chromium loads a report that the
// binary wrote for a project with code findings and a hostile file name;
// the test reads the DOM after the page's script ran (so the Content-Security-Policy let it run),
// checks the overview and that the filter read from the URL fragment hides the right rows, and
// saves a screenshot (build/.../moat-html-report.png) for people to look at. Skips with a message
// when chromium is not installed.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "support/run_moat.hpp"

namespace {

namespace fs = std::filesystem;

using Output = moat::testing::CommandResult;

Output run_shell(const std::string& command) {
  return moat::testing::run_captured(command);
}

std::string chromium_binary() {
  for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
    if (fs::exists(candidate)) return candidate;
  return {};
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t found = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++found;
  return found;
}

class HtmlReport : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = chromium_binary();
    if (chromium_.empty()) GTEST_SKIP() << "chromium is not installed (apt-get install chromium); HTML report not checked in a browser";
    directory_ = fs::temp_directory_path() / ("moat-html-e2e-" + std::to_string(::getpid()));
    fs::create_directories(directory_ / "project" / "pkg");
    fs::copy_file(fs::path(MOAT_SOURCE_DIR) / "examples/insecure-app/app.py", directory_ / "project/app.py");
    std::ofstream(directory_ / "project/pkg/<img src=x onerror=alert(1)>.py")
        << "import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)  # </script><b>bold</b>\n";
    report_ = directory_ / "report.html";
    const auto scanned = run_shell("cd '" + directory_.string() + "/project' && '" + MOAT_BINARY +
                                   "' scan --no-progress --format html -o '" + report_.string() + "' . 2>&1");
    ASSERT_EQ(scanned.exit_code, 1) << scanned.out;
  }

  void TearDown() override {
    if (!directory_.empty()) fs::remove_all(directory_);
  }

  /// The DOM after the page's script ran, for the report opened with URL `fragment`.
  std::string rendered_dom(const std::string& fragment) const {
    const auto result = run_shell("timeout 120 '" + chromium_ + "' --headless --no-sandbox --disable-gpu --no-first-run "
                                  "--user-data-dir='" + (directory_ / "profile").string() + "' --dump-dom 'file://" +
                                  report_.string() + fragment + "' 2>/dev/null");
    EXPECT_EQ(result.exit_code, 0);
    return result.out;
  }

  std::string chromium_;
  fs::path directory_;
  fs::path report_;
};

TEST_F(HtmlReport, RendersTheOverviewAndTheFindings) {
  const std::string dom = rendered_dom("");
  ASSERT_NE(dom.find("moat security report"), std::string::npos) << dom.substr(0, 2000);
  EXPECT_NE(dom.find("Findings by severity"), std::string::npos);
  EXPECT_NE(dom.find("Findings by category"), std::string::npos);
  EXPECT_NE(dom.find("Most affected files"), std::string::npos);
  EXPECT_NE(dom.find("B602: subprocess_popen_with_shell_equals_true"), std::string::npos);
  // The hostile file name and comment are text, never elements.
  EXPECT_NE(dom.find("&lt;img src=x onerror=alert(1)&gt;.py"), std::string::npos);
  EXPECT_EQ(dom.find("<img"), std::string::npos);
  EXPECT_EQ(dom.find("<b>bold</b>"), std::string::npos);
  // The script ran (the CSP hash matched): with no filter every row is shown and counted.
  const std::size_t rows = count(dom, "<tr data-severity=");
  ASSERT_GT(rows, 5u);
  EXPECT_EQ(count(dom, "hidden=\"\""), 0u);
  EXPECT_NE(dom.find("<span id=\"shown\">" + std::to_string(rows) + "</span>"), std::string::npos);
}

TEST_F(HtmlReport, FilterFromTheUrlHidesOtherRows) {
  const std::string all = rendered_dom("");
  const std::size_t rows = count(all, "<tr data-severity=");
  const std::size_t high = count(all, "<tr data-severity=\"high\"") + count(all, "<tr data-severity=\"critical\"");
  ASSERT_GT(high, 0u);
  ASSERT_LT(high, rows);

  const std::string filtered = rendered_dom("#severity=high");
  EXPECT_EQ(count(filtered, "hidden=\"\""), rows - high) << filtered.substr(0, 3000);
  EXPECT_NE(filtered.find("<span id=\"shown\">" + std::to_string(high) + "</span>"), std::string::npos);
  // Hidden rows are exactly the medium and low ones.
  const std::regex hidden_row(R"re(<tr data-severity="(\w+)" data-category="\w+" hidden="")re");
  for (std::sregex_iterator match(filtered.begin(), filtered.end(), hidden_row), end; match != end; ++match)
    EXPECT_TRUE((*match)[1] == "medium" || (*match)[1] == "low") << (*match)[0];

  // Text search and category combine: one file's findings only.
  const std::string searched = rendered_dom("#category=code&q=pickle");
  const std::size_t visible = rows - count(searched, "hidden=\"\"");
  EXPECT_GE(visible, 1u);
  EXPECT_LT(visible, rows);
  EXPECT_NE(searched.find("<span id=\"shown\">" + std::to_string(visible) + "</span>"), std::string::npos);
}

TEST_F(HtmlReport, Screenshot) {
  const fs::path screenshot = fs::current_path() / "moat-html-report.png";
  fs::remove(screenshot);
  const auto result = run_shell("timeout 120 '" + chromium_ + "' --headless --no-sandbox --disable-gpu --no-first-run "
                                "--hide-scrollbars --window-size=1400,2200 --user-data-dir='" + (directory_ / "profile").string() +
                                "' --screenshot='" + screenshot.string() + "' 'file://" + report_.string() + "' 2>&1");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  ASSERT_TRUE(fs::exists(screenshot)) << result.out;
  EXPECT_GT(fs::file_size(screenshot), 20000u) << "a blank page compresses far smaller";
  std::printf("screenshot: %s\n", screenshot.string().c_str());
}

}  // namespace
