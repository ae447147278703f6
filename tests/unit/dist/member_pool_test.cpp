#include "moat/dist/member_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <stdexcept>
#include <string>
#include <thread>

namespace moat::dist {
namespace {

TEST(MemberPool, ResultsLandInTheirSlotsInSubmissionOrder) {
  for (const unsigned workers : {1u, 2u, 4u}) {
    std::deque<std::string> slots;
    MemberPool pool(workers, 1 << 20);
    for (int i = 0; i < 200; ++i) {
      auto& slot = slots.emplace_back();
      // Early members take longest, so workers finish out of order.
      pool.submit(std::to_string(i), [&slot, i](std::string_view data) {
        if (i < 4) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        slot = "member " + std::string(data);
      });
    }
    pool.wait();
    ASSERT_EQ(slots.size(), 200u);
    for (int i = 0; i < 200; ++i) EXPECT_EQ(slots[static_cast<std::size_t>(i)], "member " + std::to_string(i)) << workers;
  }
}

TEST(MemberPool, WorkSeesACopyOfTheMember) {
  std::string seen;
  MemberPool pool(2, 1 << 20);
  std::string member = "original";
  pool.submit(member, [&seen](std::string_view data) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    seen = data;
  });
  member = "reused by the reader";  // the reader's buffer is overwritten by the next member
  pool.wait();
  EXPECT_EQ(seen, "original");
}

TEST(MemberPool, QueuedBytesStayWithinTheLimit) {
  constexpr std::uint64_t kLimit = 10'000;
  std::atomic<std::uint64_t> in_flight{0};
  std::atomic<std::uint64_t> most{0};
  MemberPool pool(2, kLimit);
  const std::string member(3'000, 'x');
  for (int i = 0; i < 50; ++i)
    pool.submit(member, [&](std::string_view data) {
      const auto now = in_flight += data.size();
      for (auto seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      in_flight -= data.size();
    });
  pool.wait();
  EXPECT_GT(most.load(), 0u);
  EXPECT_LE(most.load(), kLimit);
}

TEST(MemberPool, AMemberLargerThanTheLimitStillGoesThrough) {
  MemberPool pool(2, 100);
  std::size_t seen = 0;
  pool.submit(std::string(1'000, 'x'), [&seen](std::string_view data) { seen = data.size(); });
  pool.wait();
  EXPECT_EQ(seen, 1'000u);
}

TEST(MemberPool, WaitCoversEmptyMembers) {
  std::atomic<int> done{0};
  MemberPool pool(2, 1 << 20);
  for (int i = 0; i < 20; ++i)
    pool.submit({}, [&done](std::string_view) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      ++done;
    });
  pool.wait();
  EXPECT_EQ(done.load(), 20);
}

TEST(MemberPool, WaitRethrowsWhatAWorkThrew) {
  MemberPool pool(2, 1 << 20);
  pool.submit("x", [](std::string_view) { throw std::runtime_error("work failed"); });
  EXPECT_THROW(pool.wait(), std::runtime_error);
  pool.submit("y", [](std::string_view) {});
  EXPECT_NO_THROW(pool.wait());
}

}  // namespace
}  // namespace moat::dist
