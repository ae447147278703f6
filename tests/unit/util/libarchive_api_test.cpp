// libarchive loaded at run time: the bound functions really read an archive. This test binary does
// not link libarchive, so the library comes from load_libarchive()'s dlopen.
#include "moat/util/libarchive_api.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

namespace {

// A zip holding pkg/a.py ("print(1)\n" 8 times, deflated), made with Python's zipfile.
constexpr std::string_view kZip(
    "\x50\x4b\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00\x21\x58\xc5\x8b\x87\xae\x0e\x00\x00\x00\x48\x00"
    "\x00\x00\x08\x00\x00\x00\x70\x6b\x67\x2f\x61\x2e\x70\x79\x2b\x28\xca\xcc\x2b\xd1\x30\xd4\xe4\x2a"
    "\xa0\x8c\x01\x00\x50\x4b\x01\x02\x14\x03\x14\x00\x00\x00\x08\x00\x00\x00\x21\x58\xc5\x8b\x87\xae"
    "\x0e\x00\x00\x00\x48\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x01\x00\x00"
    "\x00\x00\x70\x6b\x67\x2f\x61\x2e\x70\x79\x50\x4b\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00\x36\x00"
    "\x00\x00\x34\x00\x00\x00\x00\x00",
    128);

TEST(LibArchive, LoadedFunctionsReadAZipFromMemory) {
  const auto loaded = moat::load_libarchive();
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  const moat::LibArchive& api = **loaded;
  std::unique_ptr<archive, decltype(&archive_read_free)> reader(api.read_new(), api.read_free);
  ASSERT_NE(reader, nullptr);
  ASSERT_EQ(api.read_support_format_zip(reader.get()), ARCHIVE_OK);
  ASSERT_EQ(api.read_open_memory(reader.get(), kZip.data(), kZip.size()), ARCHIVE_OK);

  archive_entry* entry = nullptr;
  ASSERT_EQ(api.read_next_header(reader.get(), &entry), ARCHIVE_OK) << api.error_string(reader.get());
  EXPECT_STREQ(api.entry_pathname(entry), "pkg/a.py");
  EXPECT_EQ(api.entry_filetype(entry), AE_IFREG);
  EXPECT_EQ(api.entry_size(entry), 72);
  std::string data(128, '\0');
  const auto got = api.read_data(reader.get(), data.data(), data.size());
  ASSERT_EQ(got, 72);
  data.resize(static_cast<std::size_t>(got));
  std::string expected;
  for (int line = 0; line < 8; ++line) expected += "print(1)\n";
  EXPECT_EQ(data, expected);
  EXPECT_EQ(api.read_next_header(reader.get(), &entry), ARCHIVE_EOF);
}

TEST(LibArchive, LoadsOnceForTheProcess) {
  const auto first = moat::load_libarchive();
  const auto second = moat::load_libarchive();
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ(*first, *second);
}

}  // namespace
