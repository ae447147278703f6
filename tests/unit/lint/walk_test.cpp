// The directory walk behind Bandit's discovery and `.bandit` search, and the per-file line counts
// Bandit's metrics report.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "moat/lint/discovery.hpp"
#include "moat/lint/linter.hpp"

namespace {

namespace fs = std::filesystem;
using namespace moat::lint;

class WalkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("moat-walk-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                         "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "pkg" / "sub");
    fs::create_directories(root_ / "vendor" / "deep");
    touch("a.py");
    touch("pkg/b.py");
    touch("pkg/sub/c.py");
    touch("vendor/deep/d.py");
    fs::create_directory_symlink(root_ / "pkg", root_ / "linked");  // os.walk neither lists nor follows it
    fs::create_symlink(root_ / "missing.py", root_ / "broken.py");  // listed as a file
  }
  void TearDown() override { fs::remove_all(root_); }
  void touch(const std::string& relative) { std::ofstream(root_ / relative) << "x = 1\n"; }

  fs::path root_;
};

TEST_F(WalkTest, FindsNamedFilesEverywhereOnEveryThreadCount) {
  touch("vendor/deep/.bandit");
  for (const unsigned jobs : {1u, 2u, 4u}) {
    const auto found = find_files_named({root_.string()}, ".bandit", jobs);
    ASSERT_EQ(found.size(), 1u) << jobs;
    EXPECT_EQ(found.front(), (root_ / "vendor" / "deep" / ".bandit").string());
  }
  touch("pkg/.bandit");
  EXPECT_EQ(find_files_named({root_.string()}, ".bandit", 2).size(), 2u);
  EXPECT_TRUE(find_files_named({(root_ / "a.py").string()}, ".bandit", 2).empty());  // files are not searched
}

TEST_F(WalkTest, NamedFileSearchTakesEntriesAsOsWalkDoes) {
  fs::create_directories(root_ / ".git" / "hooks");
  touch(".git/hooks/.bandit");  // excluded from the scan, still searched
  fs::create_directories(root_ / "odd" / ".bandit");
  touch("odd/.bandit/.bandit");  // a directory named .bandit is walked into, not taken
  fs::create_directories(root_ / "links");
  fs::create_directory_symlink(root_ / "pkg", root_ / "links" / ".bandit");      // a directory once followed: not a file
  fs::create_directory_symlink(root_, root_ / "pkg" / "sub" / "loop");           // never followed, so no loop
  fs::create_directories(root_ / "loops");
  fs::create_symlink(root_ / "loops" / ".bandit", root_ / "loops" / ".bandit");  // ELOOP: os.walk lists it as a file
  const auto found = find_files_named({root_.string()}, ".bandit", 2);
  const std::string base = root_.string() + "/";
  EXPECT_EQ(std::set<std::string>(found.begin(), found.end()),
            (std::set<std::string>{base + ".git/hooks/.bandit", base + "odd/.bandit/.bandit", base + "loops/.bandit"}));
  // A target that is a symlink to a directory is walked, as os.walk(top) does; twice named, found twice.
  const auto through_link = find_files_named({(root_ / "linked").string() + "/", (root_ / "linked").string()}, "b.py", 1);
  EXPECT_EQ(std::set<std::string>(through_link.begin(), through_link.end()),
            (std::set<std::string>{base + "linked/b.py"}));
  EXPECT_EQ(through_link.size(), 2u);
  EXPECT_TRUE(find_files_named({(root_ / "absent").string(), ""}, ".bandit", 2).empty());
}

TEST_F(WalkTest, NamedFileSearchGoesDeeperThanItKeepsDirectoriesOpen) {
  fs::path deep = root_;
  for (int depth = 0; depth < 200; ++depth) deep /= "d";
  fs::create_directories(deep);
  std::ofstream(deep / ".bandit") << "[bandit]\n";
  for (const unsigned jobs : {1u, 2u}) EXPECT_EQ(find_files_named({root_.string()}, ".bandit", jobs), std::vector<std::string>{deep.string() + "/.bandit"});
}

