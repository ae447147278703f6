#include "moat/publish/yaml_tree.hpp"

#include <gtest/gtest.h>

namespace {

using moat::publish::NodeKind;
using moat::publish::YamlDocument;

TEST(YamlTree, NodesKnowTheirLineAndByteColumn) {
  auto document = YamlDocument::parse("on: push\njobs:\n  build:\n    steps:\n      - run: \"échec\"  # é\n        uses: x@v1\n");
  ASSERT_TRUE(document) << document.error().message;
  const auto* step = document->get(document->get(document->get(document->get(document->root(), "jobs"), "build"), "steps"), "0");
  EXPECT_EQ(step, nullptr);  // sequences are not mappings
  const auto* steps = document->get(document->get(document->get(document->root(), "jobs"), "build"), "steps");
  ASSERT_NE(steps, nullptr);
  ASSERT_EQ(steps->kind, NodeKind::sequence);
  const auto& first = document->at(steps->children.at(0));
  const auto* run = document->get(&first, "run");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->value, "échec");
  EXPECT_FALSE(run->plain);
  EXPECT_EQ(run->start.line, 5);
  EXPECT_EQ(run->start.column, 13);
  EXPECT_EQ(run->end.column, 13 + 8);  // quotes + 5 characters, one of them two bytes
  const auto* uses = document->get(&first, "uses");
  EXPECT_EQ(uses->start.line, 6);
  EXPECT_EQ(uses->start.column, 14);  // after a line holding a multi-byte character
  EXPECT_EQ(document->line_text(6), "        uses: x@v1");
}

TEST(YamlTree, ByteOrderMarkDoesNotShiftPositions) {
  auto document = YamlDocument::parse("\xEF\xBB\xBFkey: value\nother: 2\n");
  ASSERT_TRUE(document);
  EXPECT_EQ(document->get(document->root(), "key")->start.column, 5 + 3);
  EXPECT_EQ(document->get(document->root(), "other")->start.line, 2);
  EXPECT_EQ(document->get(document->root(), "other")->start.column, 7);
}

TEST(YamlTree, AliasesShareTheAnchoredNode) {
  auto document = YamlDocument::parse("base: &b {x: 1}\nuse: *b\n");
  ASSERT_TRUE(document);
  EXPECT_EQ(document->get(document->root(), "base"), document->get(document->root(), "use"));
}

TEST(YamlTree, SelfReferenceAndUndefinedAliasesAreErrors) {
  auto self = YamlDocument::parse("a: &x [1, *x]\n");
  ASSERT_FALSE(self);
  EXPECT_NE(self.error().message.find("line 1"), std::string::npos);
  EXPECT_FALSE(YamlDocument::parse("a: *nowhere\n"));
}

TEST(YamlTree, SyntaxErrorsCarryLineAndColumn) {
  auto document = YamlDocument::parse("a: 1\nb: [1, 2\nc: 3\n");
  ASSERT_FALSE(document);
  EXPECT_NE(document.error().message.find("line "), std::string::npos);
  EXPECT_NE(document.error().message.find("invalid YAML"), std::string::npos);
}

TEST(YamlTree, DeepNestingIsRefusedNotRecursed) {
  std::string deep(100000, '[');
  auto document = YamlDocument::parse(deep);
  ASSERT_FALSE(document);
  EXPECT_NE(document.error().message.find("nested deeper"), std::string::npos);
}

TEST(YamlTree, EmptyInputIsANullDocument) {
  auto document = YamlDocument::parse("");
  ASSERT_TRUE(document);
  ASSERT_NE(document->root(), nullptr);
  EXPECT_EQ(document->root()->kind, NodeKind::scalar);
}

TEST(YamlTree, OnlyTheFirstDocumentIsRead) {
  auto document = YamlDocument::parse("a: 1\n---\nb: 2\n");
  ASSERT_TRUE(document);
  EXPECT_NE(document->get(document->root(), "a"), nullptr);
  EXPECT_EQ(document->get(document->root(), "b"), nullptr);
}

}  // namespace
