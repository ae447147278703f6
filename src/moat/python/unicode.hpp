#pragma once
// Unicode helpers for the lexer and repr(): UTF-8 decoding, identifier and printable classes.
#include <cstdint>
#include <string>
#include <string_view>

namespace moat::python {

/// Decodes one code point at text[pos] and advances pos. Invalid bytes decode to U+FFFD one byte
/// at a time (sources are validated before lexing). Surrogates encoded in 3 bytes are returned as is.
char32_t decode_utf8(std::string_view text, std::uint32_t& pos);
/// Appends cp as UTF-8 (surrogates too, 3 bytes).
void append_utf8(std::string& out, char32_t cp);

bool is_xid_start(char32_t cp);
bool is_xid_continue(char32_t cp);
/// NFKC normalisation of an identifier (CPython normalises non-ASCII names): per-character
/// compatibility mapping followed by canonical composition of adjacent pairs.
std::string normalize_identifier(std::string_view utf8);

/// str.isprintable() for one character.
bool is_printable(char32_t cp);

}  // namespace moat::python
