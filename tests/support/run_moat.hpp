#pragma once
// Runs the built `moat` binary the way a user would and captures what it printed and its exit code.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace moat::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr, interleaved as the shell redirects them
};

/// Runs a /bin/sh command line and captures its standard output and exit code.
inline CommandResult run_captured(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), got);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

/// Runs `moat ARGUMENTS` through the shell (ARGUMENTS is shell syntax) from the project root.
inline CommandResult run_moat(const std::string& arguments) {
  return run_captured(std::string("cd '") + MOAT_SOURCE_DIR + "' && '" + MOAT_BINARY + "' " + arguments + " 2>&1");
}

}  // namespace moat::testing
