// keep_until_exit: what it keeps is moved out of the caller's object and never destroyed.
#include "moat/util/keep_until_exit.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

int destroyed_with_contents = 0;

struct Tracked {
  explicit Tracked(std::vector<std::string> kept) : contents(std::move(kept)) {}
  Tracked(Tracked&&) = default;  // a moved-from Tracked holds nothing
  Tracked(const Tracked&) = default;
  Tracked& operator=(Tracked&&) = default;
  Tracked& operator=(const Tracked&) = default;
  std::vector<std::string> contents;
  ~Tracked() {
    if (!contents.empty()) ++destroyed_with_contents;
  }
};

TEST(KeepUntilExit, MovesTheValueAndNeverDestroysIt) {
  {
    Tracked result(std::vector<std::string>{"finding", "another"});
    moat::keep_until_exit(std::move(result));
  }
  // Only the kept value still holds the contents, and it was not destroyed (the moved-from
  // original was, empty).
  EXPECT_EQ(destroyed_with_contents, 0);
}

}  // namespace
