#pragma once
// The per-file state the checks see while the one AST traversal runs (linter.cpp): the parsed
// file, the enabled checks and options, name resolution (Bandit's flat alias map in compat mode,
// the semantic model on top of it in default mode), the current node's context, and the issues
// reported so far. Helpers mirror what Bandit's checks ask of a call, so each rule reads like its
// specification.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "moat/lint/options.hpp"
#include "moat/lint/registry.hpp"
#include "moat/python/parser.hpp"
#include "moat/semantic/model.hpp"
#include "moat/util/string_hash.hpp"

namespace moat::lint {

namespace py = moat::python;

/// A 1-based inclusive line range.
struct LineRange {
  int first = 0;
  int last = 0;
};

/// One finding before suppression and rendering, with Bandit's position conventions.
struct Issue {
  Check check = Check::B101;
  Severity severity = Severity::low;
  Confidence confidence = Confidence::low;
  std::string text;
  int line = 0;
  int column = 0;      // 0-based UTF-8 byte offset (B613: 1-based character index)
  int end_column = 0;  // on the node's end line
  int end_line = 0;
  LineRange line_range;   // reported line_range
  LineRange nosec_range;  // lines whose nosec comment applies (the node's context range)
  int plugin_line = 0;    // a line the check chose itself (its nosec applies too), 0 if none
};

/// How Bandit sees an argument value: attribute -> its last name, Name -> its id, literal -> its
/// value (True/False/None as the strings "True"/"False"/"None"), anything else -> unknown.
struct ArgValue {
  enum class Kind : std::uint8_t { unknown, text, integer, number, bytes, list, tuple, set, dict };
  Kind kind = Kind::unknown;
  std::string_view text;         // text, integer digits, bytes
  double number = 0;             // integer and number
  const py::Expr* node = nullptr;
  [[nodiscard]] bool is(std::string_view value) const { return kind == Kind::text && text == value; }
  [[nodiscard]] bool known() const { return kind != Kind::unknown; }
};

ArgValue arg_value(const py::Expr& expr);

/// Python's str() of a literal value as Bandit formats it into messages.
std::string python_str(const ArgValue& value);

class Checker {
 public:
  Checker(const py::ParseResult& parsed, std::string_view filename, const LintOptions& options,
          const semantic::SemanticModel* model);

  // --- what the rules ask ---
  [[nodiscard]] bool enabled(Check check) const { return options_.enabled.test(index(check)); }
  [[nodiscard]] bool compat() const { return options_.bandit_compat; }
  [[nodiscard]] const LintOptions& options() const { return options_; }
  [[nodiscard]] const py::ParseResult& parsed() const { return parsed_; }
  [[nodiscard]] std::string_view filename() const { return filename_; }

  /// The node being checked and its ancestors (parent() is the direct parent, null at the top).
  [[nodiscard]] const py::Node& node() const { return *node_; }
  [[nodiscard]] const py::Node* parent(std::size_t up = 1) const;

  /// The resolved dotted name of the current call's callee (Bandit's call_function_name_qual),
  /// and its last segment.
  [[nodiscard]] std::string_view qualname() const { return qualname_; }
  /// The last dotted part of qualname().
  [[nodiscard]] std::string_view call_name() const { return call_name_; }
  [[nodiscard]] const py::Call& call() const { return static_cast<const py::Call&>(*node_); }

  /// A module name or fragment written in a check as a literal. The checks ask the same few at
  /// every call node, so answers are cached by the literal's address (consteval: nothing else fits).
  class ImportQuestion {
   public:
    template <std::size_t N>
    consteval ImportQuestion(const char (&text)[N]) : text_(text, N - 1) {}  // NOLINT: implicit on purpose
    [[nodiscard]] std::string_view text() const { return text_; }

   private:
    std::string_view text_;
  };

  /// Import gating: Bandit looks only at imports seen earlier in traversal order; default mode
  /// also counts imports anywhere in the file, and `from m import n` as an import of `m`.
  [[nodiscard]] bool imported_exact(ImportQuestion module) const;
  [[nodiscard]] bool imported_like(ImportQuestion fragment) const;

