#pragma once
// How a subcommand plugs into the `moat` binary: each command file defines one configure function
// that declares its options on a CLI11 sub-app and sets the function that runs it.
#include <CLI/CLI.hpp>

#include <functional>

namespace moat::cli {

/// Exit codes of the command-line contract (docs/cli.md).
enum ExitCode : int { kExitClean = 0, kExitFindings = 1, kExitFailure = 2 };

/// Set by a command's configure function; called after parsing when that command was chosen.
using CommandRunner = std::function<int()>;

/// Declares a command's options on `command` and sets `run`.
using CommandConfigurer = void (*)(CLI::App& command, CommandRunner& run);

/// For commands whose implementation has not landed: accepts any arguments, says so, exits 2.
void configure_not_built_yet(CLI::App& command, CommandRunner& run, const char* tracking_issue);

// One declaration per row of commands.def.
#define MOAT_COMMAND(name, summary) void configure_##name##_command(CLI::App& command, CommandRunner& run);
#include "moat/cli/commands.def"
#undef MOAT_COMMAND

/// Parses argv, runs the chosen command and returns the process exit code.
int run_moat(int argc, char** argv);

}  // namespace moat::cli
