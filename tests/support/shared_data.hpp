#pragma once
// Locates ../shared (real-world test data beside the checkout). Tests that need it call
// MOAT_REQUIRE_SHARED_DATA() first, which skips with a clear message when it is absent.
#include <cstdlib>
#include <filesystem>

namespace moat::testing {

/// $MOAT_SHARED_DIR if set, else <source dir>/../shared.
inline std::filesystem::path shared_data_dir() {
  if (const char* override_dir = std::getenv("MOAT_SHARED_DIR"); override_dir != nullptr && *override_dir != '\0')
    return override_dir;
  return std::filesystem::path(MOAT_SOURCE_DIR).parent_path() / "shared";
}

inline bool shared_data_present() { return std::filesystem::is_directory(shared_data_dir() / "data"); }

}  // namespace moat::testing

#define MOAT_REQUIRE_SHARED_DATA()                                                                   \
  do {                                                                                               \
    if (!::moat::testing::shared_data_present())                                                     \
      GTEST_SKIP() << "../shared is absent (looked in " << ::moat::testing::shared_data_dir()        \
                   << "); this test needs the real-world data set there";                            \
  } while (false)
