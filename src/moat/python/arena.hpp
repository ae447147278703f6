#pragma once
// Bump allocator owning every AST node and decoded literal of one parse. Nodes are trivially
// destructible, so freeing the arena frees the tree at once.
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

  /// Raw storage aligned for any node type.
  void* allocate(std::size_t size, std::size_t align = alignof(std::max_align_t)) {
    std::size_t offset = (used_ + align - 1) & ~(align - 1);
    if (blocks_.empty() || offset + size > capacity_) {
      grow(size + align);
      offset = 0;
    }
    used_ = offset + size;
    total_ += size;
    return blocks_.back().get() + offset;
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
  void grow(std::size_t at_least) {
    capacity_ = std::max<std::size_t>(at_least, next_block_);
    next_block_ = std::min<std::size_t>(next_block_ * 2, std::size_t{1} << 18);  // bounded slack
    blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(capacity_));
    used_ = 0;
  }

  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::size_t capacity_ = 0;
  std::size_t used_ = 0;
  std::size_t total_ = 0;
  std::size_t next_block_ = 16 * 1024;
};

}  // namespace moat::python
