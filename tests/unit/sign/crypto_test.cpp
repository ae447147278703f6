#include <gtest/gtest.h>

#include "moat/sign/crypto.hpp"

namespace {

using namespace moat::sign;

TEST(Base64, AcceptsBothAlphabetsPaddingAndLineBreaks) {
  EXPECT_EQ(*base64_decode("aGVsbG8/Pz4+"), "hello?\x3f>>");
  EXPECT_EQ(*base64_decode("aGVsbG8_Pz4-"), "hello?\x3f>>");
  EXPECT_EQ(*base64_decode("aGk="), "hi");
  EXPECT_EQ(*base64_decode("aGk"), "hi");
  EXPECT_EQ(*base64_decode("aG\r\nk="), "hi");
  EXPECT_FALSE(base64_decode("a*b=").has_value());
  EXPECT_FALSE(base64_decode("a").has_value());
  EXPECT_EQ(base64_encode("hi"), "aGk=");
  EXPECT_EQ(base64_encode("hello?\x3f>>"), "aGVsbG8/Pz4+");
}

TEST(Hex, RoundTrips) {
  EXPECT_EQ(hex_encode("\x01\xab"), "01ab");
  EXPECT_EQ(*hex_decode("01AB"), "\x01\xab");
  EXPECT_FALSE(hex_decode("0g").has_value());
  EXPECT_FALSE(hex_decode("012").has_value());
}

TEST(Time, ParsesRfc3339) {
  EXPECT_EQ(*parse_rfc3339("1970-01-01T00:01:00Z"), 60);
  EXPECT_EQ(*parse_rfc3339("2022-12-31T23:59:59.999Z"), 1672531199);
  EXPECT_FALSE(parse_rfc3339("2022-12-31").has_value());
  EXPECT_EQ(format_utc(1672531199), "2022-12-31T23:59:59Z");
}

}  // namespace
