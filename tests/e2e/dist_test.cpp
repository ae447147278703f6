// End-to-end: `moat inspect` on real distributions (../shared) and on the fixtures of tests/fixtures/dist.
#include <gtest/gtest.h>

#include "support/run_moat.hpp"
#include "support/shared_data.hpp"

namespace {

using moat::testing::run_moat;

std::string shared(const std::string& relative) {
  return "'" + (moat::testing::shared_data_dir() / "data/sigstore" / relative).string() + "'";
}

TEST(Inspect, RealWheelAndSdistInspectClean) {
  MOAT_REQUIRE_SHARED_DATA();
  // The artifact checks are clean; the code checks (B codes) do find the sdist's test asserts.
  const auto result = run_moat("inspect --ignore B " + shared("pypi-attestations/rfc8785-0.1.2-py3-none-any.whl") +
                               " " + shared("pypi-attestations/pypi_attestations-0.0.19.tar.gz"));
  EXPECT_EQ(result.exit_code, 0) << result.out;
  const auto with_code = run_moat("inspect " + shared("pypi-attestations/pypi_attestations-0.0.19.tar.gz"));
  EXPECT_NE(with_code.out.find("!/pypi_attestations-0.0.19/test/test_init.py:8:5: B101"), std::string::npos)
      << with_code.out;
  EXPECT_NE(result.out.find("name: rfc8785 0.1.2"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("RECORD: 7 rows, 6 verified, 0 problems"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("name: pypi-attestations 0.0.19"), std::string::npos) << result.out;
}

TEST(Inspect, RealCondaPackageInspectsClean) {
  MOAT_REQUIRE_SHARED_DATA();
  const auto result = run_moat("inspect --format json " + shared("sigstore-rust/bundles/signed-package-2.1.0-hb0f4dca_0.conda"));
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("\"subdir\""), std::string::npos) << result.out;
}

TEST(Inspect, TamperedWheelIsARecordMismatch) {
  const auto result = run_moat("inspect tests/fixtures/dist/tampered-1.0-py3-none-any.whl");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.out.find("MOAT-D006"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("tampered-1.0-py3-none-any.whl!/tampered/core.py"), std::string::npos) << result.out;
}

TEST(Inspect, BombIsAFindingNotACrash) {
  const auto result = run_moat("inspect --format json tests/fixtures/dist/bomb-1.0-py3-none-any.whl");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.out.find("MOAT-A001"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("compression ratio"), std::string::npos) << result.out;
}

TEST(Inspect, LimitsAreConfigurable) {
  const auto raised = run_moat("inspect --max-ratio 5000 --select MOAT-A tests/fixtures/dist/bomb-1.0-py3-none-any.whl");
  EXPECT_EQ(raised.exit_code, 0) << raised.out;
  const auto lowered = run_moat("inspect --max-entries 2 --select MOAT-A tests/fixtures/dist/tampered-1.0-py3-none-any.whl");
  EXPECT_EQ(lowered.exit_code, 1) << lowered.out;
  EXPECT_NE(lowered.out.find("more than 2 entries"), std::string::npos) << lowered.out;
}

TEST(Inspect, SdistSecretsAndUnwantedFilesAreMasked) {
  const auto result = run_moat("inspect --format json tests/fixtures/dist/leaky-1.0.tar.gz");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.out.find("MOAT-S003"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("MOAT-SEC009"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("leaky-1.0.tar.gz!/leaky-1.0/leaky/config.py"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\"secret\""), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("LxR9vTz4mWc7bN1"), std::string::npos) << "the secret must be masked:\n" << result.out;
}

TEST(Inspect, DirectoryOfArtifacts) {
  const auto result = run_moat("inspect --select MOAT-D006,MOAT-A001,MOAT-S003 tests/fixtures/dist");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  for (const char* rule : {"MOAT-D006", "MOAT-A001", "MOAT-S003"})
    EXPECT_NE(result.out.find(rule), std::string::npos) << rule << "\n" << result.out;
}

TEST(Inspect, BadInputsExitTwo) {
  EXPECT_EQ(run_moat("inspect /nonexistent/x.whl").exit_code, 2);
  EXPECT_EQ(run_moat("inspect tests/fixtures/dist/make_fixtures.py").exit_code, 2);
  EXPECT_EQ(run_moat("inspect").exit_code, 2);
}

}  // namespace
