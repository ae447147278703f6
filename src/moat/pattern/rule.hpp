#pragma once
// A Semgrep-format rule after loading: its header (id, message, severity, languages, paths, fix)
// and its formula tree, with every pattern and regex already compiled.
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/pattern/regex.hpp"

namespace moat::pattern {

class CompiledPattern;  // a parsed Python pattern (python_pattern.hpp)
class Comparison;       // a metavariable-comparison expression (comparison.hpp)
struct Formula;

/// A filter on one metavariable's binding, applied after positives and negatives.
struct MetavarCondition {
  enum class Kind { regex, pattern, comparison, type, redos };  // redos: metavariable-analysis
  Kind kind = Kind::regex;
  std::string metavariable;                        // "$X"; may be empty for a comparison
  std::optional<Regex> regex;                      // regex
  std::shared_ptr<const Formula> formula;          // pattern
  bool generic_text = false;                       // pattern with `language: generic`/`regex`: match the text
  std::shared_ptr<const Comparison> comparison;    // comparison
  std::vector<std::string> types;                  // type
  int line = 0;
};

/// One node of a rule's boolean structure (Semgrep's `pattern*` operators).
struct Formula {
  enum class Kind {
    pattern,   // pattern: a Python pattern
    regex,     // pattern-regex
    any,       // pattern-either
    all,       // patterns
    inside,    // pattern-inside (child 0)
    negation,  // pattern-not, pattern-not-inside, pattern-not-regex (child 0)
  };
  Kind kind = Kind::pattern;
  int line = 0;                                      // 1-based YAML line, for messages
  std::string text;                                  // pattern or regex source
  std::shared_ptr<const CompiledPattern> pattern;    // pattern
  std::optional<Regex> regex;                        // regex
  std::vector<Formula> children;                     // any, all, inside, negation
  std::vector<MetavarCondition> conditions;          // all: metavariable-* filters, in order
  std::vector<std::vector<std::string>> focus;       // all: focus-metavariable keys (each a union)
  bool not_conflicting = false;                      // taint sanitizer: ignored where a source or sink matches
};

struct FixRegex {
  Regex regex;
  std::string replacement;
  int count = 0;  // 0: replace every occurrence
};

struct Rule {
  std::string id;
  std::string message;
  std::string severity_text;  // as written: ERROR, WARNING, INFO, LOW, ...
  Severity severity = Severity::medium;
  Confidence confidence = Confidence::medium;
  std::vector<std::string> languages;
  nlohmann::ordered_json metadata = nlohmann::ordered_json::object();
  std::vector<std::string> include_paths;  // globs; empty: every file
  std::vector<std::string> exclude_paths;
  bool constant_propagation = true;
  bool symbolic_propagation = false;
  std::optional<std::string> fix;
  std::optional<FixRegex> fix_regex;

  enum class Mode { search, taint };
  Mode mode = Mode::search;
  Formula formula;                     // search mode
  std::vector<Formula> sources;        // taint mode
  std::vector<Formula> sinks;
  std::vector<Formula> sanitizers;
  std::vector<Formula> propagators;

  std::string origin;  // the YAML file it came from
  int line = 0;        // the line of its `id`

  /// True when the rule runs on Python files (languages python, or regex/generic which see any file).
  [[nodiscard]] bool applies_to_python() const;
  /// True when `path` passes the rule's paths.include / paths.exclude globs.
  [[nodiscard]] bool applies_to_path(std::string_view path) const;
};

/// gitignore-style glob match of `glob` against `path` (or any of its directory suffixes/prefixes):
/// `*` and `?` stay within one path component, `**` crosses components.
bool path_glob_matches(std::string_view glob, std::string_view path);

}  // namespace moat::pattern
