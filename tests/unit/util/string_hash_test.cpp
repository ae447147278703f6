#include "moat/util/string_hash.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

TEST(NameShapes, NeverRulesOutANameItHolds) {
  moat::NameShapes shapes;
  std::vector<std::string> names{"subprocess.Popen", "os.system", "x", "__import__", std::string(100, 'a') + "z"};
  for (const std::string& name : names) shapes.add(name);
  for (const std::string& name : names) EXPECT_TRUE(shapes.may_contain(name)) << name;
  EXPECT_FALSE(shapes.may_contain(""));
}

TEST(NameShapes, RulesOutOtherShapes) {
  moat::NameShapes shapes;
  shapes.add("subprocess.Popen");
  shapes.add("os.system");
  EXPECT_FALSE(shapes.may_contain("self.assertEqual"));  // first byte and length of one, last byte of neither
  EXPECT_FALSE(shapes.may_contain("subprocess.Pope"));   // shorter
  EXPECT_FALSE(shapes.may_contain("xubprocess.Popen"));  // other first byte
  EXPECT_FALSE(shapes.may_contain("os.systex"));         // other last byte
  EXPECT_TRUE(shapes.may_contain("sxxxxxxxxxxxxxxn"));   // a shape match is only a "maybe"
}

}  // namespace
