#include "moat/util/huge_pages.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>

#if defined(__linux__) && defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define MOAT_ADVISE_GLIBC_HEAPS 1
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace moat {

#if defined(MOAT_ADVISE_GLIBC_HEAPS)
namespace {

constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
// glibc's thread arenas live in heaps of 64 MB (twice the largest mmap threshold) aligned to
// their size; the heap holding a chunk starts at the chunk's address rounded down.
constexpr std::uintptr_t kThreadHeapSize = std::uintptr_t{64} << 20;

// Thread heaps already advised. Arenas outlive their threads and are handed to the next ones, and
// advising again would free and re-fault the top of a heap that earlier work had filled.
constexpr std::size_t kRememberedHeaps = 64;
std::array<std::atomic<std::uintptr_t>, kRememberedHeaps> advised_heaps{};

/// True the first time `heap` is seen (false also when the table is full: nothing is advised).
bool first_sight(std::uintptr_t heap) {
  for (auto& slot : advised_heaps) {
    std::uintptr_t seen = slot.load(std::memory_order_relaxed);
    if (seen == heap) return false;
    if (seen == 0 && slot.compare_exchange_strong(seen, heap)) return true;
    if (seen == heap) return false;
  }
  return false;
}

void advise(std::uintptr_t begin, std::uintptr_t end) {
  begin = (begin + kHugePage - 1) & ~(kHugePage - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

/// Allocates and frees a block (through a volatile pointer: the compiler may not drop the pair).
void grow_heap_by_allocating(std::size_t bytes) {
  void* volatile block = std::malloc(bytes);
  std::free(block);
}

}  // namespace

void advise_huge_pages_for_main_heap() {
  // Grow the main heap by 64 MB at once so that one advised mapping covers what a scan needs
  // (the kernel does not extend advice to later growth of the heap).
  mallopt(M_TOP_PAD, 64 << 20);
  grow_heap_by_allocating(1 << 20);  // more than the start-up heap has free: it grows now
  const auto end = reinterpret_cast<std::uintptr_t>(sbrk(0));
  const std::size_t heap_bytes = mallinfo2().arena;
  if (heap_bytes > 0 && heap_bytes <= end) advise(end - heap_bytes, end);
}

void advise_huge_pages_for_thread_heap() {
  void* probe = std::malloc(1);
  if (probe == nullptr) return;
  const auto address = reinterpret_cast<std::uintptr_t>(probe);
  std::free(probe);
  const std::uintptr_t heap = address & ~(kThreadHeapSize - 1);
  // A chunk from the main heap (the thread was given the main arena) is not in a thread heap.
  const auto main_end = reinterpret_cast<std::uintptr_t>(sbrk(0));
  const std::uintptr_t main_begin = main_end - mallinfo2().arena;
  if ((address >= main_begin && address < main_end) || !first_sight(heap)) return;
  advise(heap, heap + kThreadHeapSize);
  // glibc makes a thread heap writable page by page as it grows, and a huge page needs its whole
  // 2 MB writable: make the first 16 MB writable now (the pages are touched only when used).
  grow_heap_by_allocating(16 << 20);
}
#else
void advise_huge_pages_for_main_heap() {}
void advise_huge_pages_for_thread_heap() {}
#endif

}  // namespace moat
