#pragma once
// Large results that a command would free just before exiting are left for the kernel to reclaim:
// destroying a stdlib scan's 20,000 findings and per-file results took about 8 ms of the last,
// single-threaded part of `moat scan`. Clang does the same with its syntax trees (-disable-free).
#include <mutex>
#include <type_traits>
#include <utility>
#include <vector>

namespace moat {

/// Moves `value` where it is never destroyed. It stays reachable from a global, so leak checkers
/// do not report it. Only for what is otherwise freed right before the process exits.
template <typename T>
void keep_until_exit(T&& value) {
  static std::mutex mutex;
  static auto* const kept = new std::vector<const void*>();  // never freed, on purpose
  const auto* moved = new std::decay_t<T>(std::forward<T>(value));
  const std::lock_guard lock(mutex);
  kept->push_back(moved);
}

}  // namespace moat
