#pragma once
// Small facts several publishing rules share.
#include <algorithm>
#include <string>
#include <string_view>

#include "moat/publish/rule.hpp"

namespace moat::publish {

inline bool publishes_to_pypi(const std::vector<PublishStep>& publishes) {
  return std::ranges::any_of(publishes, [](const PublishStep& publish) { return publish.pypi; });
}

inline bool publishes(const Job& job) { return !job.publishes.empty(); }

/// "job `name`" for messages.
inline std::string job_label(std::string_view name) { return "job `" + std::string(name) + "`"; }

/// The first occurrence of `needle` (e.g. "twine upload") in the node's source span, else the node's start.
inline Mark mark_of(const YamlDocument& document, const YamlNode& node, std::string_view needle) {
  return find_in_node(document, node, needle);
}

/// A zero-width end for findings that point at a word: start + length on the same line.
inline Mark mark_after(const Mark& start, std::size_t length) {
  return Mark{start.line, start.column + static_cast<int>(length), start.offset + length};
}

}  // namespace moat::publish
