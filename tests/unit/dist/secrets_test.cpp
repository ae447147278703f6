#include <gtest/gtest.h>

#include "moat/dist/secrets.hpp"

namespace {

using namespace moat::dist;

// trust.md §7.2: the user-scoped synthetic token, assembled at test time so no file holds it whole.
std::string user_token() {
  return std::string("pypi-") + "AgEIcHlwaS5vcmcCJDAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAxYwACKl" +
         "szLCIwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDEiXQAABiD5tOLBO6sf" + "lUwx3GNhNTtv_mMaytCBKeuIwJgktTnUTA";
}

std::string trusted_publishing_token() {
  return std::string("pypi-") + "AgEIcHlwaS5vcmcCJDAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAyMwACKl" +
         "s0LCIwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwYmIiXQACLFsyLFsiMDAw" +
         "MDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMGFhIl1dAAIZWzAsMTcwMDAwMDkwMC" + "wxNzAwMDAwMDAwXQAABiBhbPVbYf9xlHSXILSnV67hNmYyvZ4fbXndpOr_9ymqVA";
}

TEST(Secrets, PyPITokensAreDecodedAsMacaroons) {
  const auto user = decode_pypi_token(user_token());
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->location, "pypi.org");
  EXPECT_EQ(user->identifier, "00000000-0000-0000-0000-00000000001c");
  ASSERT_EQ(user->caveats.size(), 1u);
  EXPECT_EQ(user->caveats[0].identifier, R"([3,"00000000-0000-4000-8000-000000000001"])");
  const auto publishing = decode_pypi_token(trusted_publishing_token());
  ASSERT_TRUE(publishing.has_value());
  EXPECT_EQ(publishing->caveats.size(), 3u);
  std::string broken = user_token();
  broken.resize(broken.size() - 10);
  EXPECT_FALSE(decode_pypi_token(broken).has_value());
  EXPECT_FALSE(decode_pypi_token("pypi-" + std::string(90, 'A')).has_value());
}

TEST(Secrets, PyPITokenInCodeIsFoundAndMasked) {
  const std::string text = "import os\nTWINE_PASSWORD = \"" + user_token() + "\"\n";
  const auto findings = scan_secrets("pkg/settings.py", text);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, "MOAT-SEC001");
  EXPECT_EQ(findings[0].category, moat::Category::secret);
  EXPECT_EQ(findings[0].location.line, 2);
  EXPECT_EQ(findings[0].location.column, 18);
  EXPECT_EQ(findings[0].snippet.find(user_token().substr(10)), std::string::npos);
  EXPECT_EQ(findings[0].message.find(user_token().substr(10)), std::string::npos);
  EXPECT_NE(findings[0].snippet.find("pypi-********"), std::string::npos) << findings[0].snippet;
  // pypi- followed by base64 that is not a macaroon is not reported.
  EXPECT_TRUE(scan_secrets("x", "token = pypi-" + std::string(80, 'B') + "\n").empty());
}

TEST(Secrets, ProviderTokens) {
  const std::string github = "ghp_" + std::string("aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A");
  const std::string gitlab = "glpat-" + std::string("Xy1Zw2Vu3Ts4Rq5Po6Nm");
  const std::string aws = std::string("AKIA") + "Q3EGRAD4Z6YWPT2L";
  const std::string google = std::string("AIza") + "SyD3kX9vB2mQ7rT1wE5yU8iO0pA4sF6gH2j";
  const std::string slack = std::string("xoxb-") + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
  const std::string text = "a = '" + github + "'\nb = '" + gitlab + "'\nc = '" + aws + "'\nd = '" + google + "'\ne = '" + slack + "'\n";
  const auto matches = find_secrets(text);
  std::vector<std::string> rules;
  for (const auto& match : matches) rules.emplace_back(match.rule_id);
  EXPECT_EQ(rules, (std::vector<std::string>{"MOAT-SEC002", "MOAT-SEC003", "MOAT-SEC004", "MOAT-SEC005", "MOAT-SEC007"}));
  EXPECT_EQ(matches[2].line, 3);
}

TEST(Secrets, PrivateKeysNeedKeyMaterial) {
  const std::string header = std::string("-----BEGIN RSA ") + "PRIVATE KEY-----";
  const std::string key = header + "\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi7Z3FLpYmRXxLkRWzdoPoVUaI1\n-----END RSA PRIVATE KEY-----\n";
  const auto findings = scan_secrets("id_rsa", key);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, "MOAT-SEC008");
  EXPECT_EQ(findings[0].snippet.find("MIIE"), std::string::npos);
  // Code that only recognises the header (as paramiko and cryptography do) is not a key.
  EXPECT_TRUE(scan_secrets("x.py", "if line.startswith('" + header + "'):\n    pass\n").empty());
  // A key embedded in a JSON string (service-account files) is found.
  EXPECT_EQ(scan_secrets("k.json", "{\"private_key\": \"" + header + "\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n\"}").size(), 1u);
}

TEST(Secrets, HighEntropyAssignments) {
  EXPECT_EQ(scan_secrets("c.py", "API_KEY = \"f8Jq2LxR9vTz4mWc7bN1\"\n").size(), 1u);
  EXPECT_EQ(scan_secrets("c.yaml", "db_password: 'Zx8#kq2LmP9v!rT4wY'\n").size(), 1u);
  EXPECT_TRUE(scan_secrets("c.py", "password = \"your-password-here\"\n").empty());
  EXPECT_TRUE(scan_secrets("c.py", "token = \"access_token_expired\"\n").empty());
  EXPECT_TRUE(scan_secrets("c.py", "SECRET_KEY = os.environ[\"SECRET_KEY\"]\n").empty());
  EXPECT_TRUE(scan_secrets("c.py", "api_key = \"${API_KEY_FROM_ENVIRONMENT}\"\n").empty());
}

TEST(Secrets, BinaryDataIsSkipped) {
  std::string data = "API_KEY = \"f8Jq2LxR9vTz4mWc7bN1\"\n";
  data.push_back('\0');
  EXPECT_TRUE(scan_secrets("x.bin", data).empty());
}

}  // namespace

namespace {

TEST(Secrets, SampleLocationsAndNonCredentialNamesAreQuieter) {
  const std::string line = "API_KEY = \"f8Jq2LxR9vTz4mWc7bN1\"\n";
  const auto sample = moat::dist::scan_secrets("x.whl!/pkg/tests/test_config.py", line);
  ASSERT_EQ(sample.size(), 1u);
  EXPECT_EQ(sample[0].confidence, moat::Confidence::low);
  const auto real = moat::dist::scan_secrets("tests/x.whl!/pkg/config.py", line);
  ASSERT_EQ(real.size(), 1u);
  EXPECT_EQ(real[0].confidence, moat::Confidence::medium);
  EXPECT_TRUE(moat::dist::scan_secrets("a.json", "\"NextToken\": \"eyJ0b2tlbiI6IDQyfQ7xZ\"\n").empty());
  EXPECT_TRUE(moat::dist::scan_secrets("a.json", "\"ChangeToken\": \"abcd12345-af48-4ee3-9e9f-a3b3e2e1b2c1\"\n").empty());
}

}  // namespace
