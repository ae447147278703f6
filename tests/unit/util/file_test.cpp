#include "moat/util/file.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace {

fs::path fresh_directory(const char* name) {
  auto directory = fs::temp_directory_path() / (std::string("moat_util_") + name + std::to_string(::getpid()));
  fs::remove_all(directory);
  fs::create_directories(directory);
  return directory;
}

TEST(File, AtomicWriteThenReadRoundTrips) {
  const auto directory = fresh_directory("roundtrip");
  const auto path = directory / "report.json";
  ASSERT_TRUE(moat::write_file_atomically(path, "first"));
  ASSERT_TRUE(moat::write_file_atomically(path, std::string("second\0bytes", 12)));
  auto read = moat::read_file(path);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, std::string("second\0bytes", 12));
  // A regenerable report is replaced the same way, without waiting for the disk.
  ASSERT_TRUE(moat::write_file_atomically(path, "third", moat::Durability::regenerable));
  EXPECT_EQ(*moat::read_file(path), "third");
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(directory), fs::directory_iterator()), 1);
  fs::remove_all(directory);
}

TEST(File, ReadErrorsNameTheFile) {
  const auto directory = fresh_directory("errors");
  auto missing = moat::read_file(directory / "absent.py");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().to_string().find("absent.py"), std::string::npos);
  auto is_directory = moat::read_file(directory);
  ASSERT_FALSE(is_directory);
  EXPECT_EQ(is_directory.error().message, "is a directory");
  ASSERT_TRUE(moat::write_file_atomically(directory / "big", std::string(100, 'x')));
  auto too_big = moat::read_file(directory / "big", 10);
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.error().message.find("limit"), std::string::npos);
  fs::remove_all(directory);
}

TEST(File, FailedAtomicWriteLeavesOldContent) {
  const auto directory = fresh_directory("failed");
  const auto path = directory / "keep.txt";
  ASSERT_TRUE(moat::write_file_atomically(path, "old"));
  // Renaming onto a non-empty directory fails; the old file must be intact.
  fs::create_directories(directory / "sub" / "x");
  auto failed = moat::write_file_atomically(directory / "sub", "new");
  EXPECT_FALSE(failed);
  EXPECT_EQ(*moat::read_file(path), "old");
  fs::remove_all(directory);
}

}  // namespace