TEST_F(WalkTest, NamedFileSearchSkipsUnreadableDirectories) {
  touch("vendor/.bandit");
  touch("vendor/deep/.bandit");
  fs::permissions(root_ / "vendor" / "deep", fs::perms::none);
  // root reads any directory: search as nobody in a child process then.
  const auto search = [&] { return find_files_named({root_.string()}, ".bandit", 2); };
  std::size_t found = 0;
  if (::geteuid() != 0) {
    found = search().size();
  } else {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      if (::setresgid(65534, 65534, 65534) != 0 || ::setresuid(65534, 65534, 65534) != 0) ::_exit(100);
      ::_exit(static_cast<int>(search().size()));
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    found = static_cast<std::size_t>(WEXITSTATUS(status));
  }
  fs::permissions(root_ / "vendor" / "deep", fs::perms::owner_all);
  EXPECT_EQ(found, 1u);  // vendor/.bandit; the one in the unreadable directory is not seen
}

TEST_F(WalkTest, EntriesOfUnknownTypeAreAskedWithStat) {
  fs::create_directories(root_ / "links");
  fs::create_directory_symlink(root_ / "pkg", root_ / "links" / "to_dir");
  fs::create_symlink(root_ / "a.py", root_ / "links" / "to_file");
  fs::create_symlink(root_ / "nowhere", root_ / "links" / "broken");
  const int directory = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(directory, 0);
  EXPECT_TRUE(walks_into(directory, "pkg", DT_UNKNOWN));
  EXPECT_FALSE(lists_as_file(directory, "pkg", DT_UNKNOWN));
  EXPECT_FALSE(walks_into(directory, "a.py", DT_UNKNOWN));
  EXPECT_TRUE(lists_as_file(directory, "a.py", DT_UNKNOWN));
  EXPECT_FALSE(walks_into(directory, "linked", DT_UNKNOWN));    // symlink to a directory: neither
  EXPECT_FALSE(lists_as_file(directory, "linked", DT_UNKNOWN));
  EXPECT_TRUE(lists_as_file(directory, "broken.py", DT_UNKNOWN));
  EXPECT_FALSE(walks_into(directory, "vanished", DT_UNKNOWN));  // removed since it was listed
  EXPECT_TRUE(lists_as_file(directory, "vanished", DT_UNKNOWN));
  EXPECT_FALSE(lists_as_file(directory, "linked", DT_LNK));
  EXPECT_TRUE(lists_as_file(directory, "broken.py", DT_LNK));
  ::close(directory);
}

TEST(NamedFileSearch, AgreesWithTheGeneralWalkOnTheSourceTree) {
  const std::string tree = std::string(MOAT_SOURCE_DIR) + "/src";
  std::mutex mutex;
  std::set<std::string> expected;
  walk_directories(tree, 2, [&](const std::string& path, DirectoryEntries& entries) {
    if (std::ranges::find(entries.files, "CMakeLists.txt") == entries.files.end()) return;
    const std::lock_guard lock(mutex);
    expected.insert(path + "/CMakeLists.txt");
  });
  ASSERT_GT(expected.size(), 10u);
  const auto found = find_files_named({tree}, "CMakeLists.txt", 2);
  EXPECT_EQ(found.size(), expected.size());
  EXPECT_EQ(std::set<std::string>(found.begin(), found.end()), expected);
}

TEST_F(WalkTest, BanditDiscoveryPrunesExcludedDirectoriesAndSkipsDirectorySymlinks) {
  BanditDiscovery request;
  request.targets = {root_.string()};
  request.recursive = true;
  request.exclude_globs = bandit_exclude_globs((root_ / "vendor").string());
  const std::string base = root_.string() + "/";
  for (const unsigned jobs : {1u, 2u}) {
    const auto discovered = discover_bandit_files(request, jobs);
    EXPECT_EQ(discovered.files, (std::vector<std::string>{base + "a.py", base + "broken.py", base + "pkg/b.py", base + "pkg/sub/c.py"}))
        << jobs;
  }
}

