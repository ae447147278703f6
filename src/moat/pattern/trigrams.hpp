#pragma once
// A file's set of byte trigrams (ASCII case folded), hashed into a fixed bitmap: the prefilter
// that lets a rule skip a file when a literal its patterns or regexes need cannot occur in it.
// False positives only: a literal may be reported present when it is not, never the reverse.
#include <array>
#include <cstdint>
#include <string_view>

namespace moat::pattern {

class TrigramSet {
 public:
  /// An empty set that answers "maybe" to everything (used when no text was indexed).
  TrigramSet() = default;
  /// Indexes every trigram of `text`.
  explicit TrigramSet(std::string_view text);

  /// False only when `literal` (compared ASCII case-insensitively) cannot occur in the text.
  /// Literals shorter than three bytes always may.
  [[nodiscard]] bool may_contain(std::string_view literal) const;

  /// Bytes as a 256-bit set: bit b of word b / 64.
  using ByteSet = std::array<std::uint64_t, 4>;
  /// False only when the text holds none of `bytes` (exact, not case folded).
  [[nodiscard]] bool may_contain_any(const ByteSet& bytes) const;

 private:
  static constexpr unsigned kBits = 17;  // 16 KiB per file: sparse enough for multi-megabyte files
  std::array<std::uint64_t, (std::size_t{1} << kBits) / 64> bits_{};
  ByteSet bytes_{};
  bool indexed_ = false;
};

}  // namespace moat::pattern
