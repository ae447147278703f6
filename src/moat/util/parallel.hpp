#pragma once
// Runs work over indexes on a few threads: the calling thread plus jobs-1 workers, each taking the
// next index until none is left. Callers write results into slot i, so output order never depends
// on scheduling.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

#include "moat/util/huge_pages.hpp"

namespace moat {

/// Calls `work(i)` once for every i in [0, count), on `jobs` threads (0: one per core).
template <typename Work>
void parallel_for_each_index(std::size_t count, unsigned jobs, const Work& work) {
  std::atomic<std::size_t> next{0};
  const auto drain = [&] {
    for (std::size_t i = next++; i < count; i = next++) work(i);
  };
  const auto worker = [&] {
    advise_huge_pages_for_thread_heap();
    drain();
  };
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(count, 1)));
  std::vector<std::jthread> workers;
  for (unsigned i = 1; i < jobs; ++i) workers.emplace_back(worker);
  drain();
}

/// Calls `work(begin, end)` for consecutive blocks of `block_size` indexes covering [0, count), the
/// blocks spread over `jobs` threads like parallel_for_each_index (block b starts at b * block_size).
template <typename Work>
void parallel_for_each_block(std::size_t count, std::size_t block_size, unsigned jobs, const Work& work) {
  parallel_for_each_index((count + block_size - 1) / block_size, jobs, [&](std::size_t block) {
    work(block * block_size, std::min(count, (block + 1) * block_size));
  });
}

}  // namespace moat
