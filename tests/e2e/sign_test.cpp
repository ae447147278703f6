// moat verify / moat sign through the real binary: exit codes 0 verified, 1 not verified (reason
// first on stderr), 2 usage or input error.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/run_moat.hpp"
#include "support/shared_data.hpp"

namespace {

namespace fs = std::filesystem;
using moat::testing::run_moat;

std::string data(const std::string& relative) {
  return "'" + (moat::testing::shared_data_dir() / "data/sigstore" / relative).string() + "'";
}

constexpr const char* kGitHubIdentity =
    "--identity https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2 "
    "--issuer https://token.actions.githubusercontent.com";

TEST(VerifySigstore, RealBundleVerifies) {
  MOAT_REQUIRE_SHARED_DATA();
  auto result = run_moat("verify sigstore " + data("sigstore-python/assets/bundle_v3_github.whl") + " " + kGitHubIdentity);
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_TRUE(result.out.starts_with("verified: ")) << result.out;
}

TEST(VerifySigstore, ByDigestAndWithAnExplicitBundle) {
  MOAT_REQUIRE_SHARED_DATA();
  auto result = run_moat("verify sigstore sha256:c4e92e9ecc828bef2aa7dba1de8ac983511f7532a0df11c770d39099a25cf201 --bundle " +
                         data("sigstore-python/assets/bundle_v3_github.whl.sigstore") + " " + kGitHubIdentity);
  EXPECT_EQ(result.exit_code, 0) << result.out;
}

TEST(VerifySigstore, WrongIdentityIsNotVerifiedWithTheReasonFirst) {
  MOAT_REQUIRE_SHARED_DATA();
  auto result = run_moat("verify sigstore " + data("sigstore-python/assets/bundle_v3_github.whl") +
                         " --identity someone@example.org --issuer https://token.actions.githubusercontent.com");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_TRUE(result.out.starts_with("not verified: ")) << result.out;
  EXPECT_NE(result.out.find("identity"), std::string::npos) << result.out;
}

TEST(VerifySigstore, InvalidBundlesAreNotVerified) {
  MOAT_REQUIRE_SHARED_DATA();
  for (const char* name : {"bundle_cve_2022_36056.txt", "bundle_invalid_version.txt", "bundle_no_log_entry.txt"}) {
    auto result = run_moat(std::string("verify sigstore --staging --identity a@tny.town --issuer https://github.com/login/oauth ") +
                           data(std::string("sigstore-python/assets/") + name) + " --bundle " +
                           data(std::string("sigstore-python/assets/") + name + ".sigstore"));
    EXPECT_EQ(result.exit_code, 1) << name << ": " << result.out;
  }
}

TEST(VerifySigstore, UsageAndInputErrorsExitTwo) {
  EXPECT_EQ(run_moat("verify sigstore README.md").exit_code, 2);  // no identity or key
  EXPECT_EQ(run_moat("verify sigstore /nonexistent --identity a --issuer b").exit_code, 2);
  EXPECT_EQ(run_moat("verify sigstore sha256:zz --identity a --issuer b --bundle x").exit_code, 2);
  EXPECT_EQ(run_moat("verify").exit_code, 2);
}

TEST(VerifyAttestation, ProvenanceAndPublisherPolicy) {
  MOAT_REQUIRE_SHARED_DATA();
  const std::string dist = data("pypi-attestations/pypi_attestations-0.0.19.tar.gz");
  auto provenance = run_moat("verify attestation " + dist + " --provenance " +
                             data("pypi-attestations/pypi_attestations-0.0.19.tar.gz.provenance") +
                             " --publisher github:trailofbits/pypi-attestations/release.yml");
  EXPECT_EQ(provenance.exit_code, 0) << provenance.out;
  auto discovered = run_moat("verify attestation " + dist + " --publisher github:trailofbits/pypi-attestations/release.yml");
  EXPECT_EQ(discovered.exit_code, 0) << discovered.out;
  EXPECT_NE(discovered.out.find("https://slsa.dev/provenance/v1"), std::string::npos) << discovered.out;
  auto wrong = run_moat("verify attestation " + dist + " --publisher github:trailofbits/pypi-attestations/wrong.yml");
  EXPECT_EQ(wrong.exit_code, 1) << wrong.out;
  EXPECT_TRUE(wrong.out.starts_with("not verified: ")) << wrong.out;
  auto other = run_moat("verify attestation " + dist + " --provenance " +
                        data("pypi-attestations/pypi_attestations-0.0.19.tar.gz.provenance") + " --publisher github:evil/repo");
  EXPECT_EQ(other.exit_code, 1) << other.out;
  EXPECT_EQ(run_moat("verify attestation " + dist).exit_code, 2) << "no policy is a usage error";
  EXPECT_EQ(run_moat("verify attestation " + dist + " --publisher activestate:org/proj").exit_code, 2);
}

TEST(VerifyAttestation, StagingAttestationOnlyWithStaging) {
  MOAT_REQUIRE_SHARED_DATA();
  const std::string args = "verify attestation " + data("pypi-attestations/rfc8785-0.1.2-py3-none-any.whl") +
                           " --attestation " + data("pypi-attestations/rfc8785-0.1.2-py3-none-any.whl.attestation") +
                           " --identity william@yossarian.net --issuer https://github.com/login/oauth";
  EXPECT_EQ(run_moat(args + " --staging").exit_code, 0);
  EXPECT_EQ(run_moat(args).exit_code, 1);
}

// sigstore-conformance (commit a73de49) bundle-verify cases, when $MOAT_CONFORMANCE_DIR points at its
// test/assets/bundle-verify directory (the suite is not part of ../shared).
TEST(SigstoreConformance, BundleVerifyCases) {
  const char* suite_dir = std::getenv("MOAT_CONFORMANCE_DIR");
  if (suite_dir == nullptr || !fs::is_directory(suite_dir))
    GTEST_SKIP() << "set MOAT_CONFORMANCE_DIR to sigstore-conformance/test/assets/bundle-verify to run the suite";
  const fs::path suite = suite_dir;
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(suite)) {
    if (!entry.is_directory()) continue;
    const fs::path dir = entry.path();
    const std::string name = dir.filename().string();
    auto read = [&dir](const char* file, std::string fallback) {
      std::string text;
      if (FILE* handle = std::fopen((dir / file).c_str(), "r"); handle != nullptr) {
        char buffer[1024];
        std::size_t got = 0;
        while ((got = std::fread(buffer, 1, sizeof buffer, handle)) > 0) text.append(buffer, got);
        std::fclose(handle);
        while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
        return text;
      }
      return fallback;
    };
    std::string args = "verify sigstore '" + (fs::exists(dir / "artifact") ? dir / "artifact" : suite / "a.txt").string() +
                       "' --bundle '" + (dir / "bundle.sigstore.json").string() + "'";
    if (fs::exists(dir / "key.pub")) {
      args += " --key '" + (dir / "key.pub").string() + "'";
    } else {
      args += " --identity '" +
              read("identity", "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
                               ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main") +
              "' --issuer '" + read("issuer", "https://token.actions.githubusercontent.com") + "'";
    }
    if (fs::exists(dir / "trusted_root.json")) args += " --trusted-root '" + (dir / "trusted_root.json").string() + "'";
    auto result = run_moat(args);
    if (name.ends_with("_fail"))
      EXPECT_NE(result.exit_code, 0) << name << ": " << result.out;
    else
      EXPECT_EQ(result.exit_code, 0) << name << ": " << result.out;
    ++cases;
  }
  EXPECT_GT(cases, 60);
}

TEST(Verify, RecordOfARealWheelVerifies) {
  MOAT_REQUIRE_SHARED_DATA();
  const auto wheel = moat::testing::shared_data_dir() / "data/sigstore/pypi-attestations/rfc8785-0.1.2-py3-none-any.whl";
  auto result = run_moat("verify record '" + wheel.string() + "'");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("verified: "), std::string::npos) << result.out;
}

