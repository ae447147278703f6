#include "moat/python/unicode.hpp"

#include <algorithm>
#include <span>

namespace moat::python {
namespace {

struct CodePointRange {
  char32_t first;
  char32_t last;
};

#include "moat/python/unicode_tables.inc"
#include "moat/python/unicode_nfkc.inc"

bool in_ranges(std::span<const CodePointRange> ranges, char32_t cp) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), cp,
                             [](char32_t value, const CodePointRange& range) { return value < range.first; });
  return it != ranges.begin() && cp <= std::prev(it)->last;
}

}  // namespace

char32_t decode_utf8(std::string_view text, std::uint32_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  int extra = 0;
  char32_t cp = 0;
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    cp = lead & 0x07;
  } else {
    ++pos;
    return 0xFFFD;
  }
  for (int i = 1; i <= extra; ++i) {
    if (pos + i >= text.size() || (byte(pos + i) & 0xC0) != 0x80) {
      ++pos;
      return 0xFFFD;
    }
    cp = (cp << 6) | (byte(pos + i) & 0x3F);
  }
  pos += extra + 1;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string normalize_identifier(std::string_view utf8) {
  std::u32string code_points;
  for (std::uint32_t pos = 0; pos < utf8.size();) {
    const char32_t cp = decode_utf8(utf8, pos);
    const auto it = std::lower_bound(std::begin(kNfkc), std::end(kNfkc), cp,
                                     [](const NfkcEntry& entry, char32_t value) { return entry.code_point < value; });
    if (it != std::end(kNfkc) && it->code_point == cp) {
      const std::string_view mapped(kNfkcText + it->offset, it->length);
      for (std::uint32_t p = 0; p < mapped.size();) code_points += decode_utf8(mapped, p);
    } else {
      code_points += cp;
    }
  }
  std::string out;
  for (std::size_t i = 0; i < code_points.size(); ++i) {
    char32_t cp = code_points[i];
    while (i + 1 < code_points.size()) {
      const Composition key{cp, code_points[i + 1], 0};
      const auto it = std::lower_bound(std::begin(kCompositions), std::end(kCompositions), key,
                                       [](const Composition& a, const Composition& b) {
                                         return a.first != b.first ? a.first < b.first : a.second < b.second;
                                       });
      if (it == std::end(kCompositions) || it->first != cp || it->second != code_points[i + 1]) break;
      cp = it->composed;
      ++i;
    }
    append_utf8(out, cp);
  }
  return out;
}

bool is_xid_start(char32_t cp) { return in_ranges(kXidStart, cp); }
bool is_xid_continue(char32_t cp) { return in_ranges(kXidContinue, cp); }
bool is_printable(char32_t cp) { return in_ranges(kPrintable, cp); }

}  // namespace moat::python
