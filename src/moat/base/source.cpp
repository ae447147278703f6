#include "moat/base/source.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "moat/util/bytes.hpp"

namespace moat {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

#include "moat/base/codec_tables.inc"

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// CPython's tokenizer get_normal_name(): only utf-8 and latin-1 spellings are normalised.
std::string tokenizer_normal_name(std::string_view name) {
  std::string buf;
  for (std::size_t i = 0; i < name.size() && i < 12; ++i) {
    const char c = name[i];
    buf += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (buf == "utf-8" || buf.starts_with("utf-8-")) return "utf-8";
  if (buf == "latin-1" || buf == "iso-8859-1" || buf == "iso-latin-1" || buf.starts_with("latin-1-") ||
      buf.starts_with("iso-8859-1-") || buf.starts_with("iso-latin-1-")) {
    return "iso-8859-1";
  }
  return std::string(name);
}

/// Python's codec lookup (encodings.normalize_encoding + aliases): the codec module name.
std::string codec_module(std::string_view name) {
  std::string normal;
  bool pending_separator = false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '.') {
      if (pending_separator && !normal.empty()) normal += '_';
      pending_separator = false;
      normal += static_cast<char>(std::tolower(u));
    } else {
      pending_separator = true;
    }
  }
  std::string dotless = normal;
  std::replace(dotless.begin(), dotless.end(), '.', '_');
  for (const auto& alias : kCodecAliases) {
    if (alias.alias == normal || alias.alias == dotless) return std::string(alias.name);
  }
  if (normal == "utf8" || normal == "utf_8" || normal == "u8" || normal == "utf" || normal == "cp65001" ||
      normal == "utf_8_sig" || normal == "utf8_ucs2" || normal == "utf8_ucs4") {
    return "utf_8";
  }
  return dotless;
}

/// Strict UTF-8 validation; returns the offset of the first bad byte or npos.
std::size_t invalid_utf8_at(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    // ASCII fast path: eight bytes at a time while no high bit is set.
    while (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & 0x8080808080808080ull) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int extra = 0;
    char32_t min = 0;
    char32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, min = 0x800, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3, min = 0x10000, cp = c & 0x07;
    } else {
      return i;
    }
    if (i + extra >= n) return i;
    for (int k = 1; k <= extra; ++k) {
      const auto d = static_cast<unsigned char>(text[i + k]);
      if ((d & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += extra + 1;
  }
  return std::string_view::npos;
}

SourceError error_at(std::string_view text, std::size_t offset, std::string message) {
  SourceError error{std::move(message), 1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++error.line;
      error.column = 1;
    } else {
      ++error.column;
    }
  }
  return error;
}

/// Replaces CRLF and lone CR with LF.
/// The first byte in [at, end) that is NUL, CR or not ASCII, or end: sixteen bytes per step.
const char* first_non_plain_ascii(const char* at, const char* end) {
#if defined(__SSE2__)
  const __m128i nul = _mm_setzero_si128(), carriage_return = _mm_set1_epi8('\r');
  while (end - at >= 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    const __m128i special = _mm_or_si128(_mm_cmpeq_epi8(bytes, nul), _mm_cmpeq_epi8(bytes, carriage_return));
    // movemask of the bytes themselves: their high bits, set for every non-ASCII byte
    if (const int mask = _mm_movemask_epi8(_mm_or_si128(special, bytes)); mask != 0)
      return at + __builtin_ctz(static_cast<unsigned>(mask));
    at += 16;
  }
#endif
  while (at < end && *at != '\0' && *at != '\r' && static_cast<unsigned char>(*at) < 0x80) ++at;
  return at;
}

void normalise_newlines(std::string& text) {
  if (text.find('\r') == std::string::npos) return;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  text = std::move(out);
}

std::string_view first_lines(std::string_view bytes, int count) {
  std::size_t end = 0;
  for (int line = 0; line < count && end < bytes.size(); ++line) {
    const std::size_t nl = bytes.find_first_of("\r\n", end);
    if (nl == std::string_view::npos) return bytes;
    end = nl + 1;
    if (bytes[nl] == '\r' && end < bytes.size() && bytes[end] == '\n') ++end;
  }
  return bytes.substr(0, end);
}

std::optional<std::string> coding_in_line(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f')) ++i;
  if (i >= line.size() || line[i] != '#') return std::nullopt;
  const std::size_t at = line.find("coding", i);
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t p = at + 6;
  if (p >= line.size() || (line[p] != ':' && line[p] != '=')) {
    // "coding" may appear again later on the line.
    auto rest = coding_in_line(std::string("#") + std::string(line.substr(at + 6)));
    return rest;
  }
  ++p;
  while (p < line.size() && (line[p] == ' ' || line[p] == '\t')) ++p;
  const std::size_t name_start = p;
  while (p < line.size() && (std::isalnum(static_cast<unsigned char>(line[p])) || line[p] == '-' || line[p] == '_' || line[p] == '.')) ++p;
  if (p == name_start) return std::nullopt;
  return std::string(line.substr(name_start, p - name_start));
}

