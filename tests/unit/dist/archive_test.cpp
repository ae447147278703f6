#include <gtest/gtest.h>
#include <sys/resource.h>

#include "moat/dist/archive.hpp"
#include "unit/dist/archive_builder.hpp"
#include "unit/dist/test_helpers.hpp"

namespace {

using moat::dist::ArchiveContents;
using moat::dist::ArchiveKind;
using moat::dist::ArchiveLimits;
using moat::dist::EntryInfo;
using moat::testing::build_archive;
using moat::testing::Container;
using moat::testing::has_rule;
using moat::testing::TestEntry;
using Type = moat::testing::TestEntry::Type;

ArchiveContents read(const std::string& bytes, const std::string& name, const ArchiveLimits& limits = {},
                     std::vector<std::pair<std::string, std::string>>* visited = nullptr) {
  auto contents = moat::dist::read_archive_memory(bytes, name, ArchiveKind::unknown, limits,
                                                  [&](const EntryInfo& entry, std::string_view data, bool buffered) {
                                                    if (visited != nullptr && buffered)
                                                      visited->emplace_back(entry.path, std::string(data));
                                                  });
  EXPECT_TRUE(contents.has_value()) << (contents ? "" : contents.error().to_string());
  return contents ? std::move(*contents) : ArchiveContents{};
}

TEST(Archive, ZipEntriesAreVisitedWithBytesAndHashes) {
  std::vector<std::pair<std::string, std::string>> visited;
  const auto contents = read(build_archive({{"a/b.py", "print(1)\n"}, {"c.txt", "hello"}}, Container::zip), "x.zip", {}, &visited);
  ASSERT_EQ(contents.entries.size(), 2u);
  EXPECT_EQ(contents.entries[0].path, "a/b.py");
  EXPECT_EQ(contents.entries[0].size, 9u);
  EXPECT_EQ(moat::dist::to_hex(contents.entries[1].sha256),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  ASSERT_EQ(visited.size(), 2u);
  EXPECT_EQ(visited[0].second, "print(1)\n");
  EXPECT_TRUE(contents.findings.empty());
  EXPECT_TRUE(contents.errors.empty());
}

TEST(Archive, TarGzAndTarBz2AreRead) {
  for (auto container : {Container::tar_gz, Container::tar_bz2}) {
    const auto contents = read(build_archive({{"p-1.0/PKG-INFO", "Name: p\n"}}, container),
                               container == Container::tar_gz ? "p-1.0.tar.gz" : "p.tar.bz2");
    ASSERT_EQ(contents.entries.size(), 1u);
    EXPECT_EQ(contents.entries[0].size, 8u);
  }
}

TEST(Archive, UnsafeNamesAndTypesAreFindings) {
  const std::string tar = build_archive(
      {{"/etc/passwd", "x"},
       {"pkg/../../evil.sh", "x"},
       {"pkg/inner", "", Type::symlink, "data/file"},
       {"pkg/outer", "", Type::symlink, "../../../etc/shadow"},
       {"pkg/hard", "", Type::hardlink, "/etc/passwd"},
       {"pkg/dev", "", Type::device},
       {"pkg/Readme.txt", "a"},
       {"pkg/README.txt", "b"}},
      Container::tar_gz);
  const auto contents = read(tar, "bad.tar.gz");
  const auto& findings = contents.findings;
  EXPECT_TRUE(has_rule(findings, "MOAT-A002")) << moat::testing::rules_of(findings);
  EXPECT_TRUE(has_rule(findings, "MOAT-A003"));
  const auto links = moat::testing::with_rule(findings, "MOAT-A004");
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0]->severity, moat::Severity::low);
  EXPECT_EQ(links[1]->severity, moat::Severity::high);
  EXPECT_EQ(links[1]->location.path, "bad.tar.gz!/pkg/outer");
  EXPECT_TRUE(has_rule(findings, "MOAT-A005"));
  EXPECT_TRUE(has_rule(findings, "MOAT-A006"));
  EXPECT_TRUE(has_rule(findings, "MOAT-A008"));
  EXPECT_FALSE(has_rule(findings, "MOAT-A001"));
}

TEST(Archive, DuplicateMembersAreFindings) {
  const auto contents = read(build_archive({{"pkg/a.py", "1"}, {"pkg/a.py", "2"}}, Container::zip), "dup.zip");
  EXPECT_TRUE(has_rule(contents.findings, "MOAT-A007")) << moat::testing::rules_of(contents.findings);
}

TEST(Archive, CleanArchiveHasNoFindings) {
  const auto contents = read(build_archive({{"pkg/", "", Type::directory}, {"pkg/a.py", "1"}}, Container::tar_gz), "ok.tar.gz");
  EXPECT_TRUE(contents.findings.empty()) << moat::testing::rules_of(contents.findings);
}

TEST(Archive, EntryCountLimitStopsReading) {
  std::vector<TestEntry> entries;
  for (int index = 0; index < 50; ++index) entries.push_back({"f" + std::to_string(index), "x"});
  ArchiveLimits limits;
  limits.max_entries = 10;
  const auto contents = read(build_archive(entries, Container::zip), "many.zip", limits);
  EXPECT_TRUE(contents.stopped_by_limit);
  EXPECT_TRUE(has_rule(contents.findings, "MOAT-A001"));
  EXPECT_EQ(contents.entries.size(), 10u);
}

