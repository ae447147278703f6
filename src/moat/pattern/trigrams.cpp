#include "moat/pattern/trigrams.hpp"

namespace moat::pattern {

namespace {

constexpr std::uint32_t fold(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }

constexpr std::uint32_t slot(std::uint32_t trigram, unsigned bits) { return (trigram * 0x9E3779B1u) >> (32 - bits); }

}  // namespace

TrigramSet::TrigramSet(std::string_view text) : indexed_(true) {
  static constexpr auto kFolded = [] {
    std::array<std::uint8_t, 256> table{};
    for (std::uint32_t byte = 0; byte < table.size(); ++byte) table[byte] = static_cast<std::uint8_t>(fold(static_cast<unsigned char>(byte)));
    return table;
  }();
  // Bytes seen are noted by plain stores and gathered at the end: or-ing into bytes_ on every byte
  // chains each update to the previous one through memory.
  std::array<bool, 256> seen{};
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::uint32_t trigram = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    seen[bytes[i]] = true;
    trigram = ((trigram << 8) | kFolded[bytes[i]]) & 0xFFFFFFu;
    if (i < 2) continue;
    const std::uint32_t bit = slot(trigram, kBits);
    bits_[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }
  for (std::size_t byte = 0; byte < seen.size(); ++byte)
    if (seen[byte]) bytes_[byte / 64] |= std::uint64_t{1} << (byte % 64);
}

bool TrigramSet::may_contain_any(const ByteSet& bytes) const {
  if (!indexed_) return true;
  for (std::size_t word = 0; word < bytes.size(); ++word)
    if ((bytes[word] & bytes_[word]) != 0) return true;
  return false;
}

bool TrigramSet::may_contain(std::string_view literal) const {
  if (!indexed_ || literal.size() < 3) return true;
  std::uint32_t trigram = 0;
  for (std::size_t i = 0; i < literal.size(); ++i) {
    trigram = ((trigram << 8) | fold(static_cast<unsigned char>(literal[i]))) & 0xFFFFFFu;
    if (i < 2) continue;
    const std::uint32_t bit = slot(trigram, kBits);
    if ((bits_[bit / 64] & (std::uint64_t{1} << (bit % 64))) == 0) return false;
  }
  return true;
}

}  // namespace moat::pattern
