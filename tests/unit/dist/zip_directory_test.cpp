#include "moat/dist/zip_directory.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "moat/dist/archive.hpp"
#include "moat/dist/member_pool.hpp"
#include "unit/dist/archive_builder.hpp"
#include "unit/dist/test_helpers.hpp"

namespace {

using moat::dist::ArchiveContents;
using moat::dist::ArchiveKind;
using moat::dist::ArchiveLimits;
using moat::dist::EntryInfo;
using moat::dist::inflate_member;
using moat::dist::read_plain_zip_directory;
using moat::testing::build_archive;
using moat::testing::Container;
using moat::testing::TestEntry;
using Type = moat::testing::TestEntry::Type;

constexpr std::size_t kAll = 1000;

std::uint32_t le32(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  return value;
}

void put_le32(std::string& bytes, std::size_t at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[at + static_cast<std::size_t>(i)] = static_cast<char>((value >> (8 * i)) & 0xff);
}

/// Offset of the first central-directory record.
std::size_t central_start(const std::string& zip) {
  const std::size_t end = zip.rfind(std::string("PK\x05\x06", 4));
  return le32(zip, end + 16);
}

TEST(ZipDirectory, PlainZipsAreReadThroughTheCentralDirectory) {
  for (auto container : {Container::zip, Container::zip_stored}) {
    const std::string zip = build_archive(
        {{"pkg/", "", Type::directory}, {"pkg/a.py", std::string(5000, 'a')}, {"pkg/empty.txt", ""}}, container);
    const auto members = read_plain_zip_directory(zip, kAll);
    ASSERT_TRUE(members.has_value());
    ASSERT_EQ(members->size(), 3u);
    EXPECT_TRUE((*members)[0].directory);
    EXPECT_EQ((*members)[1].name, "pkg/a.py");
    EXPECT_EQ((*members)[1].deflated, container == Container::zip);
    const auto inflated = inflate_member(zip, (*members)[1], 1 << 20, 1 << 20);
    EXPECT_TRUE(inflated.error.empty()) << inflated.error;
    ASSERT_TRUE(inflated.buffered);
    EXPECT_EQ(inflated.data, std::string(5000, 'a'));
    EXPECT_EQ(inflated.sha256, moat::dist::sha256_of(std::string(5000, 'a')));
    const auto empty = inflate_member(zip, (*members)[2], 1 << 20, 1 << 20);
    EXPECT_TRUE(empty.buffered);
    EXPECT_EQ(empty.size, 0u);
  }
}

TEST(ZipDirectory, AtMostMaxMembersAreListed) {
  std::vector<TestEntry> entries;
  for (int index = 0; index < 20; ++index) entries.push_back({"f" + std::to_string(index), "x"});
  const auto members = read_plain_zip_directory(build_archive(entries, Container::zip), 5);
  ASSERT_TRUE(members.has_value());
  EXPECT_EQ(members->size(), 5u);
}

TEST(ZipDirectory, UnusualZipsAreLeftToLibarchive) {
  const std::string good = build_archive({{"a.py", "print(1)\n"}, {"b.py", "print(2)\n"}}, Container::zip);
  ASSERT_TRUE(read_plain_zip_directory(good, kAll).has_value());
  EXPECT_FALSE(read_plain_zip_directory(build_archive({{"pkg/link", "", Type::symlink, "target"}}, Container::zip), kAll))
      << "links are read by libarchive";
  EXPECT_FALSE(read_plain_zip_directory(build_archive({{"pkg/caf\xc3\xa9.py", "x"}}, Container::zip), kAll))
      << "names that are not ASCII are converted by libarchive";
  EXPECT_FALSE(read_plain_zip_directory(good + "trailing", kAll)) << "bytes after the end record";
  EXPECT_FALSE(read_plain_zip_directory("PK\x05\x06", kAll));
  EXPECT_FALSE(read_plain_zip_directory("", kAll));

  const std::size_t central = central_start(good);
  std::string encrypted = good;
  encrypted[central + 8] = static_cast<char>(encrypted[central + 8] | 1);
  EXPECT_FALSE(read_plain_zip_directory(encrypted, kAll)) << "encrypted member";

  std::string renamed = good;  // the local header names another file than the central directory
  renamed[30] = 'z';
  EXPECT_FALSE(read_plain_zip_directory(renamed, kAll)) << "local and central names differ";

  std::string overlapping = good;  // the second member's record points at the first one's header
  const std::size_t second =
      central + 46 + (le32(good, central + 28) & 0xffff) + (le32(good, central + 30) & 0xffff) + (le32(good, central + 32) & 0xffff);
  ASSERT_EQ(le32(good, second), 0x02014b50u);
  put_le32(overlapping, second + 42, 0);
  EXPECT_FALSE(read_plain_zip_directory(overlapping, kAll)) << "overlapping members";

  std::string zip64 = good;
  put_le32(zip64, central + 20, 0xffffffff);
  EXPECT_FALSE(read_plain_zip_directory(zip64, kAll)) << "zip64 sizes";
}

TEST(ZipDirectory, InflationStopsAtTheCap) {
  const std::string zip = build_archive({}, Container::zip, {{"zeros.bin", std::uint64_t{64} << 20}});
  const auto members = read_plain_zip_directory(zip, kAll);
  ASSERT_TRUE(members.has_value());
  const auto inflated = inflate_member(zip, members->front(), 1'000'000, 1 << 20);
  EXPECT_EQ(inflated.size, 1'000'000u);
  EXPECT_FALSE(inflated.buffered);
  EXPECT_EQ(inflated.sha256, moat::dist::sha256_of(std::string(1'000'000, '\0')));
}

TEST(ZipDirectory, CorruptDeflateDataIsAnError) {
  std::string zip = build_archive({{"a.py", std::string(20000, 'x') + "tail"}, {"b.py", "y"}}, Container::zip);
  const auto members = read_plain_zip_directory(zip, kAll);
  ASSERT_TRUE(members.has_value());
  std::string corrupt = zip;
  corrupt[static_cast<std::size_t>((*members)[0].data_offset)] = static_cast<char>(0xff);
  const auto inflated = inflate_member(corrupt, (*members)[0], 1 << 20, 1 << 20);
  EXPECT_FALSE(inflated.error.empty());
  EXPECT_FALSE(inflated.buffered);
  const auto contents = moat::dist::read_archive_memory(corrupt, "c.whl", ArchiveKind::unknown, {},
                                                        [](const EntryInfo&, std::string_view, bool) {});
  ASSERT_TRUE(contents.has_value());
  ASSERT_EQ(contents->errors.size(), 1u);
  EXPECT_EQ(contents->errors[0].path, "c.whl!/a.py");
  ASSERT_EQ(contents->entries.size(), 2u) << "the members after a corrupt one are still read";
  EXPECT_TRUE(contents->entries[1].complete);
}

class TempFile {
 public:
  TempFile(const std::string& name, const std::string& bytes)
      : m_path(std::filesystem::temp_directory_path() / ("moat-zip-" + std::to_string(::getpid()) + "-" + name)) {
    std::ofstream(m_path, std::ios::binary) << bytes;
  }
  ~TempFile() { std::filesystem::remove(m_path); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

struct Visit {
  std::string path;
  std::string data;
  bool buffered;
};

ArchiveContents read_file(const std::filesystem::path& path, moat::dist::MemberPool* pool, std::vector<Visit>& visits,
                          const ArchiveLimits& limits = {}) {
  auto contents = moat::dist::read_archive_file(
      path, limits,
      [&](const EntryInfo& entry, std::string_view data, bool buffered) {
        visits.push_back({entry.path, std::string(data), buffered});
      },
      {}, pool);
  EXPECT_TRUE(contents.has_value());
  return contents ? std::move(*contents) : ArchiveContents{};
}

// The pool changes where members are inflated, never what the visitor and the entries see.
TEST(ZipDirectory, PooledReadingSeesWhatInlineReadingSees) {
  std::vector<TestEntry> entries{{"pkg/", "", Type::directory}};
  for (int index = 0; index < 40; ++index)
    entries.push_back({"pkg/m" + std::to_string(index) + ".py", std::string(static_cast<std::size_t>(index) * 3001, 'a' + index % 26)});
  std::string zip = build_archive(entries, Container::zip);
  // A member whose central record understates its size is still read whole (and buffered).
  const auto members = read_plain_zip_directory(zip, kAll);
  ASSERT_TRUE(members.has_value());
  std::size_t record = central_start(zip);
  for (std::size_t index = 0; index < 5; ++index)
    record += 46 + (le32(zip, record + 28) & 0xffff) + (le32(zip, record + 30) & 0xffff) + (le32(zip, record + 32) & 0xffff);
  put_le32(zip, record + 24, 10);
  if (le32(zip, le32(zip, record + 42) + 22) != 0) put_le32(zip, le32(zip, record + 42) + 22, 10);
  ASSERT_TRUE(read_plain_zip_directory(zip, kAll).has_value());

  const TempFile file("pooled.whl", zip);
  std::vector<Visit> inline_visits;
  const auto alone = read_file(file.path(), nullptr, inline_visits);
  for (const unsigned workers : {1u, 2u, 4u}) {
    moat::dist::MemberPool pool(workers, 1 << 16);
    std::vector<Visit> pooled_visits;
    const auto pooled = read_file(file.path(), &pool, pooled_visits);
    pool.wait();
    ASSERT_EQ(pooled.entries.size(), alone.entries.size());
    ASSERT_EQ(pooled_visits.size(), inline_visits.size());
    for (std::size_t index = 0; index < pooled_visits.size(); ++index) {
      EXPECT_EQ(pooled_visits[index].path, inline_visits[index].path);
      EXPECT_EQ(pooled_visits[index].data, inline_visits[index].data) << pooled_visits[index].path;
      EXPECT_TRUE(pooled_visits[index].buffered || pooled_visits[index].path == "pkg/");
      EXPECT_EQ(pooled.entries[index].sha256, alone.entries[index].sha256);
      EXPECT_EQ(pooled.entries[index].size, alone.entries[index].size);
    }
    EXPECT_EQ(pooled_visits[5].data, std::string(4 * 3001, 'a' + 4));
  }
}

// The mapped archive's pages are dropped every few megabytes of visited members: members read
// after a drop, stored ones seen in place in the mapping, still read whole and right.
TEST(ZipDirectory, MembersAfterDroppedPagesReadRight) {
  std::uint64_t state = 0x9E3779B97F4A7C15u;
  const auto noise = [&](std::size_t size) {
    std::string bytes(size, '\0');
    for (auto& byte : bytes) {
      state = state * 6364136223846793005u + 1442695040888963407u;
      byte = static_cast<char>(state >> 56);
    }
    return bytes;
  };
  // 9.6 MB of stored members: a drop after the tenth.
  std::vector<TestEntry> entries;
  for (int index = 0; index < 12; ++index)
    entries.push_back({"pkg/m" + std::to_string(index) + ".bin", noise(800003 + static_cast<std::size_t>(index))});
  const TempFile file("dropped.whl", build_archive(entries, Container::zip_stored));
  for (const unsigned workers : {0u, 2u}) {
    std::optional<moat::dist::MemberPool> pool;
    if (workers != 0) pool.emplace(workers, 1 << 20);
    std::vector<Visit> visits;
    const auto contents = read_file(file.path(), pool ? &*pool : nullptr, visits);
    if (pool) pool->wait();
    ASSERT_EQ(visits.size(), entries.size());
    for (std::size_t index = 0; index < entries.size(); ++index) {
      EXPECT_EQ(visits[index].path, entries[index].path);
      EXPECT_TRUE(visits[index].data == entries[index].data) << entries[index].path << " with " << workers << " workers";
      EXPECT_EQ(contents.entries[index].sha256, moat::dist::sha256_of(entries[index].data)) << entries[index].path;
    }
  }
}

TEST(ZipDirectory, AVisitorThatThrowsLeavesNoWorkBehind) {
  std::vector<TestEntry> entries;
  for (int index = 0; index < 64; ++index) entries.push_back({"m" + std::to_string(index) + ".py", std::string(50000, 'x')});
  const TempFile file("throws.whl", build_archive(entries, Container::zip));
  moat::dist::MemberPool pool(2, 1 << 20);
  const auto visit = [](const EntryInfo&, std::string_view, bool) { throw std::runtime_error("visitor failed"); };
  EXPECT_THROW((void)moat::dist::read_archive_file(file.path(), {}, visit, {}, &pool), std::runtime_error);
  pool.wait();  // the inflating work was waited for before the reader's frame went away
}

long max_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(ZipDirectory, PooledReadingStopsABombWithinMemoryLimit) {
  const TempFile file("bomb.whl", build_archive({{"a.py", "x = 1\n"}}, Container::zip,
                                                 {{"zeros.bin", std::uint64_t{1} << 30}}));
  const long before = max_rss_kb();
  moat::dist::MemberPool pool(2, 1 << 20);
  std::vector<Visit> visits;
  const auto contents = read_file(file.path(), &pool, visits);
  pool.wait();
  EXPECT_TRUE(contents.stopped_by_limit);
  ASSERT_TRUE(moat::testing::has_rule(contents.findings, "MOAT-A001"));
  EXPECT_LT(contents.uncompressed_bytes, std::uint64_t{1} << 30);
  EXPECT_LT(max_rss_kb() - before, 256 * 1024);
}

}  // namespace
