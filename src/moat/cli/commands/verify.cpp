#include "moat/cli/command.hpp"

namespace moat::cli {

void configure_verify_command(CLI::App& command, CommandRunner& run) {
  configure_not_built_yet(command, run, "8");
}

}  // namespace moat::cli
