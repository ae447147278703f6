#include "moat/cli/command.hpp"

namespace moat::cli {

void configure_debug_command(CLI::App& command, CommandRunner& run) {
  configure_not_built_yet(command, run, "2");
}

}  // namespace moat::cli
