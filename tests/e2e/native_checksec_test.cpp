// Done-when 3: moat's hardening results agree with Debian's checksec on at least 100 of the
// machine's shared libraries (scripts/compare_checksec.py does the comparison and prints every
// difference). Skipped where checksec (apt package `checksec`) is not installed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "support/run_moat.hpp"

namespace {

TEST(NativeChecksec, HardeningAgreesWithChecksecOnDebianLibraries) {
  if (std::system("command -v checksec >/dev/null 2>&1") != 0) GTEST_SKIP() << "checksec is not installed (apt-get install checksec)";
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "python3 is not installed";
  if (!std::filesystem::is_directory("/usr/lib/x86_64-linux-gnu")) GTEST_SKIP() << "no /usr/lib/x86_64-linux-gnu";
  const std::string command = std::string("python3 '") + MOAT_SOURCE_DIR + "/scripts/compare_checksec.py' --moat '" + MOAT_BINARY +
                              "' --count 110 --min 100 > /dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0) << "fewer than 100 libraries agree; run " << command.substr(0, command.size() - 12)
                                              << " --verbose";
}

}  // namespace
