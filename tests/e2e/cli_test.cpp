#include <gtest/gtest.h>

#include "support/run_moat.hpp"

namespace {

using moat::testing::run_moat;

TEST(Cli, VersionNamesTheVersion) {
  auto result = run_moat("--version");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find(std::string("moat ") + MOAT_VERSION), std::string::npos) << result.out;
}

TEST(Cli, UnknownCommandIsAUsageError) {
  auto result = run_moat("frobnicate");
  EXPECT_EQ(result.exit_code, 2) << result.out;
}

TEST(Cli, NoCommandIsAUsageError) {
  auto result = run_moat("");
  EXPECT_EQ(result.exit_code, 2) << result.out;
}

TEST(Cli, HelpListsEveryCommand) {
  auto result = run_moat("--help");
  EXPECT_EQ(result.exit_code, 0);
  for (const char* name : {"scan", "bandit", "audit", "db", "inspect", "verify", "sign", "workflows", "token",
                           "rules", "explain", "debug"})
    EXPECT_NE(result.out.find(name), std::string::npos) << name;
}

}  // namespace
