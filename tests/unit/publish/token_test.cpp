#include "moat/publish/token.hpp"

#include <gtest/gtest.h>

#include "unit/publish/macaroon_encoder.hpp"

namespace {

using moat::publish::inspect_token;
using moat::testing::encode_token;
using moat::testing::TestCaveat;

constexpr std::int64_t kNow = 1800000000;  // 2027-01-15: injected, tests never read the clock
const std::string kUser = "00000000-0000-4000-8000-000000000001";

std::string identifier(const char* suffix) { return std::string("00000000-0000-0000-0000-") + suffix; }

// The reference vectors of trust.md §7.2 (made with pymacaroons), kept split so that no complete
// token sits in a committed file; assembled here at test time.
std::string reference_token(std::initializer_list<const char*> lines) {
  std::string token = "pypi-";
  for (const char* line : lines) token += line;
  return token;
}

TEST(TokenEncoder, MatchesThePymacaroonsReferenceVectors) {
  EXPECT_EQ(encode_token("pypi.org", identifier("00000000001c"), {{"[3,\"" + kUser + "\"]", "", ""}}),
            reference_token({"AgEIcHlwaS5vcmcCJDAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAxYwACKl",
                             "szLCIwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDEiXQAABiD5tOLBO6sf",
                             "lUwx3GNhNTtv_mMaytCBKeuIwJgktTnUTA"}));
  EXPECT_EQ(encode_token("pypi.org", identifier("000000000021"),
                         {{R"({"permissions":{"projects":["sampleproject"]},"version":1})", "", ""},
                          {R"({"exp":1700000900,"nbf":1700000000})", "", ""}}),
            reference_token({"AgEIcHlwaS5vcmcCJDAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAyMQACOn",
                             "sicGVybWlzc2lvbnMiOnsicHJvamVjdHMiOlsic2FtcGxlcHJvamVjdCJdfSwidmVyc2lv",
                             "biI6MX0AAiN7ImV4cCI6MTcwMDAwMDkwMCwibmJmIjoxNzAwMDAwMDAwfQAABiChKeiLBy",
                             "iLCBz3WmOpA_xJtVsvxCt2P8Hc7o732l9zcA"}));
}

TEST(Token, UserScopedTokenWarnsUserWideAndNoExpiry) {
  const auto token = encode_token("pypi.org", identifier("00000000001c"), {{"[3,\"" + kUser + "\"]", "", ""}});
  auto inspection = inspect_token(token, kNow);
  ASSERT_TRUE(inspection) << inspection.error().to_string();
  EXPECT_EQ(inspection->index, "pypi.org");
  EXPECT_EQ(inspection->identifier, identifier("00000000001c"));
  EXPECT_EQ(inspection->scope, "user");
  EXPECT_EQ(inspection->user_id, kUser);
  EXPECT_FALSE(inspection->expires_at);
  ASSERT_EQ(inspection->caveats.size(), 1U);
  EXPECT_EQ(inspection->caveats[0].kind, "request-user");
  EXPECT_EQ(inspection->caveats[0].format, "current");
  ASSERT_EQ(inspection->warnings.size(), 2U);
  EXPECT_NE(inspection->warnings[0].find("user-wide"), std::string::npos);
  EXPECT_NE(inspection->warnings[1].find("never expires"), std::string::npos);
}

TEST(Token, ProjectScopedExpiringTokenHasNoWarnings) {
  const auto token = encode_token("pypi.org", identifier("00000000001f"),
                                  {{R"([1,["sampleproject","other"]])", "", ""},
                                   {R"([2,["00000000-0000-4000-8000-0000000000aa"]])", "", ""},
                                   {"[0,1900000000,1700000000]", "", ""}});
  auto inspection = inspect_token(token, kNow);
  ASSERT_TRUE(inspection) << inspection.error().to_string();
  EXPECT_EQ(inspection->scope, "projects");
  EXPECT_EQ(inspection->projects, (std::vector<std::string>{"sampleproject", "other"}));
  EXPECT_EQ(inspection->project_ids, (std::vector<std::string>{"00000000-0000-4000-8000-0000000000aa"}));
  EXPECT_EQ(inspection->not_before, 1700000000);
  EXPECT_EQ(inspection->expires_at, 1900000000);
  EXPECT_TRUE(inspection->warnings.empty()) << inspection->warnings.front();
  const std::string text = moat::publish::render_token_text(*inspection);
  EXPECT_NE(text.find("scope:       projects sampleproject, other"), std::string::npos) << text;
  EXPECT_NE(text.find("from 2023-11-14T22:13:20Z until 2030-03-17T17:46:40Z"), std::string::npos) << text;
}

TEST(Token, TrustedPublishingTokenIsShortLivedAndExpired) {
  const auto token = encode_token("pypi.org", identifier("000000000023"),
                                  {{R"([4,"00000000-0000-4000-8000-0000000000bb"])", "", ""},
                                   {R"([2,["00000000-0000-4000-8000-0000000000aa"]])", "", ""},
                                   {"[0,1700000900,1700000000]", "", ""}});
  auto inspection = inspect_token(token, kNow);
  ASSERT_TRUE(inspection);
  EXPECT_EQ(inspection->scope, "trusted-publisher");
  EXPECT_EQ(inspection->publisher_id, "00000000-0000-4000-8000-0000000000bb");
  ASSERT_EQ(inspection->warnings.size(), 1U);
  EXPECT_NE(inspection->warnings[0].find("expired at 2023-11-14T22:28:20Z"), std::string::npos);
  EXPECT_NE(moat::publish::render_token_text(*inspection).find("(15 minutes)"), std::string::npos);
  // Before it starts and while it is valid.
  EXPECT_NE(inspect_token(token, 1699999999)->warnings.at(0).find("not valid before"), std::string::npos);
  EXPECT_TRUE(inspect_token(token, 1700000100)->warnings.empty());
}

TEST(Token, LegacyCaveatsAreUnderstood) {
  const auto user = encode_token("pypi.org", identifier("00000000000e"), {{R"({"permissions":"user","version":1})", "", ""}});
  auto user_inspection = inspect_token(user, kNow);
  ASSERT_TRUE(user_inspection);
  EXPECT_EQ(user_inspection->scope, "user");
  EXPECT_EQ(user_inspection->caveats.at(0).format, "legacy");

  const auto project = encode_token("test.pypi.org", identifier("000000000021"),
                                    {{R"({"permissions":{"projects":["sampleproject"]},"version":1})", "", ""},
                                     {R"({"exp":1900000000,"nbf":1700000000})", "", ""},
                                     {R"({"project_ids":["id-1"]})", "", ""}});
  auto inspection = inspect_token(project, kNow);
  ASSERT_TRUE(inspection);
  EXPECT_EQ(inspection->index, "test.pypi.org");
  EXPECT_EQ(inspection->scope, "projects");
  EXPECT_EQ(inspection->projects, std::vector<std::string>{"sampleproject"});
  EXPECT_EQ(inspection->project_ids, std::vector<std::string>{"id-1"});
  EXPECT_EQ(inspection->expires_at, 1900000000);
  EXPECT_TRUE(inspection->warnings.empty());
}

TEST(Token, SeveralExpiryCaveatsNarrowTheWindow) {
  const auto token = encode_token("pypi.org", identifier("000000000001"),
                                  {{R"([1,["a"]])", "", ""}, {"[0,1900000000,1700000000]", "", ""},
                                   {R"({"exp":1850000000,"nbf":1750000000})", "", ""}});
  auto inspection = inspect_token(token, kNow);
  ASSERT_TRUE(inspection);
  EXPECT_EQ(inspection->not_before, 1750000000);
  EXPECT_EQ(inspection->expires_at, 1850000000);
}

TEST(Token, ExtremeExpiryValuesDoNotOverflow) {
  const auto token = encode_token("pypi.org", identifier("000000000005"),
                                  {{R"([1,["a"]])", "", ""}, {"[0,9223372036854775807,-9223372036854775807]", "", ""}});
  auto inspection = inspect_token(token, kNow);
  ASSERT_TRUE(inspection);
  EXPECT_NE(moat::publish::render_token_text(*inspection).find("unbounded window"), std::string::npos);
}

TEST(Token, UnknownAndThirdPartyCaveatsMakeTheTokenUnusable) {
  const auto token = encode_token("pypi.org", identifier("000000000002"),
                                  {{R"([1,["a"]])", "", ""}, {"[9,\"future\"]", "", ""}, {"not json", "", ""},
                                   {"discharge-me", "https://auth.example", "vid-bytes"}});
  auto inspection = inspect_token(token, kNow);
  ASSERT_TRUE(inspection);
  ASSERT_EQ(inspection->caveats.size(), 4U);
  EXPECT_EQ(inspection->caveats[1].kind, "unknown");
  EXPECT_EQ(inspection->caveats[2].format, "invalid");
  EXPECT_EQ(inspection->caveats[3].kind, "third-party");
  EXPECT_NE(inspection->warnings.at(0).find("caveat 2"), std::string::npos);
  EXPECT_NE(inspection->warnings.at(1).find("caveat 3"), std::string::npos);
}

TEST(Token, NoCaveatsMeansUnrestrictedWithAWarning) {
  auto inspection = inspect_token(encode_token("pypi.org", identifier("000000000003"), {}), kNow);
  ASSERT_TRUE(inspection);
  EXPECT_EQ(inspection->scope, "unrestricted");
  EXPECT_NE(inspection->warnings.at(0).find("no scope caveat"), std::string::npos);
}

TEST(Token, MalformedTokensGetClearErrors) {
  const std::string good = encode_token("pypi.org", identifier("00000000001c"), {{"[3,\"" + kUser + "\"]", "", ""}});
  auto error_of = [](const std::string& text) {
    auto result = inspect_token(text, kNow);
    return result ? std::string("(accepted)") : result.error().to_string();
  };
  EXPECT_NE(error_of("").find("no token"), std::string::npos);
  EXPECT_NE(error_of("ghp_abcdef").find("must start with `pypi-`"), std::string::npos);
  EXPECT_NE(error_of("pypi-AgE*cHlw").find("not base64url"), std::string::npos);
  EXPECT_NE(error_of("pypi-AQEIcHlwaS5vcmc").find("version 1 is not 2"), std::string::npos);
  EXPECT_NE(error_of(good.substr(0, good.size() - 10)).find("token:"), std::string::npos);  // truncated signature
  EXPECT_NE(error_of(good.substr(0, 40)).find("token:"), std::string::npos);
  EXPECT_NE(error_of(good + "AAAA").find("token:"), std::string::npos);  // trailing bytes
  // A flipped length byte in the header claims more bytes than exist.
  std::string bytes = moat::testing::encode_macaroon("pypi.org", "id", {});
  bytes[2] = '\x7f';
  EXPECT_NE(error_of("pypi-" + moat::testing::base64url(bytes)).find("claims"), std::string::npos);
  // An unknown field type.
  bytes = moat::testing::encode_macaroon("pypi.org", "id", {});
  bytes[1] = '\x09';
  EXPECT_NE(error_of("pypi-" + moat::testing::base64url(bytes)).find("unknown macaroon field type 9"), std::string::npos);
  // Every error stays free of the token text.
  for (const std::string& bad : {good.substr(0, good.size() - 10), good + "AAAA", good.substr(0, 40)})
    EXPECT_EQ(error_of(bad).find(bad.substr(5, 20)), std::string::npos);
}

TEST(Token, SurroundingWhitespaceIsIgnored) {
  const std::string token = encode_token("pypi.org", identifier("000000000004"), {{R"([1,["a"]])", "", ""}});
  EXPECT_TRUE(inspect_token("  " + token + "\r\n", kNow));
}

TEST(Token, OutputNeverContainsTheTokenOrItsSignature) {
  const std::string token = encode_token("pypi.org", identifier("00000000001c"), {{"[3,\"" + kUser + "\"]", "", ""}});
  auto inspection = inspect_token(token, kNow);
  ASSERT_TRUE(inspection);
  const std::string text = moat::publish::render_token_text(*inspection);
  const std::string json = moat::publish::token_json(*inspection).dump();
  const std::string signature_base64 = token.substr(token.size() - 43);
  for (const std::string& output : {text, json}) {
    EXPECT_EQ(output.find(token.substr(5, 30)), std::string::npos);
    EXPECT_EQ(output.find(signature_base64.substr(0, 16)), std::string::npos);
    EXPECT_EQ(output.find("pypi-Ag"), std::string::npos);
  }
}

TEST(Token, JsonHasTheDocumentedShape) {
  const std::string token = encode_token("pypi.org", identifier("00000000001f"), {{R"([1,["sampleproject"]])", "", ""}});
  auto inspection = inspect_token(token, kNow);
  ASSERT_TRUE(inspection);
  const auto json = moat::publish::token_json(*inspection);
  EXPECT_EQ(json["version"], 1);
  EXPECT_EQ(json["scope"], "projects");
  EXPECT_EQ(json["projects"][0], "sampleproject");
  EXPECT_TRUE(json["expires_at"].is_null());
  EXPECT_EQ(json["caveats"][0]["kind"], "project-names");
  EXPECT_EQ(json["caveats"][0]["value"][0], 1);
  EXPECT_EQ(json["warnings"].size(), 1U);
}

}  // namespace
