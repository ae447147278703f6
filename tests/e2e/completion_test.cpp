// End-to-end: shell completions and the man page are generated from the command-line definition,
// name every command, and work in the shells that load them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <set>

#include "support/run_moat.hpp"
#include "support/run_shell.hpp"

namespace {

namespace fs = std::filesystem;
using moat::testing::read_text;
using moat::testing::run_moat;
using moat::testing::run_shell;
using moat::testing::shell_quote;
using moat::testing::write_text;

/// The visible commands, read from the one table that declares them (manpage is hidden).
std::set<std::string> declared_commands() {
  const std::string table = read_text(fs::path(MOAT_SOURCE_DIR) / "src/moat/cli/commands.def");
  std::set<std::string> names;
  const std::regex row("\nMOAT_COMMAND\\(([a-z_]+),");
  for (auto it = std::sregex_iterator(table.begin(), table.end(), row); it != std::sregex_iterator(); ++it)
    if ((*it)[1] != "manpage") names.insert((*it)[1]);
  return names;
}

fs::path script_file(const std::string& shell) {
  const auto generated = run_moat("completion " + shell);
  EXPECT_EQ(generated.exit_code, 0) << generated.out;
  const fs::path path = fs::temp_directory_path() / ("moat-completion-" + std::to_string(::getpid())) / shell;
  write_text(path, generated.out);
  return path;
}

/// What the bash completion offers for the words typed so far (the last one is being completed).
std::string bash_offers(const fs::path& script, const std::string& words) {
  const auto result = run_shell("source " + shell_quote(script.string()) + " && COMP_WORDS=(" + words +
                                ") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && { _moat; printf '%s\\n' \"${COMPREPLY[@]}\"; }");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  return result.out;
}

TEST(Completion, EveryShellNamesEveryCommand) {
  const auto commands = declared_commands();
  ASSERT_GT(commands.size(), 10u);
  for (const std::string shell : {"bash", "zsh", "fish"}) {
    const std::string script = read_text(script_file(shell));
    for (const auto& command : commands) EXPECT_NE(script.find(command), std::string::npos) << shell << ": " << command;
    for (const char* nested : {"import", "status", "update", "sigstore", "attestation"})
      EXPECT_NE(script.find(nested), std::string::npos) << shell << ": " << nested;
    EXPECT_EQ(script.find("manpage"), std::string::npos) << shell << " offers the hidden manpage command";
  }
}

TEST(Completion, BashRegistersAndCompletes) {
  const fs::path script = script_file("bash");
  const auto registered = run_shell("source " + shell_quote(script.string()) + " && complete -p moat");
  ASSERT_EQ(registered.exit_code, 0) << registered.out;
  EXPECT_NE(registered.out.find("-F _moat moat"), std::string::npos) << registered.out;

  EXPECT_EQ(bash_offers(script, "moat sc"), "scan\n");
  EXPECT_EQ(bash_offers(script, "moat db i"), "import\n");
  EXPECT_EQ(bash_offers(script, "moat scan --form"), "--format\n");
  EXPECT_EQ(bash_offers(script, "moat scan --severity ''"), "low\nmedium\nhigh\ncritical\n");
  EXPECT_EQ(bash_offers(script, "moat scan --format = s"), "sarif\n");  // --format=s, as bash splits it
  EXPECT_EQ(bash_offers(script, "moat guide ''"), "publish\n");
  EXPECT_EQ(bash_offers(script, "moat completion f"), "fish\n");
  // A path argument: nothing offered, so bash falls back to file names (complete -o default).
  EXPECT_EQ(bash_offers(script, "moat scan src/"), "\n");
}

TEST(Completion, ZshAndFishScriptsParse) {
  bool checked = false;
  if (moat::testing::have_program("zsh")) {
    const auto parsed = run_shell("zsh -n " + shell_quote(script_file("zsh").string()));
    EXPECT_EQ(parsed.exit_code, 0) << parsed.out;
    checked = true;
  }
  if (moat::testing::have_program("fish")) {
    const fs::path script = script_file("fish");
    const auto parsed = run_shell("fish --no-execute " + shell_quote(script.string()));
    EXPECT_EQ(parsed.exit_code, 0) << parsed.out;
    const auto offered = run_shell("fish -c " + shell_quote("source " + script.string() + "; complete -C 'moat db i'"));
    EXPECT_NE(offered.out.find("import"), std::string::npos) << offered.out;
    checked = true;
  }
  if (!checked) GTEST_SKIP() << "neither zsh nor fish is installed; their scripts were checked for content only";
}

TEST(Completion, UnknownShellIsAUsageError) {
  const auto result = run_moat("completion tcsh");
  EXPECT_EQ(result.exit_code, 2) << result.out;
}

TEST(ManPage, DocumentsEveryCommandAndOption) {
  const auto page = run_moat("manpage");
  ASSERT_EQ(page.exit_code, 0) << page.out;
  EXPECT_NE(page.out.find(std::string(".TH MOAT 1 \"\" \"moat ") + MOAT_VERSION), std::string::npos);
  for (const auto& command : declared_commands())
    EXPECT_NE(page.out.find(".SS \"moat " + command), std::string::npos) << command;
  for (const char* option : {"\\-\\-format", "\\-\\-severity", "\\-\\-exit\\-zero", "\\-\\-version"})
    EXPECT_NE(page.out.find(option), std::string::npos) << option;
  EXPECT_NE(page.out.find(".SH EXIT STATUS"), std::string::npos);
  EXPECT_EQ(run_moat("--help").out.find("manpage"), std::string::npos) << "manpage should be hidden from --help";
}

TEST(ManPage, BuildInstallsTheGeneratedPage) {
  // The build writes the gzipped page beside the binary's build tree (cmake/Packaging.cmake).
  const fs::path built = fs::path(MOAT_BINARY).parent_path() / "share/man/man1/moat.1.gz";
  ASSERT_TRUE(fs::exists(built)) << built;
  const auto unpacked = run_shell("gzip -dc " + shell_quote(built.string()));
  EXPECT_EQ(unpacked.out, run_moat("manpage").out);
  if (moat::testing::have_program("groff")) {
    const auto rendered = run_shell("gzip -dc " + shell_quote(built.string()) + " | groff -man -Tutf8 -ww -z");
    EXPECT_EQ(rendered.out, "") << "groff warnings";
  }
}

}  // namespace
