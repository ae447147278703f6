#include "moat/python/literals.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "moat/python/unicode.hpp"
#include "moat/python/unicode_names.hpp"

namespace moat::python {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(c | 0x20);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/// Arbitrary-precision conversion of digits in `base` to decimal.
std::string to_decimal(std::string_view digits, int base) {
  std::vector<std::uint32_t> limbs;  // little-endian base 1e9
  for (char c : digits) {
    std::uint64_t carry = static_cast<std::uint64_t>(hex_value(c));
    for (auto& limb : limbs) {
      const std::uint64_t value = static_cast<std::uint64_t>(limb) * static_cast<std::uint64_t>(base) + carry;
      limb = static_cast<std::uint32_t>(value % 1000000000u);
      carry = value / 1000000000u;
    }
    while (carry > 0) {
      limbs.push_back(static_cast<std::uint32_t>(carry % 1000000000u));
      carry /= 1000000000u;
    }
  }
  if (limbs.empty()) return "0";
  std::string out = std::to_string(limbs.back());
  char buffer[16];
  for (std::size_t i = limbs.size() - 1; i-- > 0;) {
    std::snprintf(buffer, sizeof buffer, "%09u", limbs[i]);
    out += buffer;
  }
  return out;
}

std::string without_underscores(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '_') out += c;
  }
  return out;
}

}  // namespace

std::optional<std::string> decode_string_body(std::string_view body, bool raw, bool bytes, std::string& out) {
  out.clear();
  if (raw || body.find('\\') == std::string_view::npos) {
    out.assign(body);
    return std::nullopt;
  }
  out.reserve(body.size());
  const std::size_t n = body.size();
  for (std::size_t i = 0; i < n;) {
    const char c = body[i];
    if (c != '\\') {
      out += c;
      ++i;
      continue;
    }
    const std::size_t escape_start = i;
    ++i;
    if (i >= n) {
      return std::string(bytes ? "(value error) Trailing \\ in string" : "(unicode error) 'unicodeescape' codec can't decode byte 0x5c in position " + std::to_string(escape_start) + ": \\ at end of string");
    }
    const char e = body[i++];
    switch (e) {
      case '\n': break;
      case '\\': out += '\\'; break;
      case '\'': out += '\''; break;
      case '"': out += '"'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        unsigned value = static_cast<unsigned>(e - '0');
        for (int k = 0; k < 2 && i < n && body[i] >= '0' && body[i] <= '7'; ++k) value = value * 8 + static_cast<unsigned>(body[i++] - '0');
        if (bytes) {
          out += static_cast<char>(value & 0xFF);
        } else {
          append_utf8(out, value);
        }
        break;
      }
      case 'x': {
        int value = 0;
        int k = 0;
        for (; k < 2 && i < n && hex_value(body[i]) >= 0; ++k) value = value * 16 + hex_value(body[i++]);
        if (k < 2) {
          const std::string where = std::to_string(escape_start) + "-" + std::to_string(i - 1);
          return bytes ? "(value error) invalid \\x escape at position " + std::to_string(escape_start)
                       : "(unicode error) 'unicodeescape' codec can't decode bytes in position " + where + ": truncated \\xXX escape";
        }
        if (bytes) {
          out += static_cast<char>(value);
        } else {
          append_utf8(out, static_cast<char32_t>(value));
        }
        break;
      }
      case 'u': case 'U': case 'N': {
        if (bytes) {
          out += '\\';
          out += e;
          break;
        }
        if (e == 'N') {
          const std::size_t close = i < n && body[i] == '{' ? body.find('}', i) : std::string_view::npos;
          std::optional<char32_t> cp;
          if (close != std::string_view::npos) cp = lookup_unicode_name(body.substr(i + 1, close - i - 1));
          if (!cp) {
            const std::size_t last = close == std::string_view::npos ? i - 1 : close;
            return "(unicode error) 'unicodeescape' codec can't decode bytes in position " + std::to_string(escape_start) +
                   "-" + std::to_string(last) + ": " + (close == std::string_view::npos ? "malformed \\N character escape" : "unknown Unicode character name");
          }
          append_utf8(out, *cp);
          i = close + 1;
          break;
        }
        const int digits = e == 'u' ? 4 : 8;
        std::uint32_t value = 0;
        int k = 0;
        for (; k < digits && i < n && hex_value(body[i]) >= 0; ++k) value = value * 16 + static_cast<std::uint32_t>(hex_value(body[i++]));
        if (k < digits) {
          return "(unicode error) 'unicodeescape' codec can't decode bytes in position " + std::to_string(escape_start) + "-" +
                 std::to_string(i - 1) + ": truncated \\" + (e == 'u' ? "uXXXX" : "UXXXXXXXX") + " escape";
        }
        if (value > 0x10FFFF) {
          return "(unicode error) 'unicodeescape' codec can't decode bytes in position " + std::to_string(escape_start) + "-" +
                 std::to_string(i - 1) + ": illegal Unicode character";
        }
        append_utf8(out, value);
        break;
      }
      default:
        out += '\\';
        out += e;
        break;
    }
  }
  return std::nullopt;
}

