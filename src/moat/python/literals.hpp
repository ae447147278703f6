#pragma once
// Python literal values: decoding string/bytes bodies and numbers, and CPython's repr() of
// constants (used by dump()).
#include <optional>
#include <string>
#include <string_view>

#include "moat/python/ast.hpp"

namespace moat::python {

/// Decodes the body of a str or bytes literal (between the quotes). Returns an error message
/// (CPython's wording) when an escape is malformed. Str output is UTF-8 (surrogates as 3 bytes).
std::optional<std::string> decode_string_body(std::string_view body, bool raw, bool bytes, std::string& out);

/// Parses a Number token into a constant (Int, Float or Complex). Int text is decimal digits.
ConstantValue parse_number(std::string_view token, std::string& int_digits);

std::string repr_str(std::string_view utf8);
std::string repr_bytes(std::string_view bytes);
/// repr(float); with_dot_zero=false gives the form used inside complex repr ("1" not "1.0").
std::string repr_float(double value, bool with_dot_zero = true);
std::string repr_constant(const ConstantValue& value);

}  // namespace moat::python
