// Version banners found by identify_libraries' one pass over a binary's bytes: every place a
// banner can sit relative to the 16-byte blocks it scans, and the same answers the per-anchor
// searches gave (the first occurrence that is a banner; a signature's banners in table order).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "moat/native/libraries.hpp"

namespace moat::native {
namespace {

std::vector<LibraryIdentification> identify(std::string_view file_name, const std::string& data) {
  return identify_libraries(file_name, std::as_bytes(std::span(data.data(), data.size())), BinaryFacts{});
}

const LibraryIdentification* find(const std::vector<LibraryIdentification>& found, std::string_view library) {
  const auto it = std::ranges::find(found, library, &LibraryIdentification::library);
  return it == found.end() ? nullptr : &*it;
}

// Binary-looking filler: bytes that hold anchors' first letters without forming an anchor.
std::string filler(std::size_t size) {
  std::string text;
  for (std::size_t i = 0; i < size; ++i) text += "\x7f" "eOd\0il\x90GS"[i % 10];
  return text;
}

TEST(NativeBannerScan, FindsABannerAtEveryOffsetOfABlockAndAtTheVeryEnd) {
  for (std::size_t offset = 0; offset < 72; ++offset) {
    for (const bool at_end : {false, true}) {
      const auto data = filler(offset) + "expat_2.5.0" + (at_end ? "" : std::string("\0", 1) + filler(37));
      const auto found = identify("ext.so", data);
      const auto* expat = find(found, "expat");
      ASSERT_NE(expat, nullptr) << "offset " << offset << (at_end ? " at end" : "");
      EXPECT_EQ(expat->version, "2.5.0") << "offset " << offset;
      EXPECT_TRUE(expat->statically_linked);
    }
  }
}

TEST(NativeBannerScan, AnAnchorCutShortByTheEndOfTheDataIsNoBanner) {
  EXPECT_EQ(find(identify("ext.so", filler(30) + "expat"), "expat"), nullptr);
  EXPECT_EQ(find(identify("ext.so", "e"), "expat"), nullptr);
  EXPECT_TRUE(identify("ext.so", "").empty());
}

TEST(NativeBannerScan, SkipsOccurrencesThatAreNotBannersAndTakesTheNextOne) {
  // "OpenSSL 3.0.2" without a date is a log message, not the banner.
  const auto data = filler(20) + std::string("OpenSSL 3.0.2 failed\0OpenSSL \0", 31) + filler(9) +
                    std::string("OpenSSL 3.0.17 1 Jul 2025\0", 26);
  const auto found = identify("ext.so", data);
  const auto* openssl = find(found, "openssl");
  ASSERT_NE(openssl, nullptr);
  EXPECT_EQ(openssl->version, "3.0.17");
  ASSERT_FALSE(openssl->evidence.empty());
  EXPECT_EQ(openssl->evidence.back().detail, "banner \"OpenSSL 3.0.17 1 Jul 2025\"");
}

TEST(NativeBannerScan, FindsEveryLibrarysBannerInOneBlock) {
  const auto data = std::string("expat_2.5.0\0libcurl/8.1.2\0", 26) + filler(5);
  const auto found = identify("ext.so", data);
  ASSERT_NE(find(found, "expat"), nullptr);
  ASSERT_NE(find(found, "curl"), nullptr);
  EXPECT_EQ(find(found, "expat")->version, "2.5.0");
  EXPECT_EQ(find(found, "curl")->version, "8.1.2");
}

TEST(NativeBannerScan, ASignaturesFirstBannerWinsWhereverItIs) {
  // zlib's table lists "deflate " before "inflate ": the deflate banner decides, even later in the file.
  const auto data = filler(3) + std::string("inflate 1.2.11 Copyright 1995\0", 30) + filler(50) +
                    std::string("deflate 1.3.1 Copyright 1995\0", 29);
  const auto found = identify("ext.so", data);
  const auto* zlib = find(found, "zlib");
  ASSERT_NE(zlib, nullptr);
  EXPECT_EQ(zlib->version, "1.3.1");
  EXPECT_EQ(zlib->evidence.back().detail, "banner \"deflate 1.3.1 Copyright 1995\"");
}

TEST(NativeBannerScan, GenericCompilerBannerCountsOnlyInTheLibrarysOwnFile) {
  const auto data = filler(17) + std::string("GCC: (Debian 12.2.0-14) 12.2.0\0", 31);
  EXPECT_EQ(find(identify("ext.so", data), "gcc-runtime"), nullptr);
  const auto found = identify("libgfortran.so.5", data);
  const auto* gcc = find(found, "gcc-runtime");
  ASSERT_NE(gcc, nullptr);
  EXPECT_EQ(gcc->version, "12.2.0");
}

}  // namespace
}  // namespace moat::native
