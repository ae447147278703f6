#pragma once
// Runs a shell command line (bash) and captures its output and exit code, for end-to-end tests that
// drive moat the way a shell, pre-commit or an installed package would.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/run_moat.hpp"

namespace moat::testing {

/// Single-quotes `text` for the shell.
inline std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

/// Runs `command` with bash -c; stdout and stderr together.
inline CommandResult run_shell(const std::string& command) {
  return run_captured("bash -c " + shell_quote(command) + " 2>&1");
}

inline bool have_program(const std::string& name) { return run_shell("command -v " + shell_quote(name)).exit_code == 0; }

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace moat::testing
