#pragma once
// Bump allocator owning every AST node and decoded literal of one parse. Nodes are trivially
// destructible, so freeing the arena frees the tree at once. The blocks of a destroyed arena go to
// a small per-thread cache (at most kCachedBytes) that the next arena of the thread draws from:
// parsing file after file then reuses pages already mapped instead of growing and trimming the
// heap for every file, which costs more than the parse itself on small files.
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace moat::python {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena();

  /// Upper bound of the per-thread cache of free blocks.
  static constexpr std::size_t kCachedBytes = std::size_t{4} << 20;
  /// Frees the calling thread's cached blocks (e.g. before measuring the heap a parse needs).
  static void release_thread_cache();

  /// Raw storage aligned for any node type.
  void* allocate(std::size_t size, std::size_t align = alignof(std::max_align_t)) {
    std::size_t offset = (used_ + align - 1) & ~(align - 1);
    if (offset + size > capacity_) [[unlikely]] {
      grow(size + align);
      offset = 0;
    }
    used_ = offset + size;
    total_ += size;
    return current_ + offset;
  }

  template <typename T, typename... Args>
  T* make(Args&&... args) {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    return new (allocate(sizeof(T), alignof(T))) T{std::forward<Args>(args)...};
  }

  /// Copies a list of elements into the arena.
  template <typename T>
  std::span<T> copy(std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (items.empty()) return {};
    auto* data = static_cast<T*>(allocate(sizeof(T) * items.size(), alignof(T)));
    std::memcpy(data, items.data(), sizeof(T) * items.size());
    return {data, items.size()};
  }

  std::string_view copy(std::string_view text) {
    if (text.empty()) return std::string_view("", 0);
    auto* data = static_cast<char*>(allocate(text.size(), 1));
    std::memcpy(data, text.data(), text.size());
    return {data, text.size()};
  }

  /// Bytes handed out so far.
  [[nodiscard]] std::size_t bytes_used() const { return total_; }

 private:
  struct Block {
    std::unique_ptr<std::byte[]> memory;
    std::size_t size;
  };
  void grow(std::size_t at_least);
  static std::vector<Block>* thread_cache();  // null once the thread is being torn down

  std::vector<Block> blocks_;
  std::byte* current_ = nullptr;
  std::size_t capacity_ = 0;
  std::size_t used_ = 0;
  std::size_t total_ = 0;
  std::size_t next_block_ = 16 * 1024;
};

}  // namespace moat::python