TEST_F(WalkTest, ScanDiscoveryHonoursGitignoreExcludesShebangsAndFileTypes) {
  fs::create_directories(root_ / "pkg" / "__pycache__");
  fs::create_directories(root_ / "pkg" / "build" / "keep");
  fs::create_directories(root_ / "tools.egg");
  fs::create_directories(root_ / "notes");
  touch("pkg/__pycache__/cached.py");  // a default-excluded directory
  touch("tools.egg/e.py");              // `*.egg` is one too
  touch("pkg/build/out.py");
  touch("pkg/build/keep/kept.py");
  touch("pkg/generated_x.py");
  touch("pkg/sub/skip_me.py");
  touch("notes/readme.txt");
  touch("notes/data");                  // no extension, no shebang
  std::ofstream(root_ / "notes" / "tool") << "#!/usr/bin/env python3\nprint(1)\n";
  std::ofstream(root_ / ".gitignore") << "# comment\n*.log\n/vendor/\n";
  std::ofstream(root_ / "pkg" / ".gitignore") << "generated_*.py\nbuild/*\n!build/keep/\n";
  std::ofstream(root_ / "pkg" / "sub" / ".gitignore") << "skip_me.py\n";
  fs::create_symlink(root_ / "pkg" / "b.py", root_ / "notes" / "link.py");  // a symlink to a file counts
  ASSERT_EQ(::mkfifo((root_ / "notes" / "pipe.py").c_str(), 0600), 0);    // a FIFO is never opened
  ScanDiscovery request;
  request.targets = {root_.string(), (root_ / "notes" / "readme.txt").string(), (root_ / "absent.py").string()};
  request.exclude_globs = {"*/sub/c.py"};
  const std::string base = root_.string() + "/";
  const auto discovered = discover_python_files(request);
  EXPECT_EQ(discovered.files,
            (std::vector<std::string>{base + "a.py", base + "notes/link.py", base + "notes/readme.txt", base + "notes/tool",
                                      base + "pkg/b.py", base + "pkg/build/keep/kept.py"}));
  EXPECT_EQ(discovered.warnings, std::vector<std::string>{base + "absent.py: No such file or directory"});

  request.targets = {root_.string()};
  request.exclude_globs.clear();
  request.respect_gitignore = false;
  const auto everything = discover_python_files(request).files;
  for (const char* name : {"pkg/generated_x.py", "pkg/build/out.py", "pkg/sub/skip_me.py", "vendor/deep/d.py", "pkg/sub/c.py"})
    EXPECT_NE(std::ranges::find(everything, base + name), everything.end()) << name;
  EXPECT_EQ(std::ranges::find(everything, base + "pkg/__pycache__/cached.py"), everything.end());
}

TEST(LineCounts, LocAndLinesFollowBandit) {
  LintOptions options;
  options.bandit_compat = true;
  // loc: lines split at \n, \r and \r\n that hold code; lines: '\n'-terminated lines.
  const auto result = lint_source("t.py", "import os\r\n\r\n  # comment\n\t\f\nx = 1\ry = 2\n\nz = 3", options);
  EXPECT_EQ(result.loc, 4);
  EXPECT_EQ(lint_source("l.py", "a = 1\n\n# c\nb = 2", options).lines, 4u);
  EXPECT_EQ(lint_source("e.py", "", options).loc, 0);
  EXPECT_EQ(lint_source("e.py", "", options).lines, 0u);
  EXPECT_EQ(lint_source("n.py", "pass\n", options).lines, 1u);
}

TEST(LineCounts, LocOfSourceParsedInPlaceMatchesTheByteCount) {
  LintOptions options;
  options.bandit_compat = true;
  for (const std::string_view text : {"import os\n\n  # comment\n\t\f\nx = 1\n\n z = 3", "   ", "\v\n", "#\n", "a\n  \n",
                                      "        \n        x\n                # c\n", ""}) {
    moat::python::ParseOptions in_place = lint_parse_options(options, "t.py");
    in_place.bytes_outlive_result = true;
    const moat::python::ParseResult parsed = moat::python::parse(text, in_place);
    ASSERT_EQ(parsed.source().data(), text.data()) << text;  // the line-index count is the one tested
    EXPECT_EQ(lint_parsed("t.py", text, parsed, options).loc, lint_source("t.py", text, options).loc) << text;
  }
}

TEST(LineCounts, ShownLinesAreKeptAroundIssues) {
  LintOptions options;
  options.bandit_compat = true;
  const auto result = lint_source("s.py", "import os\nx = 1\nassert x\ny = 2\nz = 3\nw = 4\n", options);
  ASSERT_FALSE(result.issues.empty());
  EXPECT_EQ(result.lines, 6u);
  EXPECT_EQ(issue_code(result, result.issues.back()), "2 x = 1\n3 assert x\n4 y = 2\n");
}

}  // namespace
