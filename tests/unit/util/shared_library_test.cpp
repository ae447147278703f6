// The run-time loading of optional libraries: binding by name, and the errors users see when a
// library or one of its functions is missing.
#include "moat/util/shared_library.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace {

TEST(SharedLibrary, MissingLibraryIsAnErrorNamingIt) {
  const auto library = moat::SharedLibrary::open("libmoat-no-such-library.so.0");
  ASSERT_FALSE(library.has_value());
  const std::string message = library.error().to_string();
  EXPECT_TRUE(message.starts_with("cannot load libmoat-no-such-library.so.0: ")) << message;
  EXPECT_NE(message.find("No such file"), std::string::npos) << message;
  EXPECT_EQ(message.find("libmoat-no-such-library.so.0", 13), std::string::npos) << "named twice: " << message;
}

TEST(SharedLibrary, BindsFunctionsByName) {
  auto library = moat::SharedLibrary::open("libc.so.6");
  ASSERT_TRUE(library.has_value()) << library.error().to_string();
  decltype(&std::strlen) length = nullptr;
  library->bind(length, "strlen");
  ASSERT_TRUE(library->complete("glibc").has_value());
  ASSERT_NE(length, nullptr);
  EXPECT_EQ(length("moat"), 4U);
}

TEST(SharedLibrary, MissingFunctionsAreAnErrorNamingTheFirst) {
  auto library = moat::SharedLibrary::open("libc.so.6");
  ASSERT_TRUE(library.has_value()) << library.error().to_string();
  decltype(&std::strlen) length = nullptr;
  decltype(&std::strlen) missing = nullptr;
  decltype(&std::strlen) also_missing = nullptr;
  library->bind(length, "strlen");
  library->bind(missing, "moat_no_such_function");
  library->bind(also_missing, "moat_no_such_function_either");
  EXPECT_EQ(missing, nullptr);
  const auto complete = library->complete("glibc 2.36");
  ASSERT_FALSE(complete.has_value());
  EXPECT_EQ(complete.error().to_string(),
            "cannot load libc.so.6: it lacks moat_no_such_function and 1 more functions moat needs (moat requires glibc 2.36)");
}

}  // namespace
