#pragma once
// Work that finds more work (a directory tree walk: each directory listed gives its subdirectories)
// shared by a few threads: a stack of items, newest first, so a tree is walked depth-first and only
// the current branches' siblings wait.
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace moat {

/// Calls `work(std::move(item), more)` for every item of `stack` and every item a call appends to
/// `more` (a vector it gets empty), on `jobs` threads (0: one per core): the calling thread plus
/// jobs-1 workers. Returns once every item is done. Calls run concurrently; `work` must not throw.
template <typename Item, typename Work>
void drain_work_stack(std::vector<Item> stack, unsigned jobs, const Work& work) {
  std::mutex mutex;
  std::condition_variable changed;
  unsigned busy = 0;  // items being worked on, each of which may still add more
  const auto drain = [&] {
    std::vector<Item> more;
    std::unique_lock lock(mutex);
    for (;;) {
      changed.wait(lock, [&] { return !stack.empty() || busy == 0; });
      if (stack.empty()) return;
      Item item = std::move(stack.back());
      stack.pop_back();
      ++busy;
      lock.unlock();
      work(std::move(item), more);
      lock.lock();
      for (Item& added : more) stack.push_back(std::move(added));
      --busy;
      if (!more.empty() || busy == 0) changed.notify_all();
      more.clear();
    }
  };
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::jthread> workers;
  for (unsigned i = 1; i < jobs; ++i) workers.emplace_back(drain);
  drain();
}

}  // namespace moat
