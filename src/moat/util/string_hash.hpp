#pragma once
// Hash containers keyed by std::string that can be searched with a std::string_view or a literal,
// so hot lookups (names met at every AST node) do not build a std::string first.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace moat {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};

template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

/// A quick "certainly not in the set" test for names looked up at every call node: which lengths
/// (63 standing for 63 and longer) the set's names have, by first byte and by last byte. Most
/// names miss on shape alone, before any hashing ("self.assertEqual" has the first byte and length
/// of "subprocess.Popen", not its last byte).
class NameShapes {
 public:
  void add(std::string_view name) {
    if (name.empty()) return;
    by_first_[static_cast<unsigned char>(name.front())] |= length_bit(name.size());
    by_last_[static_cast<unsigned char>(name.back())] |= length_bit(name.size());
  }
  [[nodiscard]] bool may_contain(std::string_view name) const {
    if (name.empty()) return false;
    const std::uint64_t bit = length_bit(name.size());
    return (by_first_[static_cast<unsigned char>(name.front())] & by_last_[static_cast<unsigned char>(name.back())] & bit) != 0;
  }

 private:
  static std::uint64_t length_bit(std::size_t length) { return std::uint64_t{1} << std::min<std::size_t>(length, 63); }
  std::array<std::uint64_t, 256> by_first_{};
  std::array<std::uint64_t, 256> by_last_{};
};

}  // namespace moat