  /// Which of the shell_injection plugin's lists (B602-B607, B609) name the current call.
  struct ProcessLists {
    bool subprocess = false;
    bool shell = false;
    bool no_shell = false;
  };
  [[nodiscard]] ProcessLists process_lists() const;

  /// Bandit's name resolution through the flat alias map (get_call_name / _get_attr_qual_name).
  [[nodiscard]] std::string bandit_qualname(const py::Expr& expr) const;
  /// The same into `out`, whose capacity is reused (one resolution per call node).
  void bandit_qualname_into(const py::Expr& expr, std::string& out) const;

  /// The keyword argument named `name` of the current call (the last one wins, as in a dict).
  [[nodiscard]] const py::Keyword* keyword(std::string_view name) const;
  [[nodiscard]] ArgValue keyword_value(std::string_view name) const;
  /// Line of a keyword's value, 0 when the call has no such keyword.
  [[nodiscard]] int keyword_line(std::string_view name) const;
  [[nodiscard]] ArgValue positional(std::size_t position) const;

  [[nodiscard]] int line_of(const py::Node& node) const { return static_cast<int>(parsed_.position(node).lineno); }

  /// Reports an issue for the current node. `line` overrides the reported line (0: the node's).
  void report(Check check, Severity severity, Confidence confidence, std::string text, int line = 0);
  void report(Check check, std::string text, int line = 0);

  // --- driven by the traversal ---
  void enter(const py::Node& node, std::span<const py::Node* const> ancestors);
  /// The node whose Bandit line range the issues reported from now on get (the current node, or
  /// for string constants their parent).
  void set_context_node(const py::Node& node) { context_node_ = &node; }
  void set_qualname(std::string qualname);
  /// set_qualname(bandit_qualname(func)) without a temporary string.
  void set_bandit_qualname(const py::Expr& func);
  void note_import(const py::Node& node);
  std::vector<Issue> take_issues() { return std::move(issues_); }
  /// Per-file memo for checks that would otherwise redo work per node (B608's operator chains).
  std::unordered_map<const py::Node*, bool>& memo() { return memo_; }
  void report_file_issue(Issue issue) { issues_.push_back(std::move(issue)); }

 private:
  const py::ParseResult& parsed_;
  std::string filename_;
  const LintOptions& options_;
  const semantic::SemanticModel* model_;
  const py::Node* node_ = nullptr;
  std::span<const py::Node* const> ancestors_;
  const py::Node* context_node_ = nullptr;
  void qualname_changed();
  std::string qualname_;
  std::string_view call_name_;
  void note_alias(std::string_view local_name, std::string qualified);
  StringMap<std::string> aliases_;
  NameShapes alias_shapes_;  // most call names are no alias: ruled out before hashing
  bool dotted_alias_keys_ = false;
  std::vector<std::string> imports_;
  StringSet import_set_;
  // Answers to imported_exact()/imported_like() since the last import, in an open-addressed table
  // keyed by the literal's address; an import starts a new generation instead of clearing it.
  struct CachedAnswer {
    const char* question = nullptr;
    std::uint32_t generation = 0;
    bool exact = false;
    bool answer = false;
  };
  [[nodiscard]] CachedAnswer& cached_answer(const char* question, bool exact) const;
  mutable std::array<CachedAnswer, 128> import_answers_{};
  std::uint32_t answers_generation_ = 1;
  // The plugin's process lists by name (bits: 1 subprocess, 2 shell, 4 no_shell), built on the
  // first call node: at most one lookup per call instead of scanning three lists per check.
  mutable std::unordered_map<std::string_view, std::uint8_t> process_lists_;
  mutable NameShapes process_list_shapes_;
  mutable bool process_lists_built_ = false;
  mutable std::optional<ProcessLists> current_process_lists_;  // for the current call
  // bandit_qualname()'s attribute chain, kept to avoid an allocation per call node.
  mutable std::vector<std::string_view> attribute_chain_;
  std::vector<Issue> issues_;
  std::unordered_map<const py::Node*, bool> memo_;
};

}  // namespace moat::lint
