#include "moat/cli/command.hpp"

namespace moat::cli {

void configure_rules_command(CLI::App& command, CommandRunner& run) {
  configure_not_built_yet(command, run, "4");
}

}  // namespace moat::cli
