#include "moat/util/encoding.hpp"

#include <gtest/gtest.h>

namespace {

TEST(Encoding, Base64RoundTripsInBothAlphabets) {
  const std::string bytes("\xfb\xff\x00hello\xfe", 9);
  for (auto alphabet : {moat::Base64Alphabet::standard, moat::Base64Alphabet::urlsafe})
    for (bool padded : {true, false}) {
      const auto encoded = moat::base64_encode(bytes, alphabet, padded);
      auto decoded = moat::base64_decode(encoded);
      ASSERT_TRUE(decoded) << encoded;
      EXPECT_EQ(*decoded, bytes);
    }
  EXPECT_EQ(moat::base64_encode("\xfb\xff", moat::Base64Alphabet::standard), "+/8=");
  EXPECT_EQ(moat::base64_encode("\xfb\xff", moat::Base64Alphabet::urlsafe, false), "-_8");
}

TEST(Encoding, Base64RejectsGarbage) {
  EXPECT_FALSE(moat::base64_decode("ab$d"));
  EXPECT_FALSE(moat::base64_decode("abcde"));
  EXPECT_FALSE(moat::base64_decode("ab=cd"));
  EXPECT_EQ(*moat::base64_decode("aGVs\r\nbG8="), "hello");
}

TEST(Encoding, HexRoundTrips) {
  EXPECT_EQ(moat::hex_encode("\x01\xab"), "01ab");
  EXPECT_EQ(*moat::hex_decode("01AB"), "\x01\xab");
  EXPECT_FALSE(moat::hex_decode("0g"));
  EXPECT_FALSE(moat::hex_decode("abc"));
}

TEST(Encoding, Sha256MatchesKnownVectorStreamedOrNot) {
  const auto expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  EXPECT_EQ(moat::hex_encode(moat::digest_bytes(moat::sha256("abc"))), expected);
  moat::Sha256Hasher hasher;
  hasher.update("a");
  hasher.update("bc");
  EXPECT_EQ(moat::hex_encode(moat::digest_bytes(hasher.finish())), expected);
  hasher.update("abc");  // finish() started over
  EXPECT_EQ(moat::hex_encode(moat::digest_bytes(hasher.finish())), expected);
}

}  // namespace
