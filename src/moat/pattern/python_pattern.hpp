#pragma once
// Python patterns (Semgrep's pattern language) compiled with the parser's pattern mode, and the
// per-file state matching needs: the parsed module, its blocks and nodes by kind, import aliases
// and module-level string constants.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "moat/pattern/match.hpp"
#include "moat/pattern/trigrams.hpp"
#include "moat/python/parser.hpp"
#include "moat/util/error.hpp"

namespace moat::pattern {

/// One file prepared for matching. Without a syntax tree (a file that does not parse, or the text
/// of a metavariable for `language: generic`) only regex operators find anything. The trigrams
/// rules prefilter on are built up front; the node, import and constant indexes and the line
/// table are built on first use, since most files pass no rule's prefilter and are never matched.
class FileContext {
 public:
  /// Parses `source_bytes` as Python. A syntax error keeps the file for regex rules; see parse_error().
  FileContext(std::string path, std::string_view source_bytes);
  /// Takes over a module the caller already parsed (one parse shared with the code checks).
  FileContext(std::string path, std::unique_ptr<python::ParseResult> parsed);
  /// Plain text without a syntax tree.
  static std::unique_ptr<FileContext> text_only(std::string path, std::string text);

  FileContext(const FileContext&) = delete;
  FileContext& operator=(const FileContext&) = delete;

  [[nodiscard]] const std::string& path() const { return path_; }
  /// The decoded source all offsets refer to.
  [[nodiscard]] std::string_view source() const { return source_; }
  [[nodiscard]] const python::ParseResult* parsed() const { return parsed_.get(); }
  [[nodiscard]] const std::optional<std::string>& parse_error() const { return parse_error_; }
  [[nodiscard]] std::string_view text(Span span) const { return source_.substr(span.start, span.end - span.start); }
  /// The trigrams of the source (parsed files only), for rule prefilters.
  [[nodiscard]] const TrigramSet& trigrams() const { return trigrams_; }
  /// regex.may_match(trigrams()) and regex.may_match_runs_of(source()), computed once per file and regex.
  [[nodiscard]] bool regex_may_match(const Regex& regex) const;
  /// False when `regex` surely has no match inside `window`: regex_may_match() is false, or none of
  /// the literals one of which every match contains lies within the window (looked up in an index
  /// of the literals' occurrences in the file, built on first use and bounded in size).
  [[nodiscard]] bool regex_may_match_within(const Regex& regex, Span window) const;
  /// Where the literals one of which every match of `regex` contains occur in the file, ordered
  /// by start (none when regex_may_match() is false): each match lies around one of them. Null
  /// when the regex requires no literal or they occur too often to keep.
  [[nodiscard]] const std::vector<Span>* regex_literal_hits(const Regex& regex) const;
  /// 1-based line and 0-based column of a byte offset.
  [[nodiscard]] std::pair<int, int> line_column(std::size_t offset) const;

  /// Every statement block (module body, function bodies, branches, handlers, ...).
  [[nodiscard]] const std::vector<python::NodeList<python::Stmt>>& blocks() const {
    index_nodes();
    return blocks_;
  }
  /// Every node of one kind, in source order.
  [[nodiscard]] const std::vector<const python::Node*>& nodes_of(python::NodeKind kind) const;
  /// Every expression node, in source order.
  [[nodiscard]] const std::vector<const python::Node*>& expressions() const {
    index_nodes();
    return expressions_;
  }
  [[nodiscard]] const std::vector<const python::Node*>& statements() const {
    index_nodes();
    return statements_;
  }
  /// The nodes of `nodes` (expressions(), statements() or a nodes_of() list) lying within `window`,
  /// in that list's order: the list itself for the whole file, else `scratch` filled from an index
  /// of the list by start offset (built on first use), so that metavariable-pattern windows do not
  /// visit every node of the file.
  [[nodiscard]] std::span<const python::Node* const> nodes_within(const std::vector<const python::Node*>& nodes,
                                                                  Span window,
                                                                  std::vector<const python::Node*>& scratch) const;

  /// The dotted name an expression like `sp.Popen` or `Popen` stands for after this file's imports
  /// ("subprocess.Popen"), or null when it is not a dotted name or involves no import.
  [[nodiscard]] const std::string* resolve_import(const python::Node& expression) const;
  /// The literal (string, number, True/False) a name stands for at this use: assigned once in its
  /// scope (the function, else the module) before the use, or, when every assignment of the name
  /// is a literal one in the scope's own statement list, the last of them before the use.
  [[nodiscard]] const python::Constant* constant_of(const python::Name& use) const;
  /// The scope a name refers to at this use: the innermost function binding it, else 0 (module).
  [[nodiscard]] std::uint32_t variable_scope(const python::Name& use) const;

