#pragma once
// A YAML document as a tree of nodes that remember where they are in the file, built from libyaml's
// event parser (no recursion, bounded depth). Aliases point at their anchored node, never copy it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "moat/util/error.hpp"

namespace moat::publish {

/// A position in the source: 1-based line, 0-based column in UTF-8 bytes, byte offset.
struct Mark {
  int line = 0;
  int column = 0;
  std::size_t offset = 0;
};

enum class NodeKind { scalar, sequence, mapping };

struct YamlNode {
  NodeKind kind = NodeKind::scalar;
  bool plain = false;          // an unquoted scalar (so `null`, `false` keep their YAML meaning)
  bool block = false;          // a literal or folded block scalar (`|`, `>`)
  std::string value;           // scalar text
  Mark start;
  Mark end;
  std::vector<std::uint32_t> children;  // sequence items, or mapping key, value, key, value, ...
};

class YamlDocument {
 public:
  /// Parses the first document of `text`. Errors carry "line L, column C: problem".
  static Result<YamlDocument> parse(std::string text);

  [[nodiscard]] const YamlNode* root() const { return nodes_.empty() ? nullptr : &nodes_[root_]; }
  [[nodiscard]] const YamlNode& at(std::uint32_t index) const { return nodes_[index]; }
  [[nodiscard]] std::string_view source() const { return source_; }

  /// The value of `key` in a mapping (first occurrence), or nullptr.
  [[nodiscard]] const YamlNode* get(const YamlNode* mapping, std::string_view key) const;
  /// The key node of `key` in a mapping, or nullptr.
  [[nodiscard]] const YamlNode* get_key(const YamlNode* mapping, std::string_view key) const;

  /// Calls visit(key, value) for each entry of a mapping (nothing for other nodes).
  template <typename Visit>
  void for_each_entry(const YamlNode* mapping, Visit&& visit) const {
    if (mapping == nullptr || mapping->kind != NodeKind::mapping) return;
    for (std::size_t i = 0; i + 1 < mapping->children.size(); i += 2)
      visit(nodes_[mapping->children[i]], nodes_[mapping->children[i + 1]]);
  }
  /// Calls visit(item) for each item of a sequence (nothing for other nodes).
  template <typename Visit>
  void for_each_item(const YamlNode* sequence, Visit&& visit) const {
    if (sequence == nullptr || sequence->kind != NodeKind::sequence) return;
    for (auto index : sequence->children) visit(nodes_[index]);
  }

  /// The source line (without its newline) holding `mark`.
  [[nodiscard]] std::string_view line_text(int line) const;
  /// The Mark of a byte offset into source().
  [[nodiscard]] Mark mark_at(std::size_t offset) const;

 private:
  std::string source_;
  std::vector<std::size_t> line_starts_;
  std::vector<YamlNode> nodes_;
  std::uint32_t root_ = 0;
};

/// True for a scalar whose text is `value` (not for quoted scalars when plain_only).
bool scalar_is(const YamlNode* node, std::string_view value);

}  // namespace moat::publish