TEST(Archive, EntrySizeLimitStopsReading) {
  ArchiveLimits limits;
  limits.max_entry_bytes = 1000;
  const auto contents = read(build_archive({{"big", std::string(5000, 'a')}}, Container::zip), "big.zip", limits);
  EXPECT_TRUE(contents.stopped_by_limit);
  ASSERT_TRUE(has_rule(contents.findings, "MOAT-A001"));
  EXPECT_FALSE(contents.entries.front().complete);
}

long max_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// The issue's acceptance case: a 1 GB-uncompressed bomb is stopped, within a bounded memory budget.
TEST(Archive, GigabyteBombIsStoppedWithinMemoryLimit) {
  for (auto container : {Container::zip, Container::tar_gz}) {
    const std::string bomb = build_archive({}, container, {{"zeros.bin", std::uint64_t{1} << 30}});
    ASSERT_LT(bomb.size(), 8u << 20);
    const long before = max_rss_kb();
    const auto contents = read(bomb, container == Container::zip ? "bomb.whl" : "bomb.tar.gz");
    EXPECT_TRUE(contents.stopped_by_limit);
    ASSERT_TRUE(has_rule(contents.findings, "MOAT-A001"));
    EXPECT_NE(contents.findings.front().message.find("compression ratio"), std::string::npos);
    EXPECT_LT(contents.uncompressed_bytes, std::uint64_t{1} << 30);
    EXPECT_LT(max_rss_kb() - before, 256 * 1024) << "reading a bomb must not grow memory by hundreds of MB";
  }
}

TEST(Archive, TotalSizeLimitIsIndependentOfRatio) {
  ArchiveLimits limits;
  limits.max_total_bytes = 1 << 20;
  limits.max_ratio = 1e9;
  const auto contents = read(build_archive({}, Container::zip, {{"a", 600000}, {"b", 600000}}), "t.zip", limits);
  EXPECT_TRUE(contents.stopped_by_limit);
  EXPECT_TRUE(has_rule(contents.findings, "MOAT-A001"));
}

TEST(Archive, LargeEntriesAreHashedButNotBuffered) {
  ArchiveLimits limits;
  limits.max_buffered_bytes = 100;
  std::vector<std::pair<std::string, std::string>> visited;
  const std::string data(1000, 'q');
  const auto contents = read(build_archive({{"big.txt", data}}, Container::zip), "b.zip", limits, &visited);
  EXPECT_TRUE(visited.empty());
  ASSERT_EQ(contents.entries.size(), 1u);
  EXPECT_EQ(contents.entries[0].sha256, moat::dist::sha256_of(data));
  EXPECT_TRUE(contents.findings.empty());
}

TEST(Archive, CorruptArchiveIsAnErrorNotACrash) {
  std::string zip = build_archive({{"a.py", std::string(5000, 'x')}, {"b.py", "y"}}, Container::tar_gz);
  zip.resize(zip.size() / 2);
  auto contents = moat::dist::read_archive_memory(zip, "broken.tar.gz", ArchiveKind::unknown, {},
                                                  [](const EntryInfo&, std::string_view, bool) {});
  if (contents) {
    EXPECT_FALSE(contents->errors.empty());
  }
  auto garbage = moat::dist::read_archive_memory("not an archive at all", "x.whl", ArchiveKind::unknown, {},
                                                 [](const EntryInfo&, std::string_view, bool) {});
  EXPECT_FALSE(garbage.has_value());
}

TEST(Archive, CondaMembersAreFlattened) {
  const std::string conda = moat::testing::build_conda(
      "pkg-1.0-0", {{"lib/python3.11/site-packages/pkg/__init__.py", "x = 1\n"}},
      R"({"name": "pkg", "version": "1.0", "build": "0"})");
  std::vector<std::pair<std::string, std::string>> visited;
  const auto contents = read(conda, "pkg-1.0-0.conda", {}, &visited);
  std::vector<std::string> paths;
  for (const auto& entry : contents.entries) paths.push_back(entry.path);
  EXPECT_NE(std::ranges::find(paths, "info/index.json"), paths.end());
  EXPECT_NE(std::ranges::find(paths, "lib/python3.11/site-packages/pkg/__init__.py"), paths.end());
  EXPECT_NE(std::ranges::find(paths, "metadata.json"), paths.end());
  EXPECT_TRUE(contents.errors.empty());
}

TEST(Archive, KindFromName) {
  EXPECT_EQ(moat::dist::archive_kind_from_name("a-1.0-py3-none-any.whl"), ArchiveKind::wheel);
  EXPECT_EQ(moat::dist::archive_kind_from_name("a-1.0.tar.gz"), ArchiveKind::sdist_tar);
  EXPECT_EQ(moat::dist::archive_kind_from_name("a-1.0.zip"), ArchiveKind::sdist_zip);
  EXPECT_EQ(moat::dist::archive_kind_from_name("a-1.0-0.conda"), ArchiveKind::conda);
  EXPECT_EQ(moat::dist::archive_kind_from_name("a-1.0-0.tar.bz2"), ArchiveKind::conda_tar_bz2);
  EXPECT_EQ(moat::dist::archive_kind_from_name("README.md"), ArchiveKind::unknown);
}

}  // namespace
