#pragma once
// Documentation of the built-in rule pack for `moat explain`, built from each rule's metadata
// (title, what, why, fix, references) and its annotated test file's first `ruleid` example.
#include <span>

#include "moat/base/rule_doc.hpp"

namespace moat::pattern {

/// One RuleDoc per built-in rule, in id order. The strings live for the whole program.
std::span<const RuleDoc> pattern_rule_docs();

}  // namespace moat::pattern
