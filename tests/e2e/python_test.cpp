// `moat debug ast`: the CPython-compatible dump, multi-file headers and SyntaxError reporting.
#include <gtest/gtest.h>

#include "support/run_moat.hpp"

namespace {

TEST(DebugAst, DumpsOneFileLikeCPython) {
  const auto result = moat::testing::run_moat("debug ast tests/fixtures/python/simple.py");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out,
            "Module(body=[Import(names=[alias(name='os')]), Expr(value=Call(func=Attribute(value=Name(id='os', "
            "ctx=Load()), attr='system', ctx=Load()), args=[Constant(value='ls')], keywords=[]))], type_ignores=[])\n");
}

TEST(DebugAst, HeadsEachFileAndReportsSyntaxErrors) {
  const auto result =
      moat::testing::run_moat("debug ast --attributes tests/fixtures/python/simple.py tests/fixtures/python/broken.py");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("# tests/fixtures/python/simple.py\nModule(body=[Import(names=[alias(name='os', lineno=1, "
                            "col_offset=7, end_lineno=1, end_col_offset=9)]"),
            std::string::npos);
  EXPECT_NE(result.out.find("# tests/fixtures/python/broken.py\n"), std::string::npos);
  EXPECT_NE(result.out.find("SyntaxError: invalid syntax (tests/fixtures/python/broken.py, line 1, column 7)"),
            std::string::npos);
}

TEST(DebugAst, RejectsUnknownTarget) {
  EXPECT_EQ(moat::testing::run_moat("debug ast --target 2.7 tests/fixtures/python/simple.py").exit_code, 2);
}

}  // namespace