ConstantValue parse_number(std::string_view token, std::string& int_digits) {
  ConstantValue value;
  const std::string clean = without_underscores(token);
  const char last = static_cast<char>(clean.back() | 0x20);
  if (last == 'j') {
    value.kind = ConstantValue::Kind::Complex;
    value.number = std::strtod(clean.substr(0, clean.size() - 1).c_str(), nullptr);
    return value;
  }
  const bool prefixed = clean.size() > 1 && clean[0] == '0' && std::string_view("xXoObB").find(clean[1]) != std::string_view::npos;
  if (!prefixed && clean.find_first_of(".eE") != std::string::npos) {
    value.kind = ConstantValue::Kind::Float;
    value.number = std::strtod(clean.c_str(), nullptr);
    return value;
  }
  value.kind = ConstantValue::Kind::Int;
  int base = 10;
  std::string_view digits = clean;
  if (prefixed) {
    const char b = static_cast<char>(clean[1] | 0x20);
    base = b == 'x' ? 16 : b == 'o' ? 8 : 2;
    digits.remove_prefix(2);
  }
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  if (base == 10 && digits.size() < 19) {
    int_digits.assign(digits);
  } else {
    int_digits = to_decimal(digits, base);
  }
  value.number = std::strtod(int_digits.c_str(), nullptr);
  return value;
}

std::string repr_str(std::string_view utf8) {
  const bool has_single = utf8.find('\'') != std::string_view::npos;
  const bool has_double = utf8.find('"') != std::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  std::string out;
  out.reserve(utf8.size() + 2);
  out += quote;
  char buffer[16];
  for (std::uint32_t i = 0; i < utf8.size();) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    if (byte < 0x80) {
      ++i;
      const char c = static_cast<char>(byte);
      if (c == quote || c == '\\') {
        out += '\\';
        out += c;
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (byte < 0x20 || byte == 0x7F) {
        std::snprintf(buffer, sizeof buffer, "\\x%02x", byte);
        out += buffer;
      } else {
        out += c;
      }
      continue;
    }
    const std::uint32_t start = i;
    const char32_t cp = decode_utf8(utf8, i);
    if (is_printable(cp)) {
      out.append(utf8.substr(start, i - start));
    } else if (cp <= 0xFF) {
      std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned>(cp));
      out += buffer;
    } else if (cp <= 0xFFFF) {
      std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(cp));
      out += buffer;
    } else {
      std::snprintf(buffer, sizeof buffer, "\\U%08x", static_cast<unsigned>(cp));
      out += buffer;
    }
  }
  out += quote;
  return out;
}

std::string repr_bytes(std::string_view bytes) {
  const bool has_single = bytes.find('\'') != std::string_view::npos;
  const bool has_double = bytes.find('"') != std::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  std::string out = "b";
  out += quote;
  char buffer[8];
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == quote || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte >= 0x7F) {
      std::snprintf(buffer, sizeof buffer, "\\x%02x", byte);
      out += buffer;
    } else {
      out += c;
    }
  }
  out += quote;
  return out;
}

std::string repr_float(double value, bool with_dot_zero) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (std::isnan(value)) return "nan";
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  (void)ec;
  std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
  std::string sign;
  if (text.front() == '-') {
    sign = "-";
    text.remove_prefix(1);
  }
  const std::size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits += c;
  }
  const int exponent = std::atoi(std::string(text.substr(e + 1)).c_str());
  const int decpt = exponent + 1;
  std::string out = sign;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0.";
      out.append(static_cast<std::size_t>(-decpt), '0');
      out += digits;
    } else if (static_cast<std::size_t>(decpt) >= digits.size()) {
      out += digits;
      out.append(static_cast<std::size_t>(decpt) - digits.size(), '0');
      if (with_dot_zero) out += ".0";
    } else {
      out += digits.substr(0, static_cast<std::size_t>(decpt));
      out += '.';
      out += digits.substr(static_cast<std::size_t>(decpt));
    }
    return out;
  }
  out += digits[0];
  if (digits.size() > 1) {
    out += '.';
    out += digits.substr(1);
  }
  std::snprintf(buffer, sizeof buffer, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
  out += buffer;
  return out;
}

std::string repr_constant(const ConstantValue& value) {
  switch (value.kind) {
    case ConstantValue::Kind::None: return "None";
    case ConstantValue::Kind::True: return "True";
    case ConstantValue::Kind::False: return "False";
    case ConstantValue::Kind::Ellipsis: return "Ellipsis";
    case ConstantValue::Kind::Str: return repr_str(value.text);
    case ConstantValue::Kind::Bytes: return repr_bytes(value.text);
    case ConstantValue::Kind::Int: return std::string(value.text);
    case ConstantValue::Kind::Float: return repr_float(value.number);
    case ConstantValue::Kind::Complex: return repr_float(value.number, false) + "j";
  }
  return "None";
}

}  // namespace moat::python
