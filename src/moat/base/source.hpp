#pragma once
// Python source text: decoding to UTF-8 as CPython's tokenizer does (UTF-8 BOM, PEP 263 coding
// declarations), newline normalisation (CRLF and CR become LF, so columns and string values match
// CPython's), and LineIndex, which turns byte offsets into lines and columns.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace moat {

/// A problem that makes source text unreadable; lines and columns are 1-based here.
struct SourceError {
  std::string message;
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

struct DecodedSource {
  std::string text;           // UTF-8, no BOM, LF line ends only
  std::string encoding;       // "utf-8" or the Python codec module name ("latin_1", "cp1252")
  std::optional<SourceError> error;  // set when the bytes cannot be decoded; text is then partial
};

/// The decoded source when decoding changes nothing but a UTF-8 BOM (valid UTF-8, declared so or
/// not at all, no NUL, no CR): a view into `bytes`. `ascii` tells whether every byte is below 0x80.
std::optional<std::string_view> decoded_in_place(std::string_view bytes, bool& ascii);

/// Decodes Python source bytes: BOM, `# -*- coding: NAME -*-` on line 1 or 2, validation.
/// Declared encodings: UTF-8 and every single-byte codec of Python (latin-1, cp1252, koi8-r, ...).
DecodedSource decode_python_source(std::string_view bytes);

/// The encoding named by a PEP 263 declaration in the first two lines, if any.
std::optional<std::string> find_coding_declaration(std::string_view bytes);

/// Byte offset -> (line, column) for one text. Lines are 1-based; columns are 0-based byte
/// offsets within the line, as in CPython's AST.
class LineIndex {
 public:
  LineIndex() = default;
  explicit LineIndex(std::string_view text);

  struct Position {
    std::uint32_t line;
    std::uint32_t column;
  };
  [[nodiscard]] Position position(std::uint32_t offset) const;
  [[nodiscard]] std::uint32_t line_start(std::uint32_t line) const { return starts_[line - 1]; }
  [[nodiscard]] std::uint32_t line_count() const { return static_cast<std::uint32_t>(starts_.size()); }

 private:
  std::vector<std::uint32_t> starts_{0};
};

}  // namespace moat
