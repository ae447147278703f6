#include "moat/base/source.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace moat {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

/// Code points of cp1252 bytes 0x80..0x9F (0 = undefined).
constexpr std::array<char16_t, 32> kCp1252High{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

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

/// Python's codec name normalisation, reduced to the encodings moat decodes.
std::string normalise_encoding(std::string name) {
  std::string lower;
  for (char c : name) lower += (c == '_' || c == ' ') ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "utf-8" || lower.starts_with("utf-8-") || lower == "utf8") return "utf-8";
  if (lower == "latin-1" || lower == "iso-8859-1" || lower == "iso-latin-1" || lower.starts_with("latin-1-") ||
      lower.starts_with("iso-8859-1-") || lower.starts_with("iso-latin-1-") || lower == "latin1" ||
      lower == "iso8859-1" || lower == "l1" || lower == "8859" || lower == "cp819" || lower == "iso-ir-100")
    return "iso-8859-1";
  if (lower == "ascii" || lower == "us-ascii" || lower == "646") return "ascii";
  if (lower == "cp1252" || lower == "windows-1252") return "cp1252";
  if (lower == "iso-8859-15" || lower == "iso8859-15" || lower == "latin-9" || lower == "latin9") return "iso-8859-15";
  return lower;
}

/// Strict UTF-8 validation; returns the offset of the first bad byte or npos.
std::size_t invalid_utf8_at(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
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

DecodedSource decode_python_source(std::string_view bytes) {
  DecodedSource out;
  const bool bom = bytes.starts_with(kBom);
  if (bom) bytes.remove_prefix(kBom.size());
  out.encoding = "utf-8";
  if (auto declared = find_coding_declaration(bytes)) {
    out.encoding = normalise_encoding(*declared);
    if (bom && out.encoding != "utf-8") {
      out.error = SourceError{"encoding problem: " + *declared + " with BOM", 1, 1};
      return out;
    }
  }
  if (const auto nul = bytes.find('\0'); nul != std::string_view::npos) {
    out.text.assign(bytes.substr(0, nul));
    out.error = SourceError{"source code string cannot contain null bytes", 0, 0};
    return out;
  }
  if (out.encoding == "utf-8") {
    out.text.assign(bytes);
    if (const auto bad = invalid_utf8_at(out.text); bad != std::string::npos) {
      char message[160];
      std::snprintf(message, sizeof message,
                    "(unicode error) 'utf-8' codec can't decode byte 0x%02x in position %zu: invalid start byte",
                    static_cast<unsigned char>(out.text[bad]), bad);
      out.error = error_at(out.text, bad, message);
      out.text.resize(bad);
    }
  } else if (out.encoding == "iso-8859-1" || out.encoding == "cp1252" || out.encoding == "ascii" ||
             out.encoding == "iso-8859-15") {
    out.text.reserve(bytes.size() + bytes.size() / 8);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      const auto c = static_cast<unsigned char>(bytes[i]);
      char32_t cp = c;
      if (c >= 0x80) {
        if (out.encoding == "ascii") {
          out.error = error_at(bytes, i, "(unicode error) 'ascii' codec can't decode byte");
          return out;
        }
        if (out.encoding == "cp1252" && c < 0xA0) {
          cp = kCp1252High[c - 0x80];
          if (cp == 0) {
            out.error = error_at(bytes, i, "(unicode error) 'charmap' codec can't decode byte");
            return out;
          }
        }
        if (out.encoding == "iso-8859-15") {
          switch (c) {
            case 0xA4: cp = 0x20AC; break;
            case 0xA6: cp = 0x160; break;
            case 0xA8: cp = 0x161; break;
            case 0xB4: cp = 0x17D; break;
            case 0xB8: cp = 0x17E; break;
            case 0xBC: cp = 0x152; break;
            case 0xBD: cp = 0x153; break;
            case 0xBE: cp = 0x178; break;
            default: break;
          }
        }
      }
      append_utf8(out.text, cp);
    }
  } else {
    out.error = SourceError{"unknown encoding: " + out.encoding, 1, 1};
    return out;
  }
  normalise_newlines(out.text);
  return out;
}

LineIndex::LineIndex(std::string_view text) {
  starts_.reserve(text.size() / 32 + 1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(static_cast<std::uint32_t>(i + 1));
  }
}

LineIndex::Position LineIndex::position(std::uint32_t offset) const {
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - starts_.begin());
  return {line, offset - starts_[line - 1]};
}

}  // namespace moat
