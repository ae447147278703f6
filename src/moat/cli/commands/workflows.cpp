#include "moat/cli/command.hpp"

namespace moat::cli {

void configure_workflows_command(CLI::App& command, CommandRunner& run) {
  configure_not_built_yet(command, run, "9");
}

}  // namespace moat::cli
