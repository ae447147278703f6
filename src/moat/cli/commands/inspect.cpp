#include "moat/cli/command.hpp"

namespace moat::cli {

void configure_inspect_command(CLI::App& command, CommandRunner& run) {
  configure_not_built_yet(command, run, "6");
}

}  // namespace moat::cli
