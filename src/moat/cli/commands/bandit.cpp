#include "moat/cli/command.hpp"

namespace moat::cli {

void configure_bandit_command(CLI::App& command, CommandRunner& run) {
  configure_not_built_yet(command, run, "3");
}

}  // namespace moat::cli
