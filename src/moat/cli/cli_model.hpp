#pragma once
// A plain description of moat's command line, read from the CLI11 definition, and the texts made
// from it: shell completions (bash, zsh, fish) and the man page. Generating them from the same
// tree the parser uses keeps them from drifting when a command or option is added.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace moat::cli {

struct OptionModel {
  std::vector<std::string> names;    // "-o", "--output" (short names first)
  std::string value_name;            // "OUTPUT"; empty for flags
  std::vector<std::string> choices;  // from an IsMember check: {"text", "json", ...}
  std::string description;
};

struct PositionalModel {
  std::string name;                  // "PATH"
  std::vector<std::string> choices;
  std::string description;
  bool repeated = false;             // takes several values
  bool required = false;
};

struct CommandModel {
  std::vector<std::string> path;     // {"moat", "db", "import"}
  std::string description;
  std::vector<OptionModel> options;
  std::vector<PositionalModel> positionals;
  std::vector<CommandModel> subcommands;  // in declaration order

  /// "moat db import"
  [[nodiscard]] std::string path_text() const;
};

/// The visible commands and options under `app` (subcommands and options in an empty group are
/// hidden, as in `--help`).
CommandModel describe_cli(const CLI::App& app);

/// Completion scripts: bash (`complete -F`), zsh (`#compdef`, `_arguments`) and fish (`complete -c`).
std::string bash_completion(const CommandModel& root);
std::string zsh_completion(const CommandModel& root);
std::string fish_completion(const CommandModel& root);

/// The moat(1) man page in roff (man(7) macros).
std::string man_page(const CommandModel& root, std::string_view version);

}  // namespace moat::cli
