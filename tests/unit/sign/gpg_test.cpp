// GPG through GPGME with keys generated in a temporary GNUPGHOME (no network): the round trip and
// every failure verdict. The gpg-agent of that home is killed afterwards.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "moat/sign/gpg.hpp"
#include "moat/util/file.hpp"

namespace {

namespace fs = std::filesystem;
using namespace moat::sign;

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 512> buffer{};
  std::size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), got);
  ::pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string make_home() {
  std::string pattern = (fs::temp_directory_path() / "moat-gpg-XXXXXX").string();
  return ::mkdtemp(pattern.data()) != nullptr ? pattern : std::string();
}

class Gpg : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    home = make_home();
    empty_home = make_home();
    ASSERT_FALSE(home.empty());
    const std::string gpg = "GNUPGHOME='" + home + "' gpg --batch --no-tty --passphrase '' ";
    run(gpg + "--quick-gen-key 'Good <good@example.org>' ed25519 sign 1y");
    run(gpg + "--quick-gen-key 'Revoked <revoked@example.org>' ed25519 sign 1y");
    // Made and used in 2020 with a one-day lifetime: expired now.
    run(gpg + "--faked-system-time 20200101T000000! --quick-gen-key 'Expired <expired@example.org>' ed25519 sign 1d");
    auto fingerprint = [&](const char* email) {
      return run("GNUPGHOME='" + home + "' gpg --batch --with-colons --list-keys " + email +
                 " | awk -F: '/^fpr/ {print $10; exit}'");
    };
    good_fpr = fingerprint("good@example.org");
    revoked_fpr = fingerprint("revoked@example.org");
    expired_fpr = fingerprint("expired@example.org");
  }

  static void TearDownTestSuite() {
    for (const std::string& dir : {home, empty_home}) {
      if (dir.empty()) continue;
      run("GNUPGHOME='" + dir + "' gpgconf --kill all");
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  }

  void SetUp() override {
    ASSERT_EQ(good_fpr.size(), 40U) << "gpg could not generate test keys in " << home;
    ASSERT_EQ(revoked_fpr.size(), 40U);
    ASSERT_EQ(expired_fpr.size(), 40U);
  }

  static GpgSignature only(const moat::Result<std::vector<GpgSignature>>& result) {
    EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().to_string());
    if (!result || result->size() != 1) return {};
    return result->front();
  }

  static inline std::string home, empty_home, good_fpr, revoked_fpr, expired_fpr;
  const std::string data = "release artifact bytes\n";
};

TEST_F(Gpg, RoundTripIsGoodWithTheFullFingerprint) {
  auto signature = gpg_sign_detached(data, good_fpr, home);
  ASSERT_TRUE(signature.has_value()) << signature.error().to_string();
  EXPECT_TRUE(signature->armored.starts_with("-----BEGIN PGP SIGNATURE-----"));
  EXPECT_EQ(signature->fingerprint, good_fpr);
  const GpgSignature verdict = only(gpg_verify_detached(data, signature->armored, home));
  EXPECT_EQ(verdict.verdict, GpgVerdict::Good);
  EXPECT_EQ(verdict.fingerprint, good_fpr);
  EXPECT_TRUE(verdict.key_valid);  // generated keys are ultimately trusted in their own keyring
}

TEST_F(Gpg, TamperedDataIsABadSignature) {
  auto signature = gpg_sign_detached(data, good_fpr, home);
  ASSERT_TRUE(signature.has_value());
  const GpgSignature verdict = only(gpg_verify_detached(data + "x", signature->armored, home));
  EXPECT_EQ(verdict.verdict, GpgVerdict::BadSignature);
  EXPECT_EQ(verdict.fingerprint, good_fpr);  // resolved from the key id
}

TEST_F(Gpg, KeyMissingFromTheKeyringIsUnknown) {
  auto signature = gpg_sign_detached(data, good_fpr, home);
  ASSERT_TRUE(signature.has_value());
  const GpgSignature verdict = only(gpg_verify_detached(data, signature->armored, empty_home));
  EXPECT_EQ(verdict.verdict, GpgVerdict::UnknownKey);
  EXPECT_EQ(verdict.fingerprint, good_fpr);
}

TEST_F(Gpg, ExpiredKey) {
  const fs::path file = fs::path(home) / "expired.txt";
  ASSERT_TRUE(moat::write_file_atomically(file, data).has_value());
  run("GNUPGHOME='" + home + "' gpg --batch --no-tty --faked-system-time 20200101T000100! -u " + expired_fpr +
      " --armor --detach-sign '" + file.string() + "'");
  auto signature = moat::read_file(file.string() + ".asc");
  ASSERT_TRUE(signature.has_value());
  const GpgSignature verdict = only(gpg_verify_detached(data, *signature, home));
  EXPECT_EQ(verdict.verdict, GpgVerdict::ExpiredKey);
  EXPECT_EQ(verdict.fingerprint, expired_fpr);
}

TEST_F(Gpg, RevokedKey) {
  auto signature = gpg_sign_detached(data, revoked_fpr, home);
  ASSERT_TRUE(signature.has_value());
  // gpg stores a revocation certificate at key generation, guarded by a leading ':'.
  const fs::path certificate = fs::path(home) / "openpgp-revocs.d" / (revoked_fpr + ".rev");
  run("sed 's/^:-----BEGIN/-----BEGIN/' '" + certificate.string() + "' | GNUPGHOME='" + home +
      "' gpg --batch --no-tty --import");
  const GpgSignature verdict = only(gpg_verify_detached(data, signature->armored, home));
  EXPECT_EQ(verdict.verdict, GpgVerdict::RevokedKey);
  EXPECT_EQ(verdict.fingerprint, revoked_fpr);
}

TEST_F(Gpg, GarbageIsNotASignature) {
  EXPECT_FALSE(gpg_verify_detached(data, "not a signature", home).has_value());
  EXPECT_FALSE(gpg_sign_detached(data, "nobody@example.org", home).has_value());
}

}  // namespace
