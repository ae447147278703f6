#include "moat/python/arena.hpp"

#include <algorithm>

namespace moat::python {

std::vector<Arena::Block>* Arena::thread_cache() {
  // Plain pointers (no destructor) stay readable while the thread's other objects are destroyed:
  // an arena freed after the cache (e.g. by a static object) then frees its blocks itself.
  thread_local std::vector<Block>* cache = nullptr;
  thread_local bool finished = false;
  struct Owner {
    ~Owner() {
      delete cache;
      cache = nullptr;
      finished = true;
    }
  };
  if (cache == nullptr && !finished) {
    cache = new std::vector<Block>();
    thread_local Owner owner;
  }
  return cache;
}

void Arena::release_thread_cache() {
  if (auto* cache = thread_cache()) cache->clear();
}

void Arena::grow(std::size_t at_least) {
  const std::size_t wanted = std::max<std::size_t>(at_least, next_block_);
  next_block_ = std::min<std::size_t>(next_block_ * 2, std::size_t{1} << 18);  // bounded slack
  auto* cache = thread_cache();
  const auto reusable = cache == nullptr ? std::vector<Block>::iterator{}
                                         : std::find_if(cache->begin(), cache->end(), [&](const Block& block) { return block.size >= wanted; });
  if (cache != nullptr && reusable != cache->end()) {
    blocks_.push_back(std::move(*reusable));
    cache->erase(reusable);
  } else {
    blocks_.push_back({std::make_unique_for_overwrite<std::byte[]>(wanted), wanted});
  }
  current_ = blocks_.back().memory.get();
  capacity_ = blocks_.back().size;
  used_ = 0;
}

Arena::~Arena() {
  auto* cache = thread_cache();
  if (cache == nullptr) return;
  std::size_t cached = 0;
  for (const Block& block : *cache) cached += block.size;
  for (Block& block : blocks_) {
    if (cached + block.size > kCachedBytes) break;
    cached += block.size;
    cache->push_back(std::move(block));
  }
}

}  // namespace moat::python
