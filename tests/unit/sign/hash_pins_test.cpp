#include <gtest/gtest.h>

#include <filesystem>

#include "moat/sign/crypto.hpp"
#include "moat/sign/hash_pins.hpp"
#include "moat/util/file.hpp"

namespace {

namespace fs = std::filesystem;
using namespace moat::sign;

class HashPins : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("moat-hashes-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir / "dist");
    write("dist/demo_pkg-1.0-py3-none-any.whl", "wheel bytes");
    write("dist/demo_pkg-1.0.tar.gz", "sdist bytes");
    write("dist/demo_pkg-1.0.tar.gz.asc", "not a distribution");
  }
  void TearDown() override { fs::remove_all(dir); }

  void write(const std::string& relative, const std::string& content) {
    ASSERT_TRUE(moat::write_file_atomically(dir / relative, content).has_value());
  }
  static std::string sha(const std::string& content) { return hex_encode(as_bytes(sha256(content))); }

  HashCheck check(const std::string& requirements) {
    write("requirements.txt", requirements);
    auto pins = read_hash_pins(dir / "requirements.txt");
    EXPECT_TRUE(pins.has_value()) << (pins ? "" : pins.error().to_string());
    auto result = check_hash_pins(pins ? *pins : std::vector<HashPin>{}, dir / "dist");
    EXPECT_TRUE(result.has_value());
    return result ? *result : HashCheck{};
  }

  fs::path dir;
};

TEST_F(HashPins, EveryFileMatchesOneOfItsPins) {
  const HashCheck result = check("Demo.Pkg == 1.0.0 \\\n  --hash=sha256:" + sha("wheel bytes") +
                                 " \\\n  --hash sha256:" + sha("sdist bytes") + "  # both files\n");
  EXPECT_TRUE(result.problems.empty()) << result.problems.front().to_string();
  EXPECT_EQ(result.verified.size(), 2U);
}

TEST_F(HashPins, MismatchUnpinnedAndMissingAreReported) {
  write("dist/other-2.0-py3-none-any.whl", "other");
  const HashCheck result = check("demo-pkg==1.0 --hash=sha256:" + sha("wheel bytes") +
                                 "\nabsent==3.0 --hash=sha256:" + sha("x") + "\nloose>=1\n");
  std::string all;
  for (const auto& problem : result.problems) all += problem.to_string() + "\n";
  EXPECT_NE(all.find("demo_pkg-1.0.tar.gz: sha256 " + sha("sdist bytes") + " matches none"), std::string::npos) << all;
  EXPECT_NE(all.find("no requirement pins other"), std::string::npos) << all;
  EXPECT_NE(all.find("absent==3 has no distribution file"), std::string::npos) << all;
  EXPECT_NE(all.find("requirements.txt:3: loose has no --hash"), std::string::npos) << all;
  EXPECT_EQ(result.verified.size(), 1U);
}

TEST_F(HashPins, VersionOtherThanThePinFails) {
  const HashCheck result = check("demo-pkg==2.0 --hash=sha256:" + sha("wheel bytes") + "\n");
  ASSERT_FALSE(result.problems.empty());
  EXPECT_NE(result.problems.front().message.find("is not the pinned ==2"), std::string::npos);
}

TEST_F(HashPins, IncludesAndStrongerHashesWork) {
  write("base.txt", "demo-pkg==1.0 --hash=sha512:" + hex_encode(digest_by_name("sha512", "wheel bytes")) +
                        " --hash=sha256:" + sha("sdist bytes") + "\n");
  const HashCheck result = check("-r base.txt\n--index-url https://example.org/simple\n");
  EXPECT_TRUE(result.problems.empty()) << result.problems.front().to_string();
  EXPECT_EQ(result.verified.size(), 2U);
}

TEST_F(HashPins, WeakAlgorithmsAndEditablesAreRefused) {
  const HashCheck weak = check("demo-pkg==1.0 --hash=md5:00 --hash=sha256:" + sha("wheel bytes") +
                               " --hash=sha256:" + sha("sdist bytes") + "\n");
  ASSERT_EQ(weak.problems.size(), 1U);
  EXPECT_NE(weak.problems.front().message.find("md5"), std::string::npos);
  write("requirements.txt", "-e .\n");
  EXPECT_FALSE(read_hash_pins(dir / "requirements.txt").has_value());
  write("requirements.txt", "-r requirements.txt\n");
  EXPECT_FALSE(read_hash_pins(dir / "requirements.txt").has_value());  // self-include stops at the depth limit
}

}  // namespace
