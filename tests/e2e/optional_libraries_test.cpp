// End-to-end: libarchive, GPGME and libcurl are loaded at run time by the commands that need them,
// not linked, so other commands do not pay for their dependency trees at start-up; and when one
// cannot be loaded, the file that needed it gets a clear error while the rest of the work goes on.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "support/run_moat.hpp"

namespace fs = std::filesystem;

namespace {

using moat::testing::run_captured;

TEST(OptionalLibraries, TheBinaryDoesNotLinkThem) {
  const auto linked = run_captured(std::string("ldd '") + MOAT_BINARY + "'");
  ASSERT_EQ(linked.exit_code, 0) << linked.out;
  ASSERT_NE(linked.out.find("libc.so.6"), std::string::npos) << linked.out;
  for (const char* library : {"libarchive", "libgpgme", "libcurl", "libxml2", "libicu", "libassuan", "libnettle"})
    EXPECT_EQ(linked.out.find(library), std::string::npos) << library << " is linked:\n" << linked.out;
}

/// A directory for LD_LIBRARY_PATH where libarchive.so.13 and libgpgme.so.11 are libcrypto (which
/// moat links anyway): they load, but lack every function moat looks up.
class WrongLibraries : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "moat-e2e-libraries-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_directory = pattern;
    Dl_info info{};
    ASSERT_NE(::dladdr(reinterpret_cast<void*>(&EVP_sha256), &info), 0);
    ASSERT_NE(info.dli_fname, nullptr);
    fs::create_symlink(info.dli_fname, m_directory / "libarchive.so.13");
    fs::create_symlink(info.dli_fname, m_directory / "libgpgme.so.11");
  }
  void TearDown() override { fs::remove_all(m_directory); }

  moat::testing::CommandResult run_moat(const std::string& arguments) const {
    return run_captured(std::string("cd '") + MOAT_SOURCE_DIR + "' && LD_LIBRARY_PATH='" + m_directory.string() +
                        "' '" + MOAT_BINARY + "' " + arguments + " 2>&1");
  }

  fs::path m_directory;
};

TEST_F(WrongLibraries, AnSdistIsAnErrorAndAWheelIsStillInspected) {
  const auto sdist = run_moat("inspect tests/fixtures/dist/leaky-1.0.tar.gz");
  EXPECT_EQ(sdist.exit_code, 2) << sdist.out;
  EXPECT_NE(sdist.out.find("tests/fixtures/dist/leaky-1.0.tar.gz: cannot load libarchive.so.13: it lacks archive_read_new"),
            std::string::npos)
      << sdist.out;
  // The wheel is read by moat's own zip reader, which needs no libarchive: its finding is reported
  // next to the sdist's error.
  const auto both = run_moat("inspect tests/fixtures/dist/leaky-1.0.tar.gz tests/fixtures/dist/tampered-1.0-py3-none-any.whl");
  EXPECT_NE(both.out.find("cannot load libarchive.so.13"), std::string::npos) << both.out;
  EXPECT_NE(both.out.find("tampered/core.py: MOAT-D006"), std::string::npos) << both.out;
  EXPECT_NE(both.out.find("1 input could not be checked."), std::string::npos) << both.out;
}

TEST_F(WrongLibraries, GpgVerificationIsAnError) {
  const fs::path file = m_directory / "pkg-1.0.tar.gz";
  ASSERT_EQ(std::system(("printf 'sdist' > '" + file.string() + "' && printf 'sig' > '" + file.string() + ".asc'").c_str()), 0);
  const auto result = run_moat("verify gpg '" + file.string() + "'");
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_NE(result.out.find("cannot load libgpgme.so.11: it lacks gpgme_check_version_internal"), std::string::npos)
      << result.out;
}

}  // namespace
