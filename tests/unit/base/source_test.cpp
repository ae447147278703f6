#include "moat/base/source.hpp"

#include <gtest/gtest.h>

namespace moat {
namespace {

TEST(DecodePythonSource, StripsBomAndNormalisesNewlines) {
  const DecodedSource decoded = decode_python_source("\xEF\xBB\xBFx = 1\r\ny = 2\rz = 3");
  ASSERT_FALSE(decoded.error);
  EXPECT_EQ(decoded.text, "x = 1\ny = 2\nz = 3");
  EXPECT_EQ(decoded.encoding, "utf-8");
}

TEST(DecodePythonSource, HonoursLatin1Declaration) {
  const DecodedSource decoded = decode_python_source("# -*- coding: latin-1 -*-\nx = '\xE9'\n");
  ASSERT_FALSE(decoded.error);
  EXPECT_EQ(decoded.encoding, "latin_1");
  EXPECT_EQ(decoded.text, "# -*- coding: latin-1 -*-\nx = '\xC3\xA9'\n");
}

TEST(DecodePythonSource, DeclarationOnSecondLineOnlyAfterComment) {
  EXPECT_EQ(find_coding_declaration("#!/usr/bin/python\n# vim: set fileencoding=cp1252 :\n"), "cp1252");
  EXPECT_FALSE(find_coding_declaration("import os\n# coding: latin-1\n"));
}

TEST(DecodePythonSource, RejectsInvalidUtf8WithPosition) {
  const DecodedSource decoded = decode_python_source("x = 1\ny = '\xFF'\n");
  ASSERT_TRUE(decoded.error);
  EXPECT_EQ(decoded.error->line, 2u);
  EXPECT_EQ(decoded.error->column, 6u);
}

TEST(DecodePythonSource, RejectsNullBytes) {
  const DecodedSource decoded = decode_python_source(std::string_view("x = 1\0", 6));
  ASSERT_TRUE(decoded.error);
  EXPECT_EQ(decoded.error->message, "source code string cannot contain null bytes");
}

TEST(DecodePythonSource, RejectsBomWithOtherEncoding) {
  EXPECT_TRUE(decode_python_source("\xEF\xBB\xBF# coding: latin-1\n").error);
}

TEST(DecodePythonSource, RejectsBomWithAnotherSpellingOfUtf8) {
  // CPython's tokenizer normalises only "utf-8..." before comparing with the BOM's encoding.
  EXPECT_EQ(decode_python_source("\xEF\xBB\xBF# coding: utf8\nx = 1\n").error->message, "encoding problem: utf8 with BOM");
  EXPECT_FALSE(decode_python_source("# coding: utf8\nx = 1\n").error);
}

TEST(DecodedInPlace, OnlyWhenDecodingChangesNothingButTheBom) {
  bool ascii = false;
  const std::string long_line(40, 'a');  // the bytes after it are checked in the 16-byte steps' tail
  EXPECT_EQ(decoded_in_place(long_line + "\nx = 1\n", ascii), long_line + "\nx = 1\n");
  EXPECT_TRUE(ascii);
  EXPECT_EQ(decoded_in_place("\xEF\xBB\xBFx = 1\n", ascii), "x = 1\n");
  EXPECT_EQ(decoded_in_place(long_line + "s = '\xC3\xA9'\n", ascii), long_line + "s = '\xC3\xA9'\n");
  EXPECT_FALSE(ascii);
  EXPECT_EQ(decoded_in_place("# coding: utf8\nx = 1\n", ascii), "# coding: utf8\nx = 1\n");
  // At every offset within and across the 16-byte blocks.
  for (std::size_t at = 0; at < 40; ++at) {
    for (const std::string_view odd : {std::string_view("\r"), std::string_view("\0", 1), std::string_view("\xFF"),
                                       std::string_view("\xC3")}) {
      std::string text = long_line;
      text.insert(at, odd);
      EXPECT_FALSE(decoded_in_place(text, ascii)) << at;
      text.insert(0, "\xC3\xA9");  // after a valid non-ASCII character too
      EXPECT_FALSE(decoded_in_place(text, ascii)) << at;
    }
  }
  EXPECT_FALSE(decoded_in_place("# coding: latin-1\nx = 1\n", ascii));
  EXPECT_FALSE(decoded_in_place("\xEF\xBB\xBF# coding: utf8\nx = 1\n", ascii));
}

TEST(LineIndex, MapsOffsetsToLinesAndColumns) {
  const LineIndex index("ab\ncde\n\nf");
  EXPECT_EQ(index.line_count(), 4u);
  EXPECT_EQ(index.position(0).line, 1u);
  EXPECT_EQ(index.position(4).line, 2u);
  EXPECT_EQ(index.position(4).column, 1u);
  EXPECT_EQ(index.position(7).line, 3u);
  EXPECT_EQ(index.position(8).line, 4u);
  EXPECT_EQ(index.position(9).column, 1u);
}

TEST(LineIndex, FindsLineEndsAtEveryOffsetOfTheBlocks) {
  std::string text(70, 'x');
  for (const std::size_t newline : {0u, 15u, 16u, 17u, 31u, 47u, 64u, 69u}) text[newline] = '\n';
  const LineIndex index(text);
  ASSERT_EQ(index.line_count(), 9u);
  std::uint32_t line = 2;
  for (const std::uint32_t newline : {0u, 15u, 16u, 17u, 31u, 47u, 64u, 69u}) EXPECT_EQ(index.line_start(line++), newline + 1);
}

}  // namespace
}  // namespace moat
