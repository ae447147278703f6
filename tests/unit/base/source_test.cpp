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

}  // namespace
}  // namespace moat
