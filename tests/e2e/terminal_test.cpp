// End-to-end: colour rules (--color, NO_COLOR, FORCE_COLOR, TTY), links and progress only on a
// terminal, --quiet.
#include <gtest/gtest.h>

#include <string>

#include "support/run_shell.hpp"

namespace {

using moat::testing::run_shell;
using moat::testing::shell_quote;

/// Runs moat with a clean colour environment plus `environment` (e.g. "FORCE_COLOR=1"), stdout piped.
moat::testing::CommandResult moat_with(const std::string& environment, const std::string& arguments) {
  return run_shell("cd " + shell_quote(MOAT_SOURCE_DIR) + " && env -u NO_COLOR -u FORCE_COLOR -u CLICOLOR_FORCE " +
                   environment + " " + shell_quote(MOAT_BINARY) + " " + arguments);
}

bool has_escape(const std::string& text) { return text.find('\x1b') != std::string::npos; }

const std::string kScan = "scan examples/insecure-app";

TEST(Terminal, PipedOutputHasNoColourUnlessForced) {
  EXPECT_FALSE(has_escape(moat_with("TERM=xterm", kScan).out));
  EXPECT_TRUE(has_escape(moat_with("FORCE_COLOR=1", kScan).out));
  EXPECT_TRUE(has_escape(moat_with("CLICOLOR_FORCE=1", kScan).out));
  EXPECT_FALSE(has_escape(moat_with("FORCE_COLOR=0", kScan).out));
  EXPECT_FALSE(has_escape(moat_with("FORCE_COLOR=", kScan).out));  // empty means unset
  EXPECT_TRUE(has_escape(moat_with("", kScan + " --color always").out));
}

TEST(Terminal, NoColorAndTheFlagWin) {
  EXPECT_FALSE(has_escape(moat_with("FORCE_COLOR=1 NO_COLOR=1", kScan).out));
  EXPECT_FALSE(has_escape(moat_with("FORCE_COLOR=1", kScan + " --color never").out));
  EXPECT_TRUE(has_escape(moat_with("NO_COLOR=1", kScan + " --color always").out));
}

TEST(Terminal, ForcedColourIsNoLinksIntoPipes) {
  const auto result = moat_with("FORCE_COLOR=1", kScan);
  EXPECT_EQ(result.out.find("\x1b]8;;"), std::string::npos) << "OSC 8 links only on a terminal";
  EXPECT_EQ(result.out.find('\r'), std::string::npos) << "no progress line when stderr is not a terminal";
}

TEST(Terminal, OnATerminalFindingsLinkToTheirFiles) {
  if (!moat::testing::have_program("script")) GTEST_SKIP() << "script(1) is needed for a pseudo-terminal";
  const std::string command = "env -u NO_COLOR -u FORCE_COLOR TERM=xterm-256color " + shell_quote(MOAT_BINARY) + " " + kScan;
  const auto result = run_shell("cd " + shell_quote(MOAT_SOURCE_DIR) + " && script -qec " + shell_quote(command) + " /dev/null");
  EXPECT_NE(result.out.find("\x1b]8;;file://"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("/examples/insecure-app/app.py\x1b\\"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\x1b[1;31m"), std::string::npos) << "high findings in red";
  // TERM=dumb: a terminal, but no colours and no links.
  const std::string dumb = "env -u NO_COLOR -u FORCE_COLOR TERM=dumb " + shell_quote(MOAT_BINARY) + " " + kScan;
  const auto plain = run_shell("cd " + shell_quote(MOAT_SOURCE_DIR) + " && script -qec " + shell_quote(dumb) + " /dev/null");
  EXPECT_FALSE(has_escape(plain.out)) << plain.out;
}

TEST(Terminal, QuietPrintsFindingsOnly) {
  const auto full = moat_with("", kScan);
  const auto quiet = moat_with("", kScan + " --quiet");
  EXPECT_EQ(quiet.exit_code, 1) << quiet.out;
  EXPECT_NE(full.out.find(" findings ("), std::string::npos) << full.out;
  EXPECT_EQ(quiet.out.find(" findings ("), std::string::npos) << quiet.out;
  EXPECT_NE(quiet.out.find("B602"), std::string::npos) << quiet.out;
  EXPECT_EQ(moat_with("", "scan --quiet tests/fixtures/integrations").out, "");
}

}  // namespace
