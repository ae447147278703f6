#include "moat/python/unicode_names.hpp"

#include <algorithm>
#include <span>
#include <string>
#include <vector>

namespace moat::python {
namespace {

#include "moat/python/unicode_names.inc"

bool in_cjk_ranges(char32_t cp) {
  constexpr char32_t ranges[][2] = {{0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0x20000, 0x2A6DF},
                                    {0x2A700, 0x2B738}, {0x2B740, 0x2B81D}, {0x2B820, 0x2CEA1},
                                    {0x2CEB0, 0x2EBE0}, {0x30000, 0x3134A}};
  return std::any_of(std::begin(ranges), std::end(ranges), [&](const auto& r) { return cp >= r[0] && cp <= r[1]; });
}

/// Offsets of each name in kUnicodeNames, built once.
const std::vector<std::uint32_t>& name_offsets() {
  static const std::vector<std::uint32_t> offsets = [] {
    std::vector<std::uint32_t> result;
    result.reserve(std::size(kUnicodeNameCodePoints));
    const std::string_view blob(kUnicodeNames, sizeof kUnicodeNames - 1);
    std::uint32_t start = 0;
    for (std::uint32_t i = 0; i < blob.size(); ++i) {
      if (blob[i] == '\n') {
        result.push_back(start);
        start = i + 1;
      }
    }
    return result;
  }();
  return offsets;
}

std::string_view name_at(std::uint32_t offset) {
  const std::string_view blob(kUnicodeNames, sizeof kUnicodeNames - 1);
  const std::size_t end = blob.find('\n', offset);
  return blob.substr(offset, end - offset);
}

std::optional<char32_t> hangul_syllable(std::string_view rest) {
  static constexpr std::string_view leads[] = {"G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S",
                                               "SS", "", "J", "JJ", "C", "K", "T", "P", "H"};
  static constexpr std::string_view vowels[] = {"A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE",
                                                "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I"};
  static constexpr std::string_view tails[] = {"", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB", "LS", "LT",
                                               "LP", "LH", "M", "B", "BS", "S", "SS", "NG", "J", "C", "K", "T", "P", "H"};
  for (int l = 0; l < 19; ++l) {
    if (!rest.starts_with(leads[l])) continue;
    for (int v = 0; v < 21; ++v) {
      const std::string_view after_lead = rest.substr(leads[l].size());
      if (!after_lead.starts_with(vowels[v])) continue;
      const std::string_view tail = after_lead.substr(vowels[v].size());
      for (int t = 0; t < 28; ++t) {
        if (tail == tails[t]) return static_cast<char32_t>(0xAC00 + (l * 21 + v) * 28 + t);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<char32_t> lookup_unicode_name(std::string_view raw_name) {
  std::string name;
  for (char c : raw_name) name += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  constexpr std::string_view cjk = "CJK UNIFIED IDEOGRAPH-";
  if (name.starts_with(cjk)) {
    const std::string_view hex = std::string_view(name).substr(cjk.size());
    if (hex.size() != 4 && hex.size() != 5) return std::nullopt;
    char32_t cp = 0;
    for (char c : hex) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
      cp = cp * 16 + static_cast<char32_t>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : c - 'A' + 10);
    }
    return in_cjk_ranges(cp) ? std::optional(cp) : std::nullopt;
  }
  constexpr std::string_view hangul = "HANGUL SYLLABLE ";
  if (name.starts_with(hangul)) {
    if (auto cp = hangul_syllable(std::string_view(name).substr(hangul.size()))) return cp;
  }
  const auto& offsets = name_offsets();
  const auto it = std::lower_bound(offsets.begin(), offsets.end(), name,
                                   [](std::uint32_t offset, const std::string& key) { return name_at(offset) < key; });
  if (it == offsets.end() || name_at(*it) != name) return std::nullopt;
  return kUnicodeNameCodePoints[it - offsets.begin()];
}

}  // namespace moat::python