TEST(Verify, TamperedRecordIsNotVerified) {
  auto result = run_moat("verify record tests/fixtures/dist/tampered-1.0-py3-none-any.whl");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_TRUE(result.out.starts_with("not verified: ")) << result.out;
  EXPECT_EQ(run_moat("verify record does-not-exist.whl").exit_code, 2);
}

TEST(Verify, CondaPathsJsonOfARealPackageVerifies) {
  MOAT_REQUIRE_SHARED_DATA();
  const auto package =
      moat::testing::shared_data_dir() / "data/sigstore/sigstore-rust/bundles/signed-package-2.1.0-hb0f4dca_0.conda";
  auto result = run_moat("verify conda '" + package.string() + "'");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(run_moat("verify conda tests/fixtures/dist/leaky-1.0.tar.gz").exit_code, 2);
}

TEST(SignAndVerifyGpg, RoundTripThroughTheBinary) {
  std::string pattern = (fs::temp_directory_path() / "moat-e2e-gpg-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  const fs::path home = pattern;
  fs::create_directories(home / "dist");
  ::setenv("GNUPGHOME", home.c_str(), 1);
  ASSERT_EQ(std::system("gpg --batch --no-tty --passphrase '' --quick-gen-key 'E2E <e2e@example.org>' ed25519 sign 1y "
                        ">/dev/null 2>&1"),
            0);
  const std::string file = (home / "dist" / "pkg-1.0.tar.gz").string();
  ASSERT_EQ(std::system(("printf 'sdist' > '" + file + "'").c_str()), 0);

  auto signed_result = run_moat("sign '" + file + "' --key e2e@example.org");
  EXPECT_EQ(signed_result.exit_code, 0) << signed_result.out;
  EXPECT_TRUE(fs::exists(file + ".asc"));
  EXPECT_TRUE(fs::exists(home / "dist" / "SHA256SUMS"));
  EXPECT_TRUE(fs::exists(home / "dist" / "SHA256SUMS.asc"));
  EXPECT_EQ(std::system(("cd '" + (home / "dist").string() + "' && sha256sum --quiet -c SHA256SUMS").c_str()), 0);

  auto good = run_moat("verify gpg '" + file + "'");
  EXPECT_EQ(good.exit_code, 0) << good.out;
  auto sums = run_moat("verify gpg '" + (home / "dist" / "SHA256SUMS").string() + "'");
  EXPECT_EQ(sums.exit_code, 0) << sums.out;
  auto pinned_wrong = run_moat("verify gpg '" + file + "' --fingerprint 0123456789ABCDEF0123456789ABCDEF01234567");
  EXPECT_EQ(pinned_wrong.exit_code, 1) << pinned_wrong.out;
  ASSERT_EQ(std::system(("printf 'x' >> '" + file + "'").c_str()), 0);
  auto bad = run_moat("verify gpg '" + file + "'");
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  EXPECT_TRUE(bad.out.starts_with("not verified: ")) << bad.out;
  EXPECT_NE(bad.out.find("bad signature"), std::string::npos) << bad.out;
  EXPECT_EQ(run_moat("verify gpg '" + file + "' --signature /nonexistent.asc").exit_code, 2);

  std::system("gpgconf --kill all >/dev/null 2>&1");
  ::unsetenv("GNUPGHOME");
  fs::remove_all(home);
}

}  // namespace
