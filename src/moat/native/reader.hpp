#pragma once
// Bounds-checked reads from untrusted binary images. Every read names an offset and a width and
// fails (std::nullopt) instead of reading outside the buffer; offsets are 64-bit so that
// attacker-chosen offset + size sums cannot wrap.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace moat::native {

class ByteReader {
 public:
  ByteReader(std::span<const std::byte> bytes, bool big_endian) : bytes_(bytes), big_endian_(big_endian) {}

  [[nodiscard]] std::size_t size() const { return bytes_.size(); }
  [[nodiscard]] bool big_endian() const { return big_endian_; }
  [[nodiscard]] std::span<const std::byte> bytes() const { return bytes_; }

  /// True when [offset, offset + length) lies inside the buffer.
  [[nodiscard]] bool contains(std::uint64_t offset, std::uint64_t length) const {
    return offset <= bytes_.size() && length <= bytes_.size() - offset;
  }

  [[nodiscard]] std::optional<std::uint8_t> u8(std::uint64_t offset) const {
    if (!contains(offset, 1)) return std::nullopt;
    return static_cast<std::uint8_t>(bytes_[offset]);
  }
  [[nodiscard]] std::optional<std::uint16_t> u16(std::uint64_t offset) const {
    return static_cast<std::optional<std::uint16_t>>(unsigned_of(offset, 2));
  }
  [[nodiscard]] std::optional<std::uint32_t> u32(std::uint64_t offset) const {
    return static_cast<std::optional<std::uint32_t>>(unsigned_of(offset, 4));
  }
  [[nodiscard]] std::optional<std::uint64_t> u64(std::uint64_t offset) const { return unsigned_of(offset, 8); }
  /// A 4- or 8-byte word, as ELF32/ELF64 and PE32/PE32+ fields are.
  [[nodiscard]] std::optional<std::uint64_t> word(std::uint64_t offset, bool wide) const {
    return unsigned_of(offset, wide ? 8 : 4);
  }

  /// The NUL-terminated string at offset, at most max_length bytes; nullopt when out of bounds
  /// or unterminated within the limit.
  [[nodiscard]] std::optional<std::string_view> c_string(std::uint64_t offset, std::size_t max_length = 4096) const {
    if (offset >= bytes_.size()) return std::nullopt;
    const auto available = std::min<std::uint64_t>(bytes_.size() - offset, max_length + 1);
    const std::string_view window(reinterpret_cast<const char*>(bytes_.data()) + offset, available);
    const auto end = window.find('\0');
    if (end == std::string_view::npos) return std::nullopt;
    return window.substr(0, end);
  }

  /// The bytes [offset, offset + length) or nullopt.
  [[nodiscard]] std::optional<std::span<const std::byte>> slice(std::uint64_t offset, std::uint64_t length) const {
    if (!contains(offset, length)) return std::nullopt;
    return bytes_.subspan(offset, length);
  }

 private:
  [[nodiscard]] std::optional<std::uint64_t> unsigned_of(std::uint64_t offset, unsigned width) const {
    if (!contains(offset, width)) return std::nullopt;
    std::uint64_t value = 0;
    for (unsigned i = 0; i < width; ++i) {
      const auto byte = static_cast<std::uint64_t>(bytes_[offset + i]);
      value |= big_endian_ ? byte << (8 * (width - 1 - i)) : byte << (8 * i);
    }
    return value;
  }

  std::span<const std::byte> bytes_;
  bool big_endian_;
};

/// Text from a binary made safe for reports (valid UTF-8, no control characters): printable
/// ASCII is kept, every other byte becomes \xNN.
inline std::string printable(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      result += c;
    } else {
      static constexpr std::string_view kHex = "0123456789abcdef";
      result += "\\x";
      result += kHex[byte >> 4];
      result += kHex[byte & 0xf];
    }
  }
  return result;
}

/// The bytes as characters, for substring searches.
inline std::string_view as_chars(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace moat::native