 private:
  FileContext() = default;
  // The lazily built indexes (each a no-op once built).
  void index_lines() const;
  void index_nodes() const;
  void index_constants() const;

  std::string path_;
  std::string text_storage_;  // text_only(): the text itself
  std::unique_ptr<python::ParseResult> parsed_;
  std::string_view source_;
  std::optional<std::string> parse_error_;
  TrigramSet trigrams_;
  // Indexes and caches filled while matching (a file is matched by one thread at a time).
  mutable bool nodes_indexed_ = false;
  mutable bool constants_indexed_ = false;
  mutable std::vector<std::uint32_t> line_starts_;  // empty until index_lines()
  mutable std::vector<python::NodeList<python::Stmt>> blocks_;
  mutable std::vector<std::vector<const python::Node*>> by_kind_;
  mutable std::vector<const python::Node*> expressions_;
  mutable std::vector<const python::Node*> statements_;
  // node list -> its positions ordered by start offset (nodes_within())
  mutable std::unordered_map<const void*, std::vector<std::uint32_t>> by_start_;
  struct RegexSite {
    bool possible = false;                  // regex_may_match()
    bool indexed = false;                   // hits computed
    std::optional<std::vector<Span>> hits;  // regex.literal_hits(source_)
  };
  mutable std::unordered_map<const void*, RegexSite> regex_sites_;  // Regex::identity() -> site
  struct ImportBinding {
    std::uint32_t at;       // offset of the import statement
    std::string qualified;  // what the local name stands for
  };
  mutable std::unordered_map<std::string_view, std::vector<ImportBinding>> imports_;  // local name -> imports, in order
  mutable std::unordered_map<const python::Node*, std::string> resolved_;  // dotted expression -> qualified name
  // Bits by node address, set for the keys of resolved_: most nodes resolve to no import, and a
  // clear bit says so without a hash lookup (resolve_import() runs for every dotted candidate).
  static constexpr std::size_t kResolvedFilterBits = 4096;
  mutable std::array<std::uint64_t, kResolvedFilterBits / 64> resolved_filter_{};
  static std::size_t resolved_filter_bit(const python::Node* node) {
    return (reinterpret_cast<std::uintptr_t>(node) / alignof(python::Node)) % kResolvedFilterBits;
  }
  struct ScopedConstant {
    const python::Constant* value = nullptr;
    std::uint32_t ready_at = 0;  // end of the assignment
  };
  struct ScopedNameHash {
    std::size_t operator()(const std::pair<std::uint32_t, std::string_view>& key) const {
      return std::hash<std::string_view>{}(key.second) * 31 + key.first;
    }
  };
  // (scope, name) -> its literal assignments in order; scope 0 is the module, others are
  // functions and lambdas.
  mutable std::unordered_map<std::pair<std::uint32_t, std::string_view>, std::vector<ScopedConstant>, ScopedNameHash>
      constants_;
  mutable std::vector<std::unordered_set<std::string_view>> scope_names_;  // names each scope binds
  // Name -> its enclosing function scope (names of the module are left out), ordered by address:
  // built with one append per name instead of a hash node each.
  mutable std::vector<std::pair<const python::Node*, std::uint32_t>> scope_of_;
  [[nodiscard]] std::uint32_t scope_at(const python::Name& use) const;
  mutable std::vector<std::uint32_t> scope_parents_;  // scope -> the scope its function is written in
};

/// A compiled Python pattern.
class CompiledPattern {
 public:
  /// Parses pattern text; errors say what the parser rejected.
  static Result<std::shared_ptr<const CompiledPattern>> compile(std::string_view text);

  /// False when the file lacks an identifier every match needs, so find() would find nothing.
  [[nodiscard]] bool may_match(const FileContext& file) const;

  /// Appends every match lying within `window` to `out`; with `must_contain`, only the matches
  /// whose span contains one of its spans (the others are not even tried).
  void find(const FileContext& file, Span window, std::vector<RangeMatch>& out,
            const SpanSet* must_contain = nullptr) const;

  /// The metavariable when the pattern is just one (`$X`, or the string `"$X"`): each match is an
  /// expression whose span holds the metavariable's binding; else empty.
  [[nodiscard]] std::string_view lone_metavariable() const;

  [[nodiscard]] const std::string& text() const { return text_; }

  struct Impl;
  ~CompiledPattern();
  CompiledPattern(const CompiledPattern&) = delete;
  CompiledPattern& operator=(const CompiledPattern&) = delete;

 private:
  CompiledPattern() = default;
  std::string text_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace moat::pattern