bool blank_or_comment(std::string_view line) {
  for (char c : line) {
    if (c == '#' || c == '\r' || c == '\n') return true;
    if (c != ' ' && c != '\t' && c != '\f') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> find_coding_declaration(std::string_view bytes) {
  if (bytes.starts_with(kBom)) bytes.remove_prefix(kBom.size());
  const std::string_view line1 = first_lines(bytes, 1);
  if (auto name = coding_in_line(line1)) return name;
  if (!blank_or_comment(line1)) return std::nullopt;
  const std::string_view line2 = first_lines(bytes, 2).substr(line1.size());
  return coding_in_line(line2);
}

std::optional<std::string_view> decoded_in_place(std::string_view bytes, bool& ascii) {
  const bool bom = bytes.starts_with(kBom);
  if (bom) bytes.remove_prefix(kBom.size());
  if (auto declared = find_coding_declaration(bytes)) {
    const std::string normal = tokenizer_normal_name(*declared);
    const std::string codec = codec_module(normal);
    if ((bom && normal != "utf-8") || (codec != "utf-8" && codec != "utf_8")) return std::nullopt;  // as decode_python_source
  }
  const char* const end = bytes.data() + bytes.size();
  const char* const first_other = first_non_plain_ascii(bytes.data(), end);
  ascii = first_other == end;
  if (ascii) return bytes;
  const std::string_view rest(first_other, static_cast<std::size_t>(end - first_other));
  if (rest.find('\0') != std::string_view::npos || rest.find('\r') != std::string_view::npos ||
      invalid_utf8_at(rest) != std::string_view::npos)
    return std::nullopt;
  return bytes;
}

DecodedSource decode_python_source(std::string_view bytes) {
  DecodedSource out;
  bool ascii = false;
  if (const auto as_is = decoded_in_place(bytes, ascii)) {  // the usual case: one pass
    out.encoding = "utf-8";
    out.text.assign(*as_is);
    return out;
  }
  const bool bom = bytes.starts_with(kBom);
  if (bom) bytes.remove_prefix(kBom.size());
  out.encoding = "utf-8";
  if (auto declared = find_coding_declaration(bytes)) {
    const std::string normal = tokenizer_normal_name(*declared);
    if (bom && normal != "utf-8") {
      out.error = SourceError{"encoding problem: " + normal + " with BOM", 1, 1};
      return out;
    }
    out.encoding = codec_module(normal);
  }
  if (const auto nul = bytes.find('\0'); nul != std::string_view::npos) {
    out.text.assign(bytes.substr(0, nul));
    out.error = SourceError{"source code string cannot contain null bytes", 0, 0};
    return out;
  }
  if (out.encoding == "utf-8" || out.encoding == "utf_8") {
    out.encoding = "utf-8";
    out.text.assign(bytes);
    if (const auto bad = invalid_utf8_at(out.text); bad != std::string::npos) {
      char message[160];
      std::snprintf(message, sizeof message,
                    "(unicode error) 'utf-8' codec can't decode byte 0x%02x in position %zu: invalid start byte",
                    static_cast<unsigned char>(out.text[bad]), bad);
      out.error = error_at(out.text, bad, message);
      out.text.resize(bad);
    }
  } else {
    const auto codec = std::find_if(std::begin(kSingleByteCodecs), std::end(kSingleByteCodecs),
                                    [&](const SingleByteCodec& c) { return c.name == out.encoding; });
    if (codec == std::end(kSingleByteCodecs)) {
      out.error = SourceError{"unknown encoding: " + out.encoding, 1, 1};
      return out;
    }
    out.text.reserve(bytes.size() + bytes.size() / 8);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      const char32_t cp = codec->table[static_cast<unsigned char>(bytes[i])];
      if (cp == 0xFFFE) {
        out.error = error_at(bytes, i, "(unicode error) '" + out.encoding + "' codec can't decode byte");
        return out;
      }
      append_utf8(out.text, cp);
    }
  }
  normalise_newlines(out.text);
  return out;
}

LineIndex::LineIndex(std::string_view text) {
  starts_.reserve(text.size() / 32 + 1);
  for_each_offset_of(text, '\n', [&](std::size_t newline) { starts_.push_back(static_cast<std::uint32_t>(newline + 1)); });
}

LineIndex::Position LineIndex::position(std::uint32_t offset) const {
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - starts_.begin());
  return {line, offset - starts_[line - 1]};
}

}  // namespace moat
