// The one PyPI-token recogniser shared by the secret scanner (MOAT-SEC001) and the publishing audit
// (MOAT-CR004): real macaroons are found wherever they sit, look-alikes are not.
#include <gtest/gtest.h>

#include "moat/base/macaroon.hpp"
#include "unit/publish/macaroon_encoder.hpp"

namespace moat {
namespace {

std::string token() {
  return testing::encode_token("pypi.org", "00000000-0000-0000-0000-0000000000f1",
                               {{"", R"({"version": 1, "permissions": "user"})", ""}});
}

TEST(PypiTokens, FoundInAssignmentsUrlsAndQuotes) {
  const auto real = token();
  const std::string text = "TWINE_PASSWORD=" + real + "\nurl = \"https://__token__:" + real + "@upload.pypi.org\"\n";
  const auto found = find_pypi_tokens(text);
  ASSERT_EQ(found.size(), 2U);
  EXPECT_EQ(text.substr(found[0].offset, found[0].length), real);
  EXPECT_EQ(text.substr(found[1].offset, found[1].length), real);
  ASSERT_TRUE(decode_pypi_token(real));
  EXPECT_EQ(decode_pypi_token(real)->location, "pypi.org");
}

TEST(PypiTokens, LookAlikesAreNotTokens) {
  const auto real = token();
  EXPECT_TRUE(find_pypi_tokens("pypi-" + std::string(90, 'A')).empty());               // not a macaroon
  EXPECT_TRUE(find_pypi_tokens("xpypi-" + real.substr(5)).empty());                    // inside a longer word
  EXPECT_TRUE(find_pypi_tokens(real.substr(0, 40)).empty());                           // too short
  EXPECT_TRUE(find_pypi_tokens("pypi-not-a-real-token-but-still-a-secret").empty());  // CR001 finds that one
  EXPECT_FALSE(parse_pypi_token("token-" + real.substr(5)));
  EXPECT_FALSE(parse_pypi_token("pypi-***"));
}

}  // namespace
}  // namespace moat
